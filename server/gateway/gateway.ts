// The WebSocket gateway: handshake, limits, heartbeats, decoding once at the socket, the authorisation table,
// commands to the floor through the adapter, and fan-out of the floor's events to the agents and customers they concern.
import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import {
  AgentId,
  type AgentId as AgentIdT,
  type DispatchResult,
  type FloorCommand,
  type PortalId,
  PortalId as portalId,
  type RecordedEvent,
  RequestId,
  SessionId,
} from "../../actors/index.ts";
import {
  type ClientMessage,
  type ClientMessageOf,
  closeCodes,
  decodeClientMessage,
  mayUse,
  messagePermissions,
  otherCloseCodes,
  PROTOCOL_VERSION,
  type Principal,
  ProtocolError,
  type ServerMessage,
} from "../../protocol/messages/index.ts";
import type { Accounts } from "../accounts/accounts.ts";
import { Throttle } from "../accounts/throttle.ts";
import type { FloorAdapter } from "../floorAdapter.ts";
import { eventJson } from "../store/eventJson.ts";
import type { Store } from "../store/store.ts";
import { textFrame } from "./textFrame.ts";

export interface GatewayOptions {
  /** Interval of WebSocket pings; a socket that has not answered the previous one by the next is terminated. */
  heartbeatIntervalMs: number;
  /** Largest accepted text (control) message (ARCHITECTURE.md). */
  controlMessageMaxBytes: number;
  /** Hard ceiling of one WebSocket frame, enforced by ws (close 1009); binary frames and file chunks fit under it. */
  socketFrameMaxBytes: number;
  /** Sustained messages per second per socket, with bursts up to `messagesBurstMax`. */
  messagesPerSecondMax: number;
  messagesBurstMax: number;
  /** Dropped (rate-limited) messages after which the socket is closed with 4429. */
  rateLimitStrikesMax: number;
  /** Browser origins allowed besides the server's own. */
  allowedOrigins: readonly string[];
  /** A customer whose sockets are all gone this long has left (or abandoned the request). */
  customerGraceMs: number;
  /** How long a customer's token still opens their ended session's transcript (then it is forgotten). */
  endedCustomerRetentionMs: number;
  /** Wrong SmartCodes per address and in total within `smartCodeThrottleWindowMs` (docs/architecture.md works out the odds). */
  smartCodeFailuresPerAddressMax: number;
  smartCodeFailuresGlobalMax: number;
  smartCodeThrottleWindowMs: number;
  publicUrl: string;
}

/** The heartbeat interval is walked in this many slices (see `beat`). */
const heartbeatSlices = 20;

type Role = "pending" | "anonymous" | "agent" | "admin" | "customer";

interface Conn {
  ws: WebSocket;
  address: string;
  role: Role;
  accountId?: string;
  agentId?: AgentIdT;
  customer?: CustomerBinding;
  alive: boolean;
  tokens: number;
  lastRefill: number;
  strikes: number;
  /** Its TCP socket is corked until the end of this tick (see `write`). */
  corked: boolean;
}

interface CustomerBinding {
  token: string;
  requestId: string;
  sessionId?: string;
  portalId: string;
  language: string;
  conns: Set<Conn>;
  hostKey?: string;
  graceTimer?: NodeJS.Timeout;
  /** server/tools (R-T5): the customer's computer restarts; their page may be gone until then (epoch ms). */
  restartHoldUntil?: number;
  ended: boolean;
}

interface RequestInfo {
  portalId: string;
  mode: string;
  customer: unknown;
  audience: Set<AgentIdT>;
  /** For a reconnecting console (agent.state): when it was posted, its alert colour, who answered, R-A8 place. */
  postedAt: number;
  colour?: string;
  answeredBy?: AgentIdT;
  queuedPosition?: number;
}

type RequestState = Extract<ServerMessage, { type: "request.status" }>["state"];

/** What a reconnecting console needs beyond the floor's own state: session start times and active SmartCodes. */
interface ConsoleMemory {
  sessionStartedAt: Map<string, number>;
  codes: Map<string, Record<string, unknown>>;
}

export class Gateway {
  readonly wss: WebSocketServer;
  private readonly conns = new Set<Conn>();
  private readonly agentConns = new Map<AgentIdT, Set<Conn>>();
  private readonly customersByToken = new Map<string, CustomerBinding>();
  private readonly customersByRequest = new Map<string, CustomerBinding>();
  private readonly customersBySession = new Map<string, CustomerBinding>();
  /** R-S8: who may show their own screen in a session, and with which key. */
  private readonly presenters = new Map<string, { agentId: AgentIdT; key: string }>();
  /** Ended customers, oldest first: token → the session their transcript belongs to, until when it is kept. */
  private readonly endedCustomers = new Map<string, { sessionId?: string; until: number }>();
  private readonly requests = new Map<string, RequestInfo>();
  private readonly memory: ConsoleMemory = { sessionStartedAt: new Map(), codes: new Map() };
  private readonly codeByAddress: Throttle;
  private readonly codeGlobal: Throttle;
  private heartbeat: NodeJS.Timeout;
  /** Where the heartbeat's sweep of `conns` stopped; null between sweeps. */
  private beatCursor: SetIterator<Conn> | null = null;
  private closing = false;

