// The tools socket (`/tools`): binds a session's host (by its session key) and its agents (by token), enforces the
// tools authorisation table and the customer's grants (default deny), relays tool messages between them, streams
// file chunks through the transfer relay, runs restart-and-reconnect's 10-minute window, and audits every step.
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import { AgentId, type AgentId as AgentIdT, type Floor, SessionId } from "../../actors/index.ts";
import type { Principal } from "../../protocol/messages/index.ts";
import {
  decodeToolClientMessage,
  displayName,
  mayUseTool,
  TOOLS_PROTOCOL_VERSION,
  type ToolClientMessage,
  type ToolClientMessageOf,
  type ToolErrorReason,
  type ToolLimits,
  type ToolName,
  type ToolPrincipal,
  type ToolServerMessage,
  toolCloseCodes,
  toolMessagePermissions,
  toolNames,
} from "../../protocol/tools/index.ts";
import type { Accounts } from "../accounts/accounts.ts";
import type { FloorAdapter } from "../floorAdapter.ts";
import type { Store } from "../store/store.ts";
import { type EndpointKey, type Transfer, TransferRelay } from "../transfers/index.ts";
import { YoungGarbageBound } from "../transfers/youngGarbageBound.ts";
import { ToolAudit } from "./toolAudit.ts";

export interface ToolGatewayOptions extends ToolLimits {
  /** Largest WebSocket message (a chunk plus its header fits under it); ws closes with 1009 past it. */
  socketFrameMaxBytes: number;
  /** Largest text message on the tools socket. */
  toolMessageMaxBytes: number;
  /** Text messages per second per socket, with bursts up to `toolMessagesBurstMax` (binary chunks are paced by the window). */
  toolMessagesPerSecondMax: number;
  toolMessagesBurstMax: number;
  heartbeatIntervalMs: number;
}

export const defaultToolGatewayOptions: Omit<ToolGatewayOptions, keyof ToolLimits> = {
  socketFrameMaxBytes: 4 * 1_048_576,
  // An offer lists every file of a folder (up to offerFilesMax); only a session's own host and agents get this far.
  toolMessageMaxBytes: 2 * 1_048_576,
  toolMessagesPerSecondMax: 200,
  toolMessagesBurstMax: 2_000,
  heartbeatIntervalMs: 30_000,
};

/** What the tools socket needs from the main gateway (issue 7 wiring): who is who in a session. */
export interface SessionDirectory {
  hostKeyMatches(sessionId: string, key: string): boolean;
  agentRelation(agentId: AgentIdT, sessionId: string): Principal;
  /** Keeps the customer's chat alive while their computer restarts (R-T5: chat stays). */
  holdCustomer(sessionId: string, untilMs: number): void;
  /** A line the tools wrote into the transcript, told live to the session's chats (R-T5: "noted in both chats"). */
  tellLine(sessionId: string, line: { lineNo: number; at: number; text: string }): void;
}

export interface ToolGatewayDeps {
  floor: Floor;
  adapter: FloorAdapter;
  store: Store;
  accounts: Accounts;
  directory: SessionDirectory;
  nameOf(id: AgentIdT): string;
  phoneMode(sessionId: string): boolean;
  /** R-T4 "where configured": the management center's switch. */
  runAsServiceEnabled(): boolean;
  log(line: string): void;
}

interface Conn {
  ws: WebSocket;
  role: "pending" | "host" | "agent";
  sessionId?: string;
  agentId?: AgentIdT;
  endpoint?: EndpointKey;
  alive: boolean;
  tokens: number;
  lastRefill: number;
}

interface ToolSession {
  sessionId: string;
  host?: Conn;
  agents: Map<EndpointKey, Set<Conn>>;
  grants: Record<ToolName, boolean>;
  /** Diagnostics requests by id: asked, then the customer's outcome; "sent" allows one report transfer. */
  diagnostics: Map<number, string>;
  restart?: { state: "asked" | "accepted" | "waiting"; deadline?: number; timer?: NodeJS.Timeout };
  ended: boolean;
}

const toolTitle: Record<ToolName, string> = {
  files: "file transfer",
  clipboard: "the shared clipboard",
  diagnostics: "diagnostics",
  restart: "restart and reconnect",
  elevation: "run as service (administrator rights)",
  credentials: "credentials",
};

const perFile = new Set(["file.sent", "file.verified", "file.accept"]);

const mib = (n: number) =>
  n >= 1_048_576 ? `${(n / 1_048_576).toFixed(1)} MiB` : `${n.toLocaleString("en")} bytes`;

export class ToolGateway {
  readonly wss: WebSocketServer;
  readonly relay: TransferRelay;
  readonly audit: ToolAudit;
  private readonly sessions = new Map<string, ToolSession>();
  private readonly conns = new Set<Conn>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly sweeper: NodeJS.Timeout;
  private closing = false;

  constructor(
    private readonly deps: ToolGatewayDeps,
    private readonly options: ToolGatewayOptions,
  ) {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: options.socketFrameMaxBytes });
    this.audit = new ToolAudit(deps.store);
    this.relay = new TransferRelay({ sendBinary: (s, to, bytes) => this.sendBinary(s, to, bytes) }, options);
    // Told after the floor's transaction commits: nothing is said before it is on disk.
    deps.floor.subscribe((e) => {
      if (e.type === "session.closed") setImmediate(() => this.end(e.sessionId, "closed"));
      // An agent who left (or handed the session over) hears nothing more of its tools.
      else if (e.type === "participant.left" || e.type === "session.ownerChanged")
        setImmediate(() => this.dropOutsiders(e.sessionId));
    });
    this.heartbeat = setInterval(() => this.beat(), options.heartbeatIntervalMs);
    this.heartbeat.unref();
    this.sweeper = setInterval(() => this.sweepTransfers(), Math.min(60_000, options.transferResumeWindowMs));
    this.sweeper.unref();
  }

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // Browsers are not tools clients (the console talks to the host through the agent's own process or page later):
    // a browser Origin must be this server's.
    const origin = req.headers.origin;
    if (this.closing || (origin && new URL(origin).host !== req.headers.host)) {
      socket.end("HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n");
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.connect(ws));
  }

  private connect(ws: WebSocket): void {
    const conn: Conn = {
      ws,
      role: "pending",
      alive: true,
      tokens: this.options.toolMessagesBurstMax,
      lastRefill: Date.now(),
    };
    this.conns.add(conn);
    ws.on("pong", () => {
      conn.alive = true;
    });
    ws.on("message", (data, isBinary) => {
      try {
        if (isBinary) this.binary(conn, data as Buffer);
        else this.text(conn, data as Buffer);
      } catch (err) {
        this.deps.log(`tools: message failed: ${(err as Error).stack}`);
        this.fail(conn, "Rejected", "the server could not apply this message");
      }
    });
    ws.on("close", () => this.closed(conn));
    ws.on("error", () => {});
  }

  private beat(): void {
    for (const conn of this.conns) {
      if (!conn.alive) {
        conn.ws.terminate();
        continue;
      }
      conn.alive = false;
      conn.ws.ping();
    }
  }

  // ——— sending ———

  private send(conn: Conn | undefined, m: ToolServerMessage): void {
    if (conn && conn.ws.readyState === conn.ws.OPEN) conn.ws.send(JSON.stringify(m));
  }

  private toAgents(s: ToolSession, m: ToolServerMessage): void {
    for (const set of s.agents.values()) for (const c of set) this.send(c, m);
  }

  /** The newest live socket of an endpoint. */
  private connOf(s: ToolSession, endpoint: EndpointKey): Conn | undefined {
    if (endpoint === "host") return s.host;
    const set = s.agents.get(endpoint);
    return set ? [...set].at(-1) : undefined;
  }

  private toEndpoint(s: ToolSession, endpoint: EndpointKey | undefined, m: ToolServerMessage): void {
    if (endpoint) this.send(this.connOf(s, endpoint), m);
  }

  private readonly garbage = new YoungGarbageBound();

  private sendBinary(sessionId: string, to: EndpointKey, bytes: Uint8Array): boolean {
    const s = this.sessions.get(sessionId);
    const conn = s && this.connOf(s, to);
    if (!conn || conn.ws.readyState !== conn.ws.OPEN) return false;
    conn.ws.send(bytes, { binary: true });
    this.garbage.add(bytes.length);
    return true;
  }

  private fail(conn: Conn, reason: ToolErrorReason, message: string, ref?: string): void {
    this.send(conn, { type: "tools.error", ...(ref !== undefined ? { ref } : {}), reason, message });
    const code = toolCloseCodes[reason];
    if (code !== null) conn.ws.close(code, reason);
  }

  private ack(conn: Conn, ref: string | undefined, data?: Record<string, unknown>): void {
    this.send(conn, { type: "tools.ack", ...(ref !== undefined ? { ref } : {}), ...(data ? { data } : {}) });
  }

  // ——— receiving ———

  private admit(conn: Conn): boolean {
    const now = Date.now();
    const refill = ((now - conn.lastRefill) / 1000) * this.options.toolMessagesPerSecondMax;
    conn.tokens = Math.min(this.options.toolMessagesBurstMax, conn.tokens + refill);
    conn.lastRefill = now;
    if (conn.tokens < 1) return false;
    conn.tokens -= 1;
    return true;
  }

  private binary(conn: Conn, data: Buffer): void {
    if (conn.role === "pending")
      return this.fail(conn, "BadHandshake", "the first message must be tools.hello");
    const s = this.sessions.get(conn.sessionId!);
    if (!s || s.ended) return this.fail(conn, "SessionEnded", "the session has ended");
    const r = this.relay.onChunk(s.sessionId, conn.endpoint!, data);
    if (r.ok) return;
    this.fail(conn, r.reason, r.message);
    // A sender that breaks the window or the declared size loses the transfer: the limits hold while streaming.
    if (r.reason === "WindowExceeded" || r.reason === "TooLarge" || r.reason === "BadChunk") {
      const id = data.length >= 12 ? data.readUInt32LE(8) : -1;
      const t = this.relay.get(id);
      if (t && t.sessionId === s.sessionId && (t.sender === conn.endpoint || t.receiver === conn.endpoint))
        this.cancel(s, t, r.message, "server");
    }
  }

  private text(conn: Conn, data: Buffer): void {
    if (data.length > this.options.toolMessageMaxBytes)
      return this.fail(conn, "TooLarge", `messages are limited to ${this.options.toolMessageMaxBytes} bytes`);
    const d = decodeToolClientMessage(data.toString("utf8"));
    if (!d.ok) {
      if (conn.role === "pending")
        return this.fail(conn, "BadHandshake", `expected tools.hello: ${d.message}`);
      return this.fail(conn, d.reason, d.message, d.ref);
    }
    const m = d.message;
    // Per-file steps of a transfer are paced by its bytes and bounded by its file count, not by the message rate.
    if (!perFile.has(m.type) && !this.admit(conn))
      return this.fail(conn, "Rejected", "too many messages; slow down", m.ref);
    if (conn.role === "pending") {
      if (m.type !== "tools.hello")
        return this.fail(conn, "BadHandshake", "the first message must be tools.hello");
      return this.hello(conn, m);
    }
    if (m.type === "tools.hello")
      return this.fail(conn, "BadHandshake", "tools.hello was already sent", m.ref);
    const s = this.sessions.get(conn.sessionId!);
    if (!s || s.ended) return this.fail(conn, "SessionEnded", "the session has ended", m.ref);
    const principal = this.principalOf(conn);
    if (!mayUseTool(m.type, principal))
      return this.fail(conn, "Unauthorised", `${principal} may not send ${m.type}`, m.ref);
    const grant = toolMessagePermissions[m.type].grant;
    if (grant && !s.grants[grant])
      return this.fail(conn, "NotGranted", `the customer has not granted ${toolTitle[grant]}`, m.ref);
    this.handle(conn, s, m);
  }

  private principalOf(conn: Conn): ToolPrincipal {
    if (conn.role === "host") return "host";
    const relation = this.deps.directory.agentRelation(conn.agentId!, conn.sessionId!);
    return relation === "ownerAgent" || relation === "invitedAgent" ? relation : "otherAgent";
  }

  private hello(conn: Conn, m: ToolClientMessageOf<"tools.hello">): void {
    if (m.protocol !== TOOLS_PROTOCOL_VERSION)
      return this.fail(
        conn,
        "UnsupportedVersion",
        `this server speaks tools protocol ${TOOLS_PROTOCOL_VERSION}`,
        m.ref,
      );
    const live = this.deps.floor.session(SessionId(m.sessionId));
    const existing = this.sessions.get(m.sessionId);
    if (!live || existing?.ended) return this.fail(conn, "SessionEnded", "no such open session", m.ref);
    if (m.role === "host") {
      if (!m.key || !this.deps.directory.hostKeyMatches(m.sessionId, m.key))
        return this.fail(conn, "NotAuthenticated", "unknown session key", m.ref);
    } else {
      const account = this.deps.accounts.authenticate(m.token);
      if (account?.role !== "agent")
        return this.fail(conn, "NotAuthenticated", "unknown or expired token", m.ref);
      const relation = this.deps.directory.agentRelation(AgentId(account.id), m.sessionId);
      if (relation !== "ownerAgent" && relation !== "invitedAgent")
        return this.fail(conn, "NotAuthenticated", "not a session of yours", m.ref);
      conn.agentId = AgentId(account.id);
    }
    const s = existing ?? this.open(m.sessionId);
    conn.role = m.role;
    conn.sessionId = m.sessionId;
    conn.endpoint = m.role === "host" ? "host" : `agent:${conn.agentId}`;
    if (m.role === "host") {
      const previous = s.host;
      s.host = conn;
      if (previous) this.fail(previous, "Replaced", "another host connection took over this session");
    } else {
      const set = s.agents.get(conn.endpoint) ?? new Set();
      set.add(conn);
      s.agents.set(conn.endpoint, set);
    }
    this.send(conn, {
      type: "tools.welcome",
      sessionId: s.sessionId,
      role: m.role,
      grants: { ...s.grants },
      hostPresent: s.host !== undefined,
      phoneMode: this.deps.phoneMode(s.sessionId),
      limits: {
        clipboardMaxBytes: this.options.clipboardMaxBytes,
        chunkBytesMax: this.options.chunkBytesMax,
        transferWindowBytes: this.options.transferWindowBytes,
        rebootReconnectWindowMs: this.options.rebootReconnectWindowMs,
      },
    });
    if (m.role === "host") {
      this.toAgents(s, { type: "tools.peer", role: "host", present: true });
      if (s.restart?.state === "waiting") this.back(s);
    } else {
      this.send(s.host, {
        type: "tools.peer",
        role: "agent",
        present: true,
        name: this.deps.nameOf(conn.agentId!),
      });
    }
  }

  private open(sessionId: string): ToolSession {
    const s: ToolSession = {
      sessionId,
      agents: new Map(),
      grants: Object.fromEntries(toolNames.map((t) => [t, false])) as Record<ToolName, boolean>,
      diagnostics: new Map(),
      ended: false,
    };
    this.sessions.set(sessionId, s);
    return s;
  }

  private closed(conn: Conn): void {
    this.conns.delete(conn);
    if (conn.role === "pending") return;
    const s = this.sessions.get(conn.sessionId!);
    if (!s || s.ended) return;
    let gone = false;
    if (conn.role === "host" && s.host === conn) {
      delete s.host;
      gone = true;
      this.toAgents(s, { type: "tools.peer", role: "host", present: false });
    } else if (conn.role === "agent") {
      const set = s.agents.get(conn.endpoint!);
      set?.delete(conn);
      if (set && set.size === 0) {
        s.agents.delete(conn.endpoint!);
        gone = true;
        this.send(s.host, {
          type: "tools.peer",
          role: "agent",
          present: false,
          name: this.deps.nameOf(conn.agentId!),
        });
      }
    }
    if (!gone) return;
    for (const t of this.relay.dropped(s.sessionId, conn.endpoint!)) {
      const other = t.sender === conn.endpoint ? t.receiver : t.sender;
      this.toEndpoint(s, other, { type: "file.interrupted", transferId: t.id });
    }
  }

  private dropOutsiders(sessionId: string): void {
    const s = this.sessions.get(sessionId);
    if (!s) return;
    for (const set of [...s.agents.values()])
      for (const c of [...set])
        if (this.principalOf(c) === "otherAgent")
          this.fail(c, "NotAuthenticated", "you are no longer in this session");
  }

  // ——— handling ———

  private actorOf(conn: Conn): string {
    return conn.role === "host" ? "customer" : this.deps.nameOf(conn.agentId!);
  }

  private record(
    s: ToolSession,
    tool: string,
    action: string,
    actor: string,
    line?: string,
    detail?: Record<string, unknown>,
  ): void {
    const written = this.audit.record(
      { sessionId: s.sessionId, at: Date.now(), tool, action, actor, ...(detail ? { detail } : {}) },
      line,
    );
    if (written) this.deps.store.afterCommit(() => this.deps.directory.tellLine(s.sessionId, written));
  }

  private needHost(conn: Conn, s: ToolSession, ref: string | undefined): boolean {
    if (s.host) return true;
    this.fail(conn, "PeerAbsent", "the customer's host is not connected", ref);
    return false;
  }

  private handle(conn: Conn, s: ToolSession, m: ToolClientMessage): void {
    const by = this.actorOf(conn);
    const ref = m.ref;
    switch (m.type) {
      case "tools.hello":
        return;
      case "tool.request": {
        if (!this.needHost(conn, s, ref)) return;
        this.record(s, m.tool, "requested", by, `${by} asked to use ${toolTitle[m.tool]}`);
        this.send(s.host, { type: "tool.requested", tool: m.tool, by });
        return this.ack(conn, ref);
      }
      case "tool.grant":
        return this.grant(conn, s, m.tool, m.granted, ref);
      case "file.offer":
        return this.offer(conn, s, m);
      case "file.accept":
        return this.accept(conn, s, m);
      case "file.decline": {
        const t = this.relay.get(m.transferId);
        if (!t || t.sessionId !== s.sessionId || !t.audience.has(conn.endpoint!) || t.receiver)
          return this.fail(conn, "UnknownTransfer", `no offer ${m.transferId} to decline`, ref);
        this.relay.end(t.id, "declined");
        const reason = m.reason ?? "declined";
        this.audit.fileEnded(s.sessionId, t.id, null, "declined", Date.now());
        this.record(s, t.purpose, "declined", by, `${by} declined ${this.describe(t)} (${reason})`);
        this.toEndpoint(s, t.sender, { type: "file.declined", transferId: t.id, reason });
        return this.ack(conn, ref);
      }
      case "file.sent": {
        const r = this.relay.sent(m.transferId, conn.endpoint!, m.index, m.sha256);
        if (!r.ok) return this.fail(conn, r.reason, r.message, ref);
        this.toEndpoint(s, r.value.receiver, {
          type: "file.sent",
          transferId: m.transferId,
          index: m.index,
          sha256: m.sha256,
        });
        return this.ack(conn, ref);
      }
      case "file.verified":
        return this.verified(conn, s, m);
      case "file.cancel": {
        const t = this.relay.get(m.transferId);
        if (!t || t.sessionId !== s.sessionId || (t.sender !== conn.endpoint && t.receiver !== conn.endpoint))
          return this.fail(conn, "UnknownTransfer", `no transfer ${m.transferId} of yours`, ref);
        this.cancel(s, t, m.reason ?? `cancelled by ${by}`, by);
        return this.ack(conn, ref);
      }
      case "diag.request": {
        if (!this.needHost(conn, s, ref)) return;
        const id = this.deps.store.addDiagnostics(s.sessionId, conn.agentId!, Date.now());
        if (id === undefined) return this.fail(conn, "SessionEnded", "no open session", ref);
        s.diagnostics.set(id, "asked");
        this.record(s, "diagnostics", "requested", by, `${by} asked for diagnostics`, { diagnosticsId: id });
        this.send(s.host, { type: "diag.requested", diagnosticsId: id, by });
        return this.ack(conn, ref, { diagnosticsId: id });
      }
      case "diag.answer": {
        if (s.diagnostics.get(m.diagnosticsId) !== "asked")
          return this.fail(conn, "Rejected", "no open diagnostics request", ref);
        this.deps.store.answerDiagnostics(m.diagnosticsId, s.sessionId, m.outcome, Date.now());
        s.diagnostics.set(m.diagnosticsId, m.outcome);
        const said = {
          sent: "sent",
          copied: "copied (not sent)",
          closed: "closed (nothing sent)",
          cancelled: "refused",
        };
        this.record(s, "diagnostics", m.outcome, by, `The customer ${said[m.outcome]} the diagnostics`, {
          diagnosticsId: m.diagnosticsId,
        });
        this.toAgents(s, { type: "diag.answered", diagnosticsId: m.diagnosticsId, outcome: m.outcome });
        return this.ack(conn, ref);
      }
      case "restart.request": {
        if (m.safeMode && !s.grants.elevation)
          return this.fail(
            conn,
            "NotGranted",
            "restarting in safe mode needs run as service (elevation)",
            ref,
          );
        if (!this.needHost(conn, s, ref)) return;
        s.restart = { state: "asked" };
        this.record(s, "restart", "requested", by, `${by} asked to restart the computer and reconnect`);
        this.send(s.host, { type: "restart.requested", safeMode: m.safeMode ?? false, by });
        return this.ack(conn, ref);
      }
      case "restart.answer": {
        if (s.restart?.state !== "asked") return this.fail(conn, "Rejected", "no restart was asked", ref);
        s.grants.restart = m.accepted;
        if (m.accepted) s.restart.state = "accepted";
        else delete s.restart;
        this.record(
          s,
          "restart",
          m.accepted ? "granted" : "refused",
          by,
          m.accepted ? "The customer allowed the restart" : "The customer refused the restart",
        );
        this.toAgents(s, { type: "restart.answered", accepted: m.accepted });
        return this.ack(conn, ref);
      }
      case "restart.begin":
        return this.beginRestart(conn, s, ref);
      case "restart.cancel": {
        if (s.restart?.state !== "waiting")
          return this.fail(conn, "Rejected", "the session is not waiting for a restart", ref);
        this.ack(conn, ref);
        this.record(s, "restart", "cancelled", by, `${by} cancelled the reconnection; the session ends`);
        return this.expire(s, "cancelled");
      }
      case "elevate.request": {
        if (!this.deps.runAsServiceEnabled())
          return this.fail(conn, "Disabled", "run as service is switched off in the management center", ref);
        if (!this.needHost(conn, s, ref)) return;
        this.record(
          s,
          "elevation",
          "requested",
          by,
          `${by} asked to run as service with administrator rights`,
        );
        this.send(s.host, { type: "elevate.requested", by });
        return this.ack(conn, ref);
      }
      case "elevate.state": {
        s.grants.elevation = m.elevated;
        this.record(
          s,
          "elevation",
          m.elevated ? "granted" : "refused",
          by,
          m.elevated
            ? `The host runs as service with administrator rights (${m.via ?? "?"})`
            : `The host does not run with administrator rights${m.detail ? ` (${m.detail})` : ""}`,
        );
        this.toAgents(s, {
          type: "elevate.state",
          elevated: m.elevated,
          ...(m.via ? { via: m.via } : {}),
          ...(m.detail ? { detail: m.detail } : {}),
        });
        return this.ack(conn, ref);
      }
      case "elevated.command": {
        if (!this.needHost(conn, s, ref)) return;
        if (m.command === "safeModeRestart") {
          // R-T4 unlocks R-T5 in safe mode: the customer is still asked, as for any restart.
          s.restart = { state: "asked" };
          this.record(
            s,
            "restart",
            "requested",
            by,
            `${by} asked to restart in safe mode with networking and reconnect`,
          );
          this.send(s.host, { type: "restart.requested", safeMode: true, by });
          return this.ack(conn, ref);
        }
        const what = m.command === "ctrlAltDel" ? "Ctrl+Alt+Del" : "restart in safe mode with networking";
        this.record(s, "elevation", m.command, by, `${by} sent ${what}`);
        this.send(s.host, { type: "elevated.command", command: m.command, by });
        return this.ack(conn, ref);
      }
      case "cred.state": {
        s.grants.credentials = m.state === "stored";
        const said = {
          stored: "The customer entered credentials on their computer (kept there, encrypted, never sent)",
          refused: "The customer refused to enter credentials",
          revoked: "The customer revoked the credentials",
          erased: "The credentials were erased from the customer's computer",
        };
        this.record(s, "credentials", m.state, by, said[m.state]);
        this.toAgents(s, { type: "cred.state", state: m.state });
        return this.ack(conn, ref);
      }
    }
  }

  private grant(conn: Conn, s: ToolSession, tool: ToolName, granted: boolean, ref: string | undefined): void {
    const was = s.grants[tool];
    s.grants[tool] = granted;
    const action = granted ? "granted" : was ? "revoked" : "refused";
    this.record(s, tool, action, "customer", `The customer ${action} ${toolTitle[tool]}`);
    this.toAgents(s, { type: "tool.granted", tool, granted, grants: { ...s.grants } });
    this.ack(conn, ref);
    if (!granted && (tool === "files" || tool === "clipboard")) {
      // Revocation stops what is flowing at once, in both directions.
      for (const t of this.relay.ofSession(s.sessionId))
        if (t.purpose === tool) this.cancel(s, t, "revoked by the customer", "customer");
    }
  }

  private describe(t: Transfer): string {
    const names = t.files.map((f) => displayName(f.file.path));
    const bytes = t.files.reduce((n, f) => n + f.file.size, 0);
    const what =
      t.purpose === "clipboard"
        ? "a clipboard"
        : t.purpose === "diagnostics"
          ? "diagnostics"
          : `${t.files.length} file(s)`;
    const list = names.slice(0, 5).join(", ") + (names.length > 5 ? ` and ${names.length - 5} more` : "");
    return t.purpose === "files" ? `${what} (${mib(bytes)}): ${list}` : `${what} (${mib(bytes)})`;
  }

  private offer(conn: Conn, s: ToolSession, m: ToolClientMessageOf<"file.offer">): void {
    const fromHost = conn.role === "host";
    if (m.purpose === "diagnostics") {
      if (!fromHost || m.diagnosticsId === undefined || s.diagnostics.get(m.diagnosticsId) !== "sent")
        return this.fail(conn, "Rejected", "diagnostics are sent only after the customer chose Send", m.ref);
      s.diagnostics.set(m.diagnosticsId, "delivered");
    } else if (!fromHost && !s.grants[m.purpose]) {
      // Default deny: an agent sends files or a clipboard only with the customer's standing grant.
      return this.fail(conn, "NotGranted", `the customer has not granted ${toolTitle[m.purpose]}`, m.ref);
    }
    const audience = fromHost ? [...s.agents.keys()] : s.host ? ["host"] : [];
    const r = this.relay.offer({
      sessionId: s.sessionId,
      sender: conn.endpoint!,
      audience,
      purpose: m.purpose,
      files: m.files,
      ...(m.diagnosticsId !== undefined ? { diagnosticsId: m.diagnosticsId } : {}),
    });
    if (!r.ok) {
      if (r.reason === "TooLarge")
        this.record(
          s,
          m.purpose,
          "refused",
          "server",
          `${this.actorOf(conn)}'s ${m.purpose === "clipboard" ? "clipboard" : "offer"} was refused: ${r.message}`,
        );
      return this.fail(conn, r.reason, r.message, m.ref);
    }
    const t = r.value;
    const by = this.actorOf(conn);
    const at = Date.now();
    this.deps.store.tx(() => {
      m.files.forEach((f, index) => {
        this.audit.fileOffered(
          {
            sessionId: s.sessionId,
            transferId: t.id,
            purpose: t.purpose,
            direction: fromHost ? "hostToAgent" : "agentToHost",
            name: displayName(f.path),
            size: f.size,
            startedAt: at,
          },
          index,
        );
      });
    });
    this.record(s, t.purpose, "offered", by, `${by} offers ${this.describe(t)}`, { transferId: t.id });
    this.ack(conn, m.ref, { transferId: t.id });
    const offered: ToolServerMessage = {
      type: "file.offered",
      transferId: t.id,
      purpose: t.purpose,
      from: fromHost ? "host" : "agent",
      by,
      files: m.files,
      ...(t.diagnosticsId !== undefined ? { diagnosticsId: t.diagnosticsId } : {}),
    };
    for (const endpoint of audience) this.toEndpoint(s, endpoint, offered);
  }

  private accept(conn: Conn, s: ToolSession, m: ToolClientMessageOf<"file.accept">): void {
    const before = this.relay.get(m.transferId);
    if (!before || before.sessionId !== s.sessionId)
      return this.fail(conn, "UnknownTransfer", `no transfer ${m.transferId}`, m.ref);
    const first = before.receiver === undefined;
    // A resume needs the sender back; the receiver asks again when it returns (tools.peer).
    if (!first && !this.connOf(s, before.sender))
      return this.fail(conn, "PeerAbsent", "the sender is not connected yet", m.ref);
    const r = this.relay.accept(m.transferId, conn.endpoint!, m.files);
    if (!r.ok) return this.fail(conn, r.reason, r.message, m.ref);
    const t = r.value;
    const by = this.actorOf(conn);
    if (first) {
      this.record(
        s,
        t.purpose,
        "accepted",
        by,
        `${by} accepted ${m.files.length} of ${t.files.length} file(s)`,
        {
          transferId: t.id,
        },
      );
      // Someone else took it: the other agents' offers are withdrawn.
      for (const other of t.audience)
        if (other !== conn.endpoint)
          this.toEndpoint(s, other, {
            type: "file.cancelled",
            transferId: t.id,
            reason: `accepted by ${by}`,
          });
    } else {
      this.record(s, t.purpose, "resumed", by, undefined, { transferId: t.id, files: m.files });
    }
    this.toEndpoint(s, t.sender, { type: "file.accepted", transferId: t.id, files: m.files });
    this.ack(conn, m.ref);
  }

  private verified(conn: Conn, s: ToolSession, m: ToolClientMessageOf<"file.verified">): void {
    const r = this.relay.verified(m.transferId, conn.endpoint!, m.index, m.ok);
    if (!r.ok) return this.fail(conn, r.reason, r.message, m.ref);
    const { transfer: t, done } = r.value;
    this.audit.fileEnded(
      s.sessionId,
      t.id,
      m.index,
      m.ok ? "completed" : "hashMismatch",
      Date.now(),
      m.sha256,
    );
    this.toEndpoint(s, t.sender, {
      type: "file.verified",
      transferId: t.id,
      index: m.index,
      sha256: m.sha256,
      ok: m.ok,
    });
    this.ack(conn, m.ref);
    if (!done) return;
    const accepted = t.files.filter((x) => x.accepted);
    const allOk = accepted.every((x) => x.verified);
    const bytes = accepted.reduce((n, x) => n + x.file.size, 0);
    this.audit.fileEnded(s.sessionId, t.id, null, "notAccepted", Date.now());
    this.record(
      s,
      t.purpose,
      allOk ? "completed" : "failed",
      this.actorOf(conn),
      allOk
        ? `Transfer completed: ${this.describe(t)}; SHA-256 checked`
        : `Transfer failed the integrity check: ${this.describe(t)}`,
      { transferId: t.id, bytes },
    );
    const completed: ToolServerMessage = { type: "file.completed", transferId: t.id, ok: allOk, bytes };
    this.toEndpoint(s, t.sender, completed);
    this.toEndpoint(s, t.receiver, completed);
  }

  private cancel(s: ToolSession, t: Transfer, reason: string, by: string): void {
    this.relay.end(t.id, "cancelled");
    this.audit.fileEnded(s.sessionId, t.id, null, "cancelled", Date.now());
    this.record(s, t.purpose, "cancelled", by, `Transfer cancelled: ${this.describe(t)} (${reason})`, {
      transferId: t.id,
    });
    const m: ToolServerMessage = { type: "file.cancelled", transferId: t.id, reason };
    this.toEndpoint(s, t.sender, m);
    if (t.receiver) this.toEndpoint(s, t.receiver, m);
    else for (const e of t.audience) this.toEndpoint(s, e, m);
  }

  // ——— restart and reconnect (R-T5) ———

  private beginRestart(conn: Conn, s: ToolSession, ref: string | undefined): void {
    if (s.restart?.state !== "accepted") return this.fail(conn, "Rejected", "no restart was allowed", ref);
    const deadline = Date.now() + this.options.rebootReconnectWindowMs;
    s.restart = {
      state: "waiting",
      deadline,
      timer: setTimeout(() => {
        this.record(
          s,
          "restart",
          "expired",
          "server",
          `The customer's computer did not come back within ${Math.round(this.options.rebootReconnectWindowMs / 60_000)} minutes; the session expired`,
        );
        this.expire(s, "expired");
      }, this.options.rebootReconnectWindowMs),
    };
    s.restart.timer!.unref();
    this.deps.directory.holdCustomer(s.sessionId, deadline);
    const phoneMode = this.deps.phoneMode(s.sessionId);
    this.record(
      s,
      "restart",
      "restarting",
      "customer",
      "The customer's computer is restarting; the session waits for it",
    );
    this.toAgents(s, { type: "restart.waiting", deadline, phoneMode });
    this.ack(conn, ref, { deadline });
  }

  private back(s: ToolSession): void {
    clearTimeout(s.restart?.timer);
    delete s.restart;
    s.grants.restart = false;
    this.deps.directory.holdCustomer(s.sessionId, 0);
    this.record(s, "restart", "back", "customer", "The customer's computer is back; the session continues");
    this.toAgents(s, { type: "restart.back" });
  }

  /** Not back in time, or the agent cancelled the wait: the session closes with resolution Unknown. */
  private expire(s: ToolSession, reason: "expired" | "cancelled"): void {
    clearTimeout(s.restart?.timer);
    delete s.restart;
    const live = this.deps.floor.session(SessionId(s.sessionId));
    this.end(s.sessionId, reason);
    if (live)
      this.deps.adapter.dispatch({
        type: "session.close",
        sessionId: SessionId(s.sessionId),
        agentId: live.owner,
        resolution: "unknown",
        extra: reason === "expired" ? "not back after restart" : "reconnection cancelled",
      });
  }

  // ——— the end of a session ———

  /** Every tool of the session stops: transfers are dropped, the host erases the credentials (it is told here). */
  end(sessionId: string, reason: "closed" | "expired" | "cancelled"): void {
    const s = this.sessions.get(sessionId);
    if (!s || s.ended) return;
    s.ended = true;
    clearTimeout(s.restart?.timer);
    for (const t of this.relay.sweep(sessionId))
      this.audit.fileEnded(sessionId, t.id, null, "cancelled", Date.now());
    const conns = [s.host, ...[...s.agents.values()].flatMap((set) => [...set])].filter(
      (c): c is Conn => !!c,
    );
    for (const c of conns) {
      this.send(c, { type: "tools.ended", reason });
      c.ws.close(toolCloseCodes.SessionEnded!, "SessionEnded");
    }
    // Kept a while so a late host learns the session ended instead of opening it again.
    setTimeout(() => this.sessions.delete(sessionId), 60_000).unref();
  }

  private sweepTransfers(): void {
    for (const t of this.relay.sweep()) {
      const s = this.sessions.get(t.sessionId);
      if (!s) continue;
      this.audit.fileEnded(s.sessionId, t.id, null, "expired", Date.now());
      this.toEndpoint(s, t.sender, {
        type: "file.cancelled",
        transferId: t.id,
        reason: "not resumed in time",
      });
      this.toEndpoint(s, t.receiver, {
        type: "file.cancelled",
        transferId: t.id,
        reason: "not resumed in time",
      });
    }
  }

  shutdown(): void {
    this.closing = true;
    clearInterval(this.heartbeat);
    clearInterval(this.sweeper);
    for (const s of this.sessions.values()) clearTimeout(s.restart?.timer);
    for (const c of this.conns) c.ws.close(1001, "ShuttingDown");
  }

  terminateAll(): void {
    for (const c of this.conns) c.ws.terminate();
  }

  openSockets(): number {
    return this.conns.size;
  }
}