  constructor(
    private readonly adapter: FloorAdapter,
    private readonly store: Store,
    private readonly accounts: Accounts,
    private readonly options: GatewayOptions,
    private readonly nameOf: (id: AgentIdT) => string,
    private readonly portalOf: (id: string) => { mode: string } | undefined,
  ) {
    // No compression: `write` puts pre-built frames straight onto the sockets.
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.socketFrameMaxBytes,
      perMessageDeflate: false,
    });
    this.codeByAddress = new Throttle(
      options.smartCodeFailuresPerAddressMax,
      options.smartCodeThrottleWindowMs,
    );
    this.codeGlobal = new Throttle(options.smartCodeFailuresGlobalMax, options.smartCodeThrottleWindowMs);
    adapter.deliver = (events) => {
      for (const e of events) this.fanOut(e);
    };
    accounts.onRevoked = (accountId) => this.revoke(accountId);
    this.heartbeat = setInterval(() => this.beat(), options.heartbeatIntervalMs / heartbeatSlices);
    this.heartbeat.unref();
  }

  private get floor() {
    return this.adapter.floor;
  }

  // ——— connection lifecycle ———

  /** The HTTP server's `upgrade`: browser sockets (with an Origin header) must come from an allowed origin. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.closing || !this.originAllowed(req)) {
      socket.end(
        `HTTP/1.1 ${this.closing ? "503 Service Unavailable" : "403 Forbidden"}\r\nConnection: close\r\n\r\n`,
      );
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, req));
  }

  private originAllowed(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    if (!origin) return true; // not a browser: agents' tools, the host, tests
    if (this.options.allowedOrigins.includes(origin)) return true;
    try {
      const o = new URL(origin);
      return o.host === req.headers.host || o.origin === new URL(this.options.publicUrl).origin;
    } catch {
      return false;
    }
  }

  private accept(ws: WebSocket, req: IncomingMessage): void {
    const conn: Conn = {
      ws,
      address: req.socket.remoteAddress ?? "?",
      role: "pending",
      alive: true,
      tokens: this.options.messagesBurstMax,
      lastRefill: Date.now(),
      strikes: 0,
      corked: false,
    };
    this.conns.add(conn);
    ws.on("pong", () => {
      conn.alive = true;
    });
    ws.on("message", (data, isBinary) => {
      try {
        this.receive(conn, data as Buffer, isBinary);
      } catch (err) {
        // A bug must not take the process or anyone else's session down: answer and carry on.
        console.error("gateway: message failed", err);
        this.fail(
          conn,
          new ProtocolError({ reason: "Internal", message: "the server could not apply this message" }),
        );
      }
    });
    ws.on("close", () => this.closed(conn));
    ws.on("error", () => {});
  }

  /**
   * One slice of the heartbeat: every socket is visited once per `heartbeatIntervalMs`, a slice at a time, so that
   * 11,000 pings (and their pongs) do not land in one burst that stalls every chat line behind them.
   */
  private beat(): void {
    const now = Date.now();
    if (this.beatCursor === null) this.forgetEndedCustomers(now);
    const cursor = this.beatCursor ?? this.conns.values();
    let left = Math.ceil(this.conns.size / heartbeatSlices);
    for (;;) {
      if (left-- <= 0) {
        this.beatCursor = cursor;
        return;
      }
      const next = cursor.next();
      if (next.done) break;
      const conn = next.value;
      if (!conn.alive) {
        conn.ws.terminate();
        continue;
      }
      conn.alive = false;
      conn.ws.ping();
    }
    this.beatCursor = null;
  }

  private closed(conn: Conn): void {
    this.conns.delete(conn);
    if (conn.agentId) {
      const set = this.agentConns.get(conn.agentId);
      set?.delete(conn);
      if (set && set.size === 0) {
        this.agentConns.delete(conn.agentId);
        // The last console of an agent went away: the floor gives them agentReconnectGraceMs to come back.
        if (!this.closing && this.floor.agent(conn.agentId)?.connected) {
          this.adapter.dispatch({ type: "agent.disconnect", agentId: conn.agentId });
        }
      }
    }
    const binding = conn.customer;
    if (binding) {
      binding.conns.delete(conn);
      if (binding.conns.size === 0 && !binding.ended && !this.closing) {
        // While their computer restarts (R-T5, server/tools) the customer may be away up to the restart window.
        const graceMs = Math.max(this.options.customerGraceMs, (binding.restartHoldUntil ?? 0) - Date.now());
        binding.graceTimer = setTimeout(() => this.customerGone(binding), graceMs);
        binding.graceTimer.unref();
      }
    }
  }

  private customerGone(binding: CustomerBinding): void {
    if (binding.conns.size > 0 || binding.ended) return;
    if (binding.sessionId) {
      this.adapter.dispatch({ type: "session.customerLeft", sessionId: SessionId(binding.sessionId) });
    } else if (this.floor.request(RequestId(binding.requestId))) {
      this.adapter.dispatch({ type: "request.abandon", requestId: RequestId(binding.requestId) });
    }
  }

  // ——— receiving ———

  private send(conn: Conn, message: ServerMessage): void {
    this.write(conn, textFrame(JSON.stringify(message)));
  }

  /**
   * Every message to one socket within a tick leaves in one system call: the TCP socket is corked at the first and
   * uncorked once the tick's work is done (a chat line's sender gets its ack and the line together, a console the
   * several events of one command). ws exposes no cork of its own, hence its socket.
   */
  private write(conn: Conn, frame: Buffer): void {
    if (conn.ws.readyState !== conn.ws.OPEN) return;
    const socket = (conn.ws as unknown as { _socket: Duplex })._socket;
    if (!conn.corked) {
      socket.cork();
      conn.corked = true;
      if (this.corked.push(conn) === 1) process.nextTick(this.uncorkAll);
    }
    // Straight to the socket, as ws's sender would write it: no compression is negotiated and the gateway sends
    // no Blobs, so ws never holds a message back in a queue of its own that this could overtake.
    socket.write(frame);
  }

  private readonly corked: Conn[] = [];
  private readonly uncorkAll = () => {
    for (const conn of this.corked) {
      conn.corked = false;
      (conn.ws as unknown as { _socket: Duplex })._socket.uncork();
    }
    this.corked.length = 0;
  };

  private fail(conn: Conn, error: ProtocolError, ref?: string): void {
    this.send(conn, {
      type: "error",
      ...(ref !== undefined ? { ref } : {}),
      reason: error.reason,
      message: error.message,
      ...(error.detail !== undefined ? { detail: error.detail } : {}),
    });
    const code = closeCodes[error.reason];
    if (code !== null) conn.ws.close(code, error.reason);
  }

  /** Token bucket: `messagesPerSecondMax` sustained, `messagesBurstMax` at once. */
  private admit(conn: Conn): boolean {
    const now = Date.now();
    const refill = ((now - conn.lastRefill) / 1000) * this.options.messagesPerSecondMax;
    conn.tokens = Math.min(this.options.messagesBurstMax, conn.tokens + refill);
    conn.lastRefill = now;
    if (conn.tokens >= 1) {
      conn.tokens -= 1;
      return true;
    }
    return false;
  }

  private receive(conn: Conn, data: Buffer, isBinary: boolean): void {
    if (!this.admit(conn)) {
      conn.strikes += 1;
      if (conn.strikes > this.options.rateLimitStrikesMax) {
        conn.ws.close(otherCloseCodes.abusive, "RateLimited");
        return;
      }
      this.fail(
        conn,
        new ProtocolError({
          reason: "RateLimited",
          message: `at most ${this.options.messagesPerSecondMax} messages per second`,
        }),
      );
      return;
    }
    if (isBinary) {
      this.fail(
        conn,
        new ProtocolError({
          reason: "BinaryNotAccepted",
          message: "binary messages are for frames and file chunks",
        }),
      );
      return;
    }
    if (data.length > this.options.controlMessageMaxBytes) {
      this.fail(
        conn,
        new ProtocolError({
          reason: "PayloadTooLarge",
          message: `messages are limited to ${this.options.controlMessageMaxBytes} bytes`,
        }),
      );
      return;
    }
    const decoded = decodeClientMessage(data.toString("utf8"), this.options.controlMessageMaxBytes);
    if (!decoded.ok) {
      if (conn.role === "pending") {
        this.fail(
          conn,
          new ProtocolError({ reason: "BadHandshake", message: `expected hello: ${decoded.error.message}` }),
        );
        return;
      }
      this.fail(conn, decoded.error, decoded.ref);
      return;
    }
    const m = decoded.message;
    if (conn.role === "pending") {
      if (m.type !== "hello") {
        this.fail(
          conn,
          new ProtocolError({ reason: "BadHandshake", message: "the first message must be hello" }),
          m.ref,
        );
        return;
      }
      this.hello(conn, m);
      return;
    }
    if (m.type === "hello") {
      this.fail(
        conn,
        new ProtocolError({ reason: "BadHandshake", message: "hello was already sent" }),
        m.ref,
      );
      return;
    }
    const principal = this.principalOf(conn, m);
    if (!mayUse(messagePermissions[m.type], principal)) {
      this.fail(
        conn,
        new ProtocolError({ reason: "Unauthorised", message: `${principal} may not send ${m.type}` }),
        m.ref,
      );
      return;
    }
    this.handle(conn, m);
  }

  private hello(conn: Conn, m: ClientMessageOf<"hello">): void {
    if (m.protocol !== PROTOCOL_VERSION) {
      this.fail(
        conn,
        new ProtocolError({
          reason: "UnsupportedVersion",
          message: `this server speaks protocol ${PROTOCOL_VERSION}`,
        }),
        m.ref,
      );
      return;
    }
    const unauthenticated = () =>
      this.fail(
        conn,
        new ProtocolError({ reason: "NotAuthenticated", message: "unknown or expired token" }),
        m.ref,
      );
    if (m.role === "agent" || m.role === "admin") {
      const account = this.accounts.authenticate(m.token);
      if (!account || account.role !== m.role) return unauthenticated();
      conn.role = m.role;
      conn.accountId = account.id;
      if (m.role === "agent") conn.agentId = AgentId(account.id);
    } else if (m.role === "customer") {
      const binding = m.customerToken ? this.customersByToken.get(m.customerToken) : undefined;
      if (!binding || binding.ended) return unauthenticated();
      this.bindCustomer(conn, binding);
    } else {
      conn.role = "anonymous";
    }
    this.send(conn, {
      type: "welcome",
      protocol: PROTOCOL_VERSION,
      role: conn.role as "anonymous",
      ...(conn.agentId ? { agentId: conn.agentId } : {}),
      ...(conn.customer ? { requestId: conn.customer.requestId } : {}),
      ...(conn.customer?.sessionId ? { sessionId: conn.customer.sessionId } : {}),
      heartbeatIntervalMs: this.options.heartbeatIntervalMs,
      controlMessageMaxBytes: this.options.controlMessageMaxBytes,
      messagesPerSecondMax: this.options.messagesPerSecondMax,
    });
    if (conn.role === "agent") {
      this.agentConnected(conn, conn.agentId!);
      this.sendAgentState(conn);
    }
    if (conn.role === "customer") this.sendCustomerState(conn);
  }

  private agentConnected(conn: Conn, agentId: AgentIdT): void {
    conn.agentId = agentId;
    const set = this.agentConns.get(agentId) ?? new Set();
    set.add(conn);
    this.agentConns.set(agentId, set);
    const view = this.floor.agent(agentId);
    if (view && !view.loggedIn) this.adapter.dispatch({ type: "agent.login", agentId });
    else if (view && !view.connected) this.adapter.dispatch({ type: "agent.reconnect", agentId });
  }

  private sendAgentState(conn: Conn): void {
    const agentId = conn.agentId!;
    const view = this.floor.agent(agentId);
    // Requests someone else already answered are no longer this agent's to answer (issue 4, R-L3).
    const incoming = [...this.requests.entries()]
      .filter(([, r]) => r.audience.has(agentId) && (!r.answeredBy || r.answeredBy === agentId))
      .map(([requestId, r]) => ({
        requestId,
        portalId: r.portalId,
        mode: r.mode,
        customer: r.customer,
        postedAt: r.postedAt,
        ...(r.colour ? { colour: r.colour } : {}),
        ...(r.queuedPosition !== undefined && r.answeredBy === agentId
          ? { queuedPosition: r.queuedPosition }
          : {}),
      }));
    const sessions = [...this.customersBySession.keys()]
      .map((id) => this.floor.session(SessionId(id)))
      .filter((s) => s && (s.owner === agentId || s.invitees.some((p) => p.agentId === agentId)))
      .map((s) => ({
        sessionId: s!.sessionId,
        owner: s!.owner,
        customer: s!.customer,
        portalId: s!.portalId,
        startedAt: this.memory.sessionStartedAt.get(s!.sessionId),
        state: s!.screen,
        participants: [{ agentId: s!.owner, hidden: false }, ...s!.invitees],
        customerPresent: s!.customerPresent,
        pendingTransfer: s!.pendingTransfer,
        pendingInvite: s!.pendingInvite,
      }));
    const codes = [...this.memory.codes.values()].filter((c) => c.issuerId === agentId);
    const history = this.store
      .history(50, agentId)
      .filter((h) => h.endedAt !== null && h.endedAt !== undefined)
      .map((h) => ({
        sessionId: h.sessionId,
        portalId: h.portalId,
        customer: {
          name: h.customerName,
          language: h.language,
          ...(h.question ? { question: h.question } : {}),
        },
        startedAt: h.startedAt,
        endedAt: h.endedAt,
        resolution: h.resolution,
        extra: h.extra,
        closedBy: h.closedBy,
        reason: h.endReason,
      }));
    this.send(conn, {
      type: "agent.state",
      agent: view
        ? {
            id: view.id,
            name: view.config.name,
            available: view.available,
            active: view.active,
            max: view.max,
          }
        : {},
      incoming,
      sessions,
      codes,
      history,
      serverTime: Date.now(),
    });
  }

  private sendCustomerState(conn: Conn): void {
    const b = conn.customer!;
    if (b.sessionId) {
      this.sendJoined(b, conn);
      this.send(conn, {
        type: "transcript",
        sessionId: b.sessionId,
        lines: this.store.transcript(b.sessionId, true),
      });
    }
  }

  private bindCustomer(conn: Conn, binding: CustomerBinding): void {
    conn.role = "customer";
    conn.customer = binding;
    binding.conns.add(conn);
    if (binding.graceTimer) clearTimeout(binding.graceTimer);
  }

  /** Resolves who is asking, relative to the message's target (authorisation.ts). */
  private principalOf(conn: Conn, m: ClientMessage): Principal {
    const target = messagePermissions[m.type].target;
    if (conn.role === "anonymous" || conn.role === "pending") return "anonymous";
    if (conn.role === "admin") return "admin";
    if (conn.role === "customer") {
      const b = conn.customer!;
      if (target === "session")
        return "sessionId" in m && m.sessionId === b.sessionId ? "customer" : "otherCustomer";
      if (target === "request")
        return "requestId" in m && m.requestId === b.requestId ? "customer" : "otherCustomer";
      return "customer";
    }
    const agentId = conn.agentId!;
    if (target === "session" && "sessionId" in m) return this.agentRelation(agentId, m.sessionId);
    const allowed = messagePermissions[m.type].allowed;
    return (
      (["ownerAgent", "invitedAgent", "otherAgent"] as const).find((p) => allowed.includes(p)) ?? "otherAgent"
    );
  }

  agentRelation(agentId: AgentIdT, sessionId: string): Principal {
    const live = this.floor.session(SessionId(sessionId));
    if (live) {
      if (live.owner === agentId) return "ownerAgent";
      return live.invitees.some((p) => p.agentId === agentId) ? "invitedAgent" : "otherAgent";
    }
    const past = this.store.pastSession(sessionId);
    return past && (past.ownerId === agentId || past.firstAgentId === agentId) ? "ownerAgent" : "otherAgent";
  }

  customerRelation(customerToken: string, sessionId: string): Principal | null {
    const b = this.customersByToken.get(customerToken) ?? this.endedCustomers.get(customerToken);
    if (!b) return null;
    return b.sessionId === sessionId ? "customer" : "otherCustomer";
  }

  /**
   * A request or session is over for this customer: their binding goes, and only a small record stays for
   * `endedCustomerRetentionMs` so the page can still fetch the transcript. At 100 requests/s, keeping every binding
   * would grow the heap without bound.
   */
  private retire(b: CustomerBinding): void {
    b.ended = true;
    if (b.graceTimer) clearTimeout(b.graceTimer);
    this.customersByToken.delete(b.token);
    this.customersByRequest.delete(b.requestId);
    if (b.sessionId) this.customersBySession.delete(b.sessionId);
    this.endedCustomers.set(b.token, {
      ...(b.sessionId ? { sessionId: b.sessionId } : {}),
      until: Date.now() + this.options.endedCustomerRetentionMs,
    });
  }

  private forgetEndedCustomers(now: number): void {
    // Insertion order is retirement order, and the retention is one constant: the expired ones come first.
    for (const [token, ended] of this.endedCustomers) {
      if (ended.until > now) break;
      this.endedCustomers.delete(token);
    }
  }

  // ——— handling ———

  /** Dispatches a floor command for this socket and answers it: ack (with `data`) or the floor's rejection. */
  private command(
    conn: Conn,
    ref: string | undefined,
    command: FloorCommand,
    data?: (r: DispatchResult) => Record<string, unknown>,
  ): DispatchResult {
    return this.adapter.dispatch(command, (result) => this.answer(conn, ref, result, data));
  }

  private answer(
    conn: Conn,
    ref: string | undefined,
    result: DispatchResult,
    data?: (r: DispatchResult) => Record<string, unknown>,
  ) {
    if (!result.ok) {
      this.fail(
        conn,
        new ProtocolError({
          reason: "Rejected",
          message: result.rejection.detail,
          detail: result.rejection.reason,
        }),
        ref,
      );
      return;
    }
    this.send(conn, {
      type: "ack",
      ...(ref !== undefined ? { ref } : {}),
      ...(data ? { data: data(result) } : {}),
    });
  }

  private handle(conn: Conn, m: ClientMessage): void {
    const agentId = conn.agentId as AgentIdT;
    const ref = m.ref;
    switch (m.type) {
      case "ping":
        return this.send(conn, { type: "pong", ...(ref !== undefined ? { ref } : {}) });
      case "customer.post":
        return this.post(conn, m);
      case "customer.abandon":
        return void this.command(conn, ref, { type: "request.abandon", requestId: RequestId(m.requestId) });
      case "customer.leave":
        conn.customer!.ended = true;
        return void this.command(conn, ref, {
          type: "session.customerLeft",
          sessionId: SessionId(m.sessionId),
        });
      case "agent.setAvailable":
        return void this.command(conn, ref, { type: "agent.setAvailable", agentId, available: m.available });
      case "agent.logout":
        this.send(conn, { type: "ack", ...(ref !== undefined ? { ref } : {}) });
        return this.accounts.logout(conn.accountId!);
      case "request.answer":
        return void this.command(conn, ref, {
          type: "request.answer",
          agentId,
          requestId: RequestId(m.requestId),
        });
      case "request.decline":
        return void this.command(conn, ref, {
          type: "request.decline",
          agentId,
          requestId: RequestId(m.requestId),
        });
      case "code.create":
        return void this.command(
          conn,
          ref,
          {
            type: "code.create",
            agentId,
            portalId: portalId(m.portalId),
            ...(m.name ? { name: m.name } : {}),
          },
          (r) => {
            const created = r.events.find((e) => e.type === "code.created");
            return created ? { ...created } : {};
          },
        );
      case "code.cancel":
        return void this.command(conn, ref, { type: "code.cancel", agentId, code: m.code as never });
      case "chat.send":
        return void this.command(conn, ref, {
          type: "session.chat",
          sessionId: SessionId(m.sessionId),
          from: conn.role === "customer" ? { kind: "customer" } : { kind: "agent", agentId },
          text: m.text,
        });
      case "note.add":
        return void this.command(conn, ref, {
          type: "session.note",
          sessionId: SessionId(m.sessionId),
          agentId,
          text: m.text,
        });
      case "url.push":
        return void this.command(conn, ref, {
          type: "session.pushUrl",
          sessionId: SessionId(m.sessionId),
          agentId,
          url: m.url,
        });
      case "session.invite":
        return void this.command(conn, ref, {
          type: "session.invite",
          sessionId: SessionId(m.sessionId),
          agentId,
          to: "agentId" in m.to ? { agentId: AgentId(m.to.agentId) } : { portalId: portalId(m.to.portalId) },
          hidden: m.hidden,
          ...(m.comments !== undefined ? { comments: m.comments } : {}),
        });
      case "session.transfer":
        return void this.command(conn, ref, {
          type: "session.transfer",
          sessionId: SessionId(m.sessionId),
          agentId,
          to: "agentId" in m.to ? { agentId: AgentId(m.to.agentId) } : { portalId: portalId(m.to.portalId) },
          ...(m.comments !== undefined ? { comments: m.comments } : {}),
        });
      case "session.cancelInvite":
      case "session.acceptInvite":
      case "session.cancelTransfer":
      case "session.acceptTransfer":
      case "session.leave":
        return void this.command(conn, ref, { type: m.type, sessionId: SessionId(m.sessionId), agentId });
      case "session.close":
        return void this.command(conn, ref, {
          type: "session.close",
          sessionId: SessionId(m.sessionId),
          agentId,
          resolution: m.resolution,
          extra: m.extra ?? null,
        });
      case "session.closeAll":
        return void this.command(conn, ref, {
          type: "session.closeAll",
          agentId,
          resolution: m.resolution,
          extra: m.extra ?? null,
        });
      case "session.transcript":
        return this.send(conn, {
          type: "transcript",
          ...(ref !== undefined ? { ref } : {}),
          sessionId: m.sessionId,
          lines: this.store.transcript(m.sessionId, conn.role === "customer"),
        });
      case "diagnostics.request":
        return this.requestDiagnostics(conn, m);
      case "screen.present":
        return this.send(conn, {
          type: "ack",
          ...(ref !== undefined ? { ref } : {}),
          data: this.presenterKey(m.sessionId, agentId),
        });
      case "diagnostics.answer": {
        const ok = this.store.answerDiagnostics(m.diagnosticsId, m.sessionId, m.outcome, Date.now());
        if (!ok)
          return this.fail(
            conn,
            new ProtocolError({
              reason: "Rejected",
              message: "no such open diagnostics request",
              detail: "unknownRequest",
            }),
            ref,
          );
        return this.store.afterCommit(() =>
          this.send(conn, { type: "ack", ...(ref !== undefined ? { ref } : {}) }),
        );
      }
    }
  }

  /** Admission of new requests (server/admission): null takes the post, else why it is refused. */
  admitPost: () => string | null = () => null;

  private post(conn: Conn, m: ClientMessageOf<"customer.post">): void {
    const overloaded = this.admitPost();
    if (overloaded) {
      this.fail(
        conn,
        new ProtocolError({
          reason: "Overloaded",
          message: "the service is very busy; please try again in a moment",
          detail: overloaded,
        }),
        m.ref,
      );
      return;
    }
    const now = Date.now();
    const portal = this.portalOf(m.portalId);
    const isCode = portal?.mode === "phone";
    if (isCode && (this.codeByAddress.blocked(conn.address, now) || this.codeGlobal.blocked("all", now))) {
      this.fail(
        conn,
        new ProtocolError({ reason: "Throttled", message: "too many wrong codes; try again later" }),
        m.ref,
      );
      return;
    }
    const command: FloorCommand = {
      type: "request.post",
      portalId: portalId(m.portalId),
      customer: {
        name: m.name,
        language: m.language,
        ...(m.question ? { question: m.question } : {}),
        ...(m.os ? { os: m.os } : {}),
      },
      ...(m.matchAgentId ? { matchAgentId: AgentId(m.matchAgentId) } : {}),
      ...(m.code ? { code: m.code } : {}),
    };
    this.adapter.dispatch(command, (result) => {
      if (!result.ok) {
        if (
          isCode &&
          ["unknownCode", "codeExpired", "wrongPortal", "codeUsed"].includes(result.rejection.reason)
        ) {
          this.codeByAddress.fail(conn.address, now);
          this.codeGlobal.fail("all", now);
        }
        this.answer(conn, m.ref, result);
        return;
      }
      const posted = result.events.find((e) => e.type === "request.posted");
      if (!posted) return this.answer(conn, m.ref, result);
      const binding: CustomerBinding = {
        token: randomBytes(24).toString("base64url"),
        requestId: posted.requestId,
        portalId: m.portalId,
        language: m.language,
        conns: new Set(),
        ended: false,
      };
      this.customersByToken.set(binding.token, binding);
      this.customersByRequest.set(binding.requestId, binding);
      this.bindCustomer(conn, binding);
      this.send(conn, {
        type: "request.accepted",
        ...(m.ref !== undefined ? { ref: m.ref } : {}),
        requestId: binding.requestId,
        customerToken: binding.token,
      });
      this.toCustomer(binding, { type: "request.status", requestId: binding.requestId, state: "waiting" });
    });
  }

  private requestDiagnostics(conn: Conn, m: ClientMessageOf<"diagnostics.request">): void {
    const id = this.store.addDiagnostics(m.sessionId, conn.agentId!, Date.now());
    if (id === undefined) {
      this.fail(
        conn,
        new ProtocolError({ reason: "Rejected", message: "no open session", detail: "unknownSession" }),
        m.ref,
      );
      return;
    }
    this.store.afterCommit(() => {
      this.send(conn, {
        type: "ack",
        ...(m.ref !== undefined ? { ref: m.ref } : {}),
        data: { diagnosticsId: id },
      });
      const b = this.customersBySession.get(m.sessionId);
      if (b) this.toCustomer(b, { type: "diagnostics.requested", sessionId: m.sessionId, diagnosticsId: id });
    });
  }

  // ——— fan-out of the floor's events ———

  private toAgents(agentIds: Iterable<AgentIdT>, message: ServerMessage): void {
    this.toAgentsText(new Set(agentIds), JSON.stringify(message));
  }

  /** One text, serialised once, to every console of these agents. */
  private toAgentsText(agentIds: ReadonlySet<AgentIdT>, text: string): void {
    let frame: Buffer | undefined;
    for (const id of agentIds) {
      const conns = this.agentConns.get(id);
      if (!conns) continue;
      frame ??= textFrame(text);
      for (const conn of conns) this.write(conn, frame);
    }
  }

  private toCustomer(b: CustomerBinding, message: ServerMessage): void {
    if (b.conns.size === 0) return;
    const frame = textFrame(JSON.stringify(message));
    for (const conn of b.conns) this.write(conn, frame);
  }

  private sessionAgents(sessionId: string): AgentIdT[] {
    const s = this.floor.session(SessionId(sessionId));
    return s ? [s.owner, ...s.invitees.map((p) => p.agentId)] : [];
  }

  private visibleNames(sessionId: string): string[] {
    const s = this.floor.session(SessionId(sessionId));
    if (!s) return [];
    return [s.owner, ...s.invitees.filter((p) => !p.hidden).map((p) => p.agentId)].map(this.nameOf);
  }

  /** server/tools (R-T5, issue 7 wiring): keep the customer's chat while their computer restarts; 0 ends the hold. */
  holdCustomer(sessionId: string, untilMs: number): void {
    const b = this.customersBySession.get(sessionId);
    if (b) b.restartHoldUntil = untilMs;
  }

  /** server/tools: a system line written into the transcript, told live to the session's agents and customer. */
  tellSystemLine(sessionId: string, line: { lineNo: number; at: number; text: string }): void {
    const message: ServerMessage = {
      type: "chat.line",
      sessionId,
      line: { lineNo: line.lineNo, at: line.at, kind: "system", author: "", text: line.text },
    };
    this.toAgents(this.sessionAgents(sessionId), message);
    const b = this.customersBySession.get(sessionId);
    if (b) this.toCustomer(b, message);
  }

  /** The owner's key for showing their own screen (R-S8): one per session, kept while they own it. */
  private presenterKey(sessionId: string, agentId: AgentIdT): { key: string; command: string } {
    let p = this.presenters.get(sessionId);
    if (p?.agentId !== agentId) {
      p = { agentId, key: randomBytes(16).toString("hex") };
      this.presenters.set(sessionId, p);
    }
    const ws = this.options.publicUrl.replace(/^http/, "ws");
    return {
      key: p.key,
      command: `npx tandem-host --present --server ${ws}/ws --session ${sessionId} --key ${p.key}`,
    };
  }

  /** The presenter key the session's current owner was given, if any (a key stays with the owner who got it). */
  presenterKeyOf(sessionId: string): string | undefined {
    const p = this.presenters.get(sessionId);
    return p && this.floor.session(SessionId(sessionId))?.owner === p.agentId ? p.key : undefined;
  }

  /** The key the customer's host must present on the screen channel (`session.joined`), once one was handed out. */
  hostKeyOf(sessionId: string): string | undefined {
    return this.customersBySession.get(sessionId)?.hostKey;
  }

  /** The same key while the customer is still in the session: a customer who left no longer sees the agent's screen. */
  customerKeyOf(sessionId: string): string | undefined {
    const b = this.customersBySession.get(sessionId);
    return b && !b.ended ? b.hostKey : undefined;
  }

  private sendJoined(b: CustomerBinding, only?: Conn): void {
    const s = this.floor.session(SessionId(b.sessionId!));
    if (!s) return;
    b.hostKey ??= randomBytes(16).toString("hex");
    const ws = this.options.publicUrl.replace(/^http/, "ws");
    const joined: ServerMessage = {
      type: "session.joined",
      sessionId: b.sessionId!,
      agentName: this.nameOf(s.owner),
      host: {
        command: `npx tandem-host --server ${ws}/ws --session ${b.sessionId} --key ${b.hostKey}`,
        sessionKey: b.hostKey,
      },
    };
    const participants: ServerMessage = {
      type: "participants",
      sessionId: b.sessionId!,
      names: this.visibleNames(b.sessionId!),
    };
    for (const conn of only ? [only] : b.conns) {
      this.send(conn, joined);
      this.send(conn, participants);
    }
  }

  /** Keeps what `agent.state` gives a reconnecting console: alert colours, answers, Queued places, start times, codes. */
  private remember(e: RecordedEvent): void {
    const m = this.memory;
    switch (e.type) {
      case "alert.raised":
        if (e.requestId) {
          const r = this.requests.get(e.requestId);
          if (r) r.colour = e.colour;
        }
        return;
      case "request.answered": {
        const r = this.requests.get(e.requestId);
        if (r) r.answeredBy = e.agentId;
        return;
      }
      case "request.queuedForAgent": {
        const r = this.requests.get(e.requestId);
        if (r) r.queuedPosition = e.position;
        return;
      }
      case "session.started":
        m.sessionStartedAt.set(e.sessionId, e.at);
        return;
      case "session.closed":
        m.sessionStartedAt.delete(e.sessionId);
        this.presenters.delete(e.sessionId);
        return;
      case "session.ownerChanged":
        // A key stays with the owner who got it: back to a former owner, it must be asked for again.
        this.presenters.delete(e.sessionId);
        return;
      case "code.created":
        m.codes.set(e.code, { ...e });
        return;
      case "code.converted":
      case "code.expired":
      case "code.cancelled":
        m.codes.delete(e.code);
        return;
    }
  }

  private fanOut(e: RecordedEvent): void {
    this.remember(e);
    this.toAgentsFor(e);
    this.toCustomerFor(e);
  }

  private toAgentsFor(e: RecordedEvent): void {
    const audience = new Set<AgentIdT>();
    let extra: Record<string, unknown> | undefined;
    const ev = e as RecordedEvent & {
      agentId?: AgentIdT;
      agentIds?: AgentIdT[];
      requestId?: string;
      sessionId?: string;
    };
    if (e.type === "request.posted") {
      this.requests.set(e.requestId, {
        portalId: e.portalId,
        mode: e.mode,
        customer: e.customer,
        audience: new Set(),
        postedAt: e.at,
      });
    }
    const request = ev.requestId ? this.requests.get(ev.requestId) : undefined;
    if (ev.agentId) audience.add(ev.agentId);
    for (const id of ev.agentIds ?? []) audience.add(id);
    if (request && (e.type === "alert.raised" || e.type === "offer.made" || e.type === "request.answered")) {
      for (const id of audience) request.audience.add(id);
      extra = {
        request: {
          requestId: ev.requestId,
          portalId: request.portalId,
          mode: request.mode,
          customer: request.customer,
        },
      };
    }
    if (request && e.type.startsWith("request.")) for (const id of request.audience) audience.add(id);
    if (ev.sessionId) {
      const s = this.floor.session(SessionId(ev.sessionId));
      if (s) {
        audience.add(s.owner);
        for (const p of s.invitees) audience.add(p.agentId);
      }
      if (e.type === "alert.raised") {
        if (s)
          extra = {
            session: {
              sessionId: s.sessionId,
              portalId: s.portalId,
              owner: s.owner,
              customer: s.customer,
              comments: s.pendingInvite?.comments ?? s.pendingTransfer?.comments ?? "",
            },
          };
      }
    }
    if (e.type.startsWith("code.") && "issuerId" in e) audience.add(e.issuerId);
    if (e.type === "transfer.requested") audience.add(e.from);
    if (e.type === "request.started" || e.type === "request.abandoned" || e.type === "request.expired")
      this.requests.delete(e.requestId);
    if (audience.size === 0) return;
    // Most events go as they are: the same JSON the event log stored (eventJson), inside the envelope.
    this.toAgentsText(
      audience,
      extra
        ? JSON.stringify({ type: "event", event: { ...e, ...extra } } satisfies ServerMessage)
        : `{"type":"event","event":${eventJson(e)}}`,
    );
  }

  private status(b: CustomerBinding, state: RequestState, position?: number): void {
    this.toCustomer(b, {
      type: "request.status",
      requestId: b.requestId,
      state,
      ...(position !== undefined ? { position } : {}),
    });
  }

  private toCustomerFor(e: RecordedEvent): void {
    const requestId = "requestId" in e ? (e.requestId as string | undefined) : undefined;
    const sessionId = "sessionId" in e ? (e.sessionId as string | undefined) : undefined;
    const b = requestId
      ? this.customersByRequest.get(requestId)
      : sessionId
        ? this.customersBySession.get(sessionId)
        : undefined;
    if (!b) return;
    switch (e.type) {
      case "queue.enqueued":
        return this.status(b, "inQueue", e.length);
      case "offer.made":
        return this.status(b, "offered");
      case "offer.ended":
        return this.status(b, "inQueue");
      case "request.answered":
        return this.status(b, "answered");
      case "request.queuedForAgent":
        return this.status(b, "queuedForAgent", e.position);
      case "request.expired":
        this.status(b, "expired");
        return this.retire(b);
      case "request.abandoned":
        this.status(b, "abandoned");
        return this.retire(b);
      case "request.started":
        b.sessionId = e.sessionId;
        this.customersBySession.set(e.sessionId, b);
        this.customersByRequest.delete(b.requestId);
        return this.sendJoined(b);
      case "chat.posted":
        return this.toCustomer(b, {
          type: "chat.line",
          sessionId: e.sessionId,
          line: {
            lineNo: e.lineNo,
            at: e.at,
            kind: "chat",
            author: e.from.kind === "customer" ? "customer" : this.nameOf(e.from.agentId),
            text: e.text,
          },
        });
      case "url.pushed":
        return this.toCustomer(b, {
          type: "url.pushed",
          sessionId: e.sessionId,
          url: e.url,
          lineNo: e.lineNo,
        });
      case "participant.joined":
        if (e.hidden) return;
        return this.toCustomer(b, {
          type: "participants",
          sessionId: e.sessionId,
          names: this.visibleNames(e.sessionId),
        });
      case "participant.left":
      case "session.ownerChanged":
        return this.toCustomer(b, {
          type: "participants",
          sessionId: e.sessionId,
          names: this.visibleNames(e.sessionId),
        });
      case "transfer.requested":
        return this.toCustomer(b, {
          type: "chat.line",
          sessionId: e.sessionId,
          line: { lineNo: 0, at: e.at, kind: "transfer", author: "", text: "transfer" },
        });
      case "session.closed":
        this.toCustomer(b, { type: "session.ended", sessionId: e.sessionId, reason: e.reason });
        return this.retire(b);
      case "customer.left":
        b.ended = true;
        return;
    }
  }

  // ——— revocation and shutdown ———

  /** An account logged out or was disabled: its agent leaves the floor and every socket of it closes. */
  revoke(accountId: string): void {
    const agentId = AgentId(accountId);
    if (this.floor.agent(agentId)?.loggedIn) this.adapter.dispatch({ type: "agent.logout", agentId });
    for (const conn of [...this.conns]) {
      if (conn.accountId === accountId) {
        this.fail(conn, new ProtocolError({ reason: "LoggedOut", message: "logged out" }));
      }
    }
  }

  /** SIGTERM: refuse new sockets, tell every client, close them. */
  shutdown(): void {
    this.closing = true;
    clearInterval(this.heartbeat);
    for (const conn of this.conns) {
      this.send(conn, { type: "server.shutdown" });
      conn.ws.close(closeCodes.ShuttingDown!, "ShuttingDown");
    }
    for (const b of this.customersByToken.values()) if (b.graceTimer) clearTimeout(b.graceTimer);
  }

  /** Open sockets by role, for GET /metrics (issue 6). */
  connectionsByRole(): Record<Role, number> {
    const counts: Record<Role, number> = { pending: 0, anonymous: 0, agent: 0, admin: 0, customer: 0 };
    for (const conn of this.conns) counts[conn.role] += 1;
    return counts;
  }

  /** Sockets still open (shutdown waits for them, up to its deadline). */
  openSockets(): number {
    return this.conns.size;
  }

  terminateAll(): void {
    for (const conn of this.conns) conn.ws.terminate();
  }

  portalIdOf = (p: string): PortalId => portalId(p);
}
