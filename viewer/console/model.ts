// The console's read model: a pure fold of the agent's `agent.state` snapshot and the domain events the server
// forwards to them, into what the list view, the alerts and the chat tabs show. No DOM, no clock of its own:
// every method that needs the time takes `now` (server time, ms), so tests drive it like the floor's SimClock.
import type {
  AlertColour,
  Customer,
  DomainEvent,
  RequestClockState,
  Resolution,
  SessionScreenState,
} from "../../actors/events.ts";

/** A domain event as the gateway forwards it: stamped, and sometimes enriched with the request or session it is about. */
export type ConsoleEvent = DomainEvent & {
  seq?: number;
  at?: number;
  request?: { requestId: string; portalId: string; mode: string; customer: Customer };
  session?: { sessionId: string; portalId: string; owner: string; customer: Customer; comments?: string };
};

/** Timings the console needs; the server's values when it sends them (`ConsoleSettings`), else the floor's defaults. */
export interface ModelTimings {
  /** Incoming clock thresholds New → Attention → Warning (R-L3); the agent's preferences may set them. */
  attentionMs: number;
  warningMs: number;
  /** A request nobody answers expires after this; the Incoming clock counts down to it (R-L3). */
  requestExpiryMs: number;
  /** How long an alert pop-up stays on screen (R-P9); the agent's preference. */
  alertDisplayMs: number;
  /** Colour steps of the timer since the agent's last message (R-S1): green, then amber, then red. */
  replyAmberMs: number;
  replyRedMs: number;
}

export const defaultTimings: ModelTimings = {
  attentionMs: 60_000,
  warningMs: 180_000,
  requestExpiryMs: 900_000,
  alertDisplayMs: 30_000,
  replyAmberMs: 120_000,
  replyRedMs: 300_000,
};

/** Why a row is in Incoming: a customer's request, or a session offered by transfer (orange) or invitation (blue). */
export type IncomingKind = "request" | "transfer" | "invite";

export interface IncomingRow {
  /** requestId for requests; `s:<sessionId>` for transfers and invitations. */
  key: string;
  kind: IncomingKind;
  requestId?: string;
  sessionId?: string;
  portalId: string;
  mode: string;
  customer: Customer;
  postedAt: number;
  /** The clock state the server last reported, if any (R-L3); the local thresholds decide otherwise. */
  serverClock?: RequestClockState;
  /** R-A8: answered while at the maximum; starts when a slot frees. */
  queuedPosition?: number;
  /** R-P5: a Queue-mode offer to this agent, open until `offerUntil`. */
  offerUntil?: number;
  colour?: AlertColour;
  /** Transfer / invitation details (R-S6, R-S7). */
  from?: string;
  comments?: string;
  hidden?: boolean;
}

export interface ChatLine {
  kind: "chat" | "note" | "url" | "transfer" | "system";
  at: number;
  /** An agent id, "customer", or a display name when it came from a server transcript. */
  author: string;
  text: string;
  lineNo?: number;
  /** System lines carry a key of the string table and its parameters, translated when shown. */
  key?: string;
  params?: Record<string, string>;
}

export interface Participant {
  agentId: string;
  hidden: boolean;
}

export interface SessionRow {
  sessionId: string;
  requestId?: string;
  portalId: string;
  customer: Customer;
  owner: string;
  startedAt: number;
  state: SessionScreenState;
  participants: Participant[];
  lines: ChatLine[];
  notes: ChatLine[];
  /** When this agent last wrote to the customer; the timer starts at the session's start (R-S1). */
  lastAgentMessageAt: number;
  pendingTransfer: { to: string; comments: string } | null;
  pendingInvite: { agentIds: string[]; hidden: boolean } | null;
  customerPresent: boolean;
  /** Lines not yet seen (the tab is not the selected one). */
  unread: number;
}

export interface HistoryRow {
  sessionId: string;
  portalId: string;
  customer: Customer;
  startedAt: number;
  endedAt: number;
  resolution: Resolution;
  extra: string | null;
  closedBy: string | null;
  reason: string;
}

export interface AlertView {
  key: string;
  colour: AlertColour;
  /** What the Yes button does. */
  action: "answer" | "acceptOffer" | "acceptTransfer" | "acceptInvite";
  raisedAt: number;
  /** Shown until this time, then it hides (the row stays in Incoming) until a reminder or a double-click (R-P9, R-L6). */
  visibleUntil: number;
  reminders: number;
}

export interface SmartCodeRow {
  code: string;
  display: string;
  name: string | null;
  portalId: string;
  quickUrl: string;
  expiresAt: number;
}

export interface AgentSelf {
  id: string;
  name: string;
  available: boolean;
  active: number;
  max: number;
  loggedIn: boolean;
  /** Set by `agent.reminded`: the R-A6 pop-up "you are still Not available". */
  remindedAt: number | null;
}

export type Selection = { list: "incoming" | "current" | "history"; key: string } | null;

/** The `agent.state` message's payload; the optional fields are what the console uses when the server sends them. */
export interface AgentStateSnapshot {
  agent: Record<string, unknown>;
  incoming: readonly Record<string, unknown>[];
  sessions: readonly Record<string, unknown>[];
  codes?: readonly Record<string, unknown>[];
  history?: readonly Record<string, unknown>[];
}

/** What changed in one fold, so the views redraw only those parts. */
export interface Changes {
  agent: boolean;
  incoming: boolean;
  sessions: Set<string>;
  sessionList: boolean;
  history: boolean;
  alerts: boolean;
  codes: boolean;
}

export const noChanges = (): Changes => ({
  agent: false,
  incoming: false,
  sessions: new Set(),
  sessionList: false,
  history: false,
  alerts: false,
  codes: false,
});

const str = (v: unknown, fallback = ""): string => (typeof v === "string" ? v : fallback);
const num = (v: unknown, fallback: number): number =>
  typeof v === "number" && Number.isFinite(v) ? v : fallback;
const asCustomer = (v: unknown): Customer => {
  const c = (v ?? {}) as Record<string, unknown>;
  return {
    name: str(c.name, "?"),
    language: c.language === "fr" ? "fr" : "en",
    ...(typeof c.question === "string" ? { question: c.question } : {}),
    ...(typeof c.os === "string" ? { os: c.os } : {}),
  };
};

/** Keeps the history list bounded: older rows are dropped from the page (the management center keeps them all). */
export const historyRowsMax = 500;

export class ConsoleModel {
  me: AgentSelf = {
    id: "",
    name: "",
    available: false,
    active: 0,
    max: 1,
    loggedIn: false,
    remindedAt: null,
  };
  readonly incoming = new Map<string, IncomingRow>();
  readonly sessions = new Map<string, SessionRow>();
  history: HistoryRow[] = [];
  readonly alerts = new Map<string, AlertView>();
  readonly codes = new Map<string, SmartCodeRow>();
  /** Agent and portal names the console has learnt (directory, transcripts, snapshots). */
  readonly names = new Map<string, string>();
  selection: Selection = null;
  /** Sessions offered to this agent (transfer/invite alerts) remembered until they join, to build the tab. */
  private readonly offeredSessions = new Map<string, NonNullable<ConsoleEvent["session"]>>();
  lastSeq = 0;

  constructor(public timings: ModelTimings = defaultTimings) {}

  // ——— folding ———

  /** The snapshot sent on every (re)connect replaces incoming, sessions and codes; transcripts are kept and refreshed. */
  applyState(state: AgentStateSnapshot, now: number): Changes {
    const a = state.agent;
    this.me = {
      id: str(a.id, this.me.id),
      name: str(a.name, this.me.name),
      available: a.available === true,
      active: num(a.active, 0),
      max: num(a.max, 1),
      loggedIn: true,
      remindedAt: null,
    };
    if (this.me.name) this.names.set(this.me.id, this.me.name);
    this.incoming.clear();
    this.alerts.clear();
    for (const r of state.incoming) {
      const requestId = str(r.requestId);
      if (!requestId) continue;
      const row: IncomingRow = {
        key: requestId,
        kind: "request",
        requestId,
        portalId: str(r.portalId),
        mode: str(r.mode, "standard"),
        customer: asCustomer(r.customer),
        postedAt: num(r.postedAt, now),
        ...(typeof r.clock === "string" ? { serverClock: r.clock as RequestClockState } : {}),
        ...(typeof r.queuedPosition === "number" ? { queuedPosition: r.queuedPosition } : {}),
      };
      this.incoming.set(requestId, row);
    }
    const previous = new Map(this.sessions);
    this.sessions.clear();
    for (const s of state.sessions) {
      const sessionId = str(s.sessionId);
      if (!sessionId) continue;
      const old = previous.get(sessionId);
      const startedAt = num(s.startedAt, old?.startedAt ?? now);
      this.sessions.set(sessionId, {
        sessionId,
        portalId: str(s.portalId),
        customer: asCustomer(s.customer),
        owner: str(s.owner),
        startedAt,
        state: (str(s.state) || old?.state || "downloading") as SessionScreenState,
        participants: Array.isArray(s.participants)
          ? (s.participants as Participant[])
          : (old?.participants ?? [{ agentId: str(s.owner), hidden: false }]),
        lines: old?.lines ?? [],
        notes: old?.notes ?? [],
        lastAgentMessageAt: num(s.lastAgentMessageAt, old?.lastAgentMessageAt ?? startedAt),
        pendingTransfer: old?.pendingTransfer ?? null,
        pendingInvite: old?.pendingInvite ?? null,
        customerPresent: s.customerPresent !== false,
        unread: old?.unread ?? 0,
      });
    }
    if (state.codes) {
      this.codes.clear();
      for (const c of state.codes) this.addCode(c);
    }
    if (state.history) {
      this.history = state.history.map((h) => this.historyOf(h)).slice(0, historyRowsMax);
    }
    if (this.selection && !this.rowExists(this.selection)) this.selection = null;
    return {
      agent: true,
      incoming: true,
      sessions: new Set(this.sessions.keys()),
      sessionList: true,
      history: true,
      alerts: true,
      codes: true,
    };
  }

  /** A server transcript replaces the lines of a session (after a reconnect, R-S2). */
  applyTranscript(
    sessionId: string,
    lines: readonly { lineNo: number; at: number; kind: ChatLine["kind"]; author: string; text: string }[],
  ): Changes {
    const s = this.sessions.get(sessionId);
    const changes = noChanges();
    if (!s) return changes;
    const authorOf = (name: string) => {
      if (name === "customer") return "customer";
      for (const [id, n] of this.names) if (n === name) return id;
      return name;
    };
    s.lines = lines
      .filter((l) => l.kind !== "note")
      .map((l) => ({ kind: l.kind, at: l.at, author: authorOf(l.author), text: l.text, lineNo: l.lineNo }));
    s.notes = lines
      .filter((l) => l.kind === "note")
      .map((l) => ({ kind: "note", at: l.at, author: authorOf(l.author), text: l.text }));
    const mine = [...s.lines].reverse().find((l) => l.kind === "chat" && l.author === this.me.id);
    if (mine) s.lastAgentMessageAt = mine.at;
    changes.sessions.add(sessionId);
    return changes;
  }

  apply(e: ConsoleEvent, now: number): Changes {
    const c = noChanges();
    const at = e.at ?? now;
    if (e.seq !== undefined) this.lastSeq = Math.max(this.lastSeq, e.seq);
    const me = this.me.id;
    switch (e.type) {
      case "agent.availabilityChanged":
        if (e.agentId === me) {
          this.me.available = e.available;
          this.me.remindedAt = null;
          c.agent = true;
        }
        break;
      case "agent.slotGranted":
      case "agent.joinedSession":
        if (e.agentId === me) {
          this.me.active = e.active;
          this.me.max = e.max;
          c.agent = true;
        }
        break;
      case "agent.slotReleased":
        if (e.agentId === me) {
          this.me.active = e.active;
          c.agent = true;
        }
        break;
      case "agent.reminded":
        if (e.agentId === me) {
          this.me.remindedAt = at;
          c.agent = true;
        }
        break;
      case "agent.loggedOut":
        if (e.agentId === me) {
          this.me.loggedIn = false;
          c.agent = true;
        }
        break;
      case "alert.raised":
        this.alertRaised(e, at, c);
        break;
      case "alert.reminded":
        if (e.agentIds.includes(me as never)) this.remind(e.requestId, at, c);
        break;
      case "alert.withdrawn":
        if (e.agentIds.includes(me as never)) {
          const key = e.requestId ?? `s:${e.sessionId}`;
          this.dropAlert(key, c);
          // A transfer or invitation taken by someone else, or cancelled, leaves Incoming at once.
          if (e.sessionId && !e.requestId) this.dropIncoming(key, c);
          if (e.requestId && e.reason !== "accepted") {
            const row = this.incoming.get(e.requestId);
            if (row && row.queuedPosition === undefined) this.dropIncoming(e.requestId, c);
          }
        }
        break;
      case "offer.made":
        if (e.agentId === me) {
          const row = this.ensureRequest(e.requestId, e.request, at, c);
          row.offerUntil = at + e.timeoutMs;
          this.alerts.set(e.requestId, {
            key: e.requestId,
            colour: "yellow",
            action: "acceptOffer",
            raisedAt: at,
            visibleUntil: at + e.timeoutMs,
            reminders: 0,
          });
          c.alerts = true;
        }
        break;
      case "offer.ended":
        if (e.agentId === me) {
          this.dropAlert(e.requestId, c);
          this.dropIncoming(e.requestId, c);
        }
        break;
      case "request.clock": {
        const row = this.incoming.get(e.requestId);
        if (row) {
          row.serverClock = e.clock;
          c.incoming = true;
        }
        break;
      }
      case "request.answered":
        if (e.agentId !== me) {
          this.dropAlert(e.requestId, c);
          this.dropIncoming(e.requestId, c);
        } else {
          // Kept until it starts: if this agent is at the maximum it turns Queued (R-A8) and needs the details.
          this.ensureRequest(e.requestId, e.request, at, c);
          this.dropAlert(e.requestId, c);
        }
        break;
      case "request.queuedForAgent":
        if (e.agentId === me) {
          const row = this.incoming.get(e.requestId) ?? this.ensureRequest(e.requestId, undefined, at, c);
          row.queuedPosition = e.position;
          row.serverClock = "queued";
          delete row.offerUntil;
          this.dropAlert(e.requestId, c);
          c.incoming = true;
        } else {
          this.dropIncoming(e.requestId, c);
        }
        break;
      case "request.started":
      case "request.abandoned":
      case "request.expired":
        this.dropAlert(e.requestId, c);
        this.dropIncoming(e.requestId, c);
        break;
      case "code.created":
        if (e.issuerId === me) {
          this.addCode(e);
          c.codes = true;
        }
        break;
      case "code.converted":
      case "code.expired":
      case "code.cancelled":
        if (this.codes.delete(e.code)) c.codes = true;
        break;
      case "session.started":
        if (e.agentId === me) {
          this.openSession(
            {
              sessionId: e.sessionId,
              requestId: e.requestId,
              portalId: e.portalId,
              owner: e.agentId,
              customer: e.customer,
            },
            at,
            c,
          );
        }
        break;
      default:
        this.applySessionEvent(e, at, c);
    }
    return c;
  }

  private applySessionEvent(e: ConsoleEvent, at: number, c: Changes): void {
    if (!("sessionId" in e) || typeof e.sessionId !== "string") return;
    const me = this.me.id;
    const sessionId = e.sessionId;
    // Joining by invitation or taking over by transfer opens the tab from the offer remembered at the alert.
    if (e.type === "participant.joined" && e.agentId === me && !this.sessions.has(sessionId)) {
      const offered = this.offeredSessions.get(sessionId);
      if (offered) this.openSession(offered, at, c);
    }
    if (e.type === "session.ownerChanged" && e.to === me && !this.sessions.has(sessionId)) {
      const offered = this.offeredSessions.get(sessionId);
      if (offered) this.openSession({ ...offered, owner: me }, at, c);
    }
    const s = this.sessions.get(sessionId);
    if (!s) return;
    const line = (l: ChatLine) => {
      s.lines.push(l);
      s.unread += 1;
    };
    switch (e.type) {
      case "session.stateChanged":
        s.state = e.state;
        c.sessionList = true;
        break;
      case "chat.posted": {
        const author = e.from.kind === "customer" ? "customer" : e.from.agentId;
        line({ kind: "chat", at, author, text: e.text, lineNo: e.lineNo });
        if (author === me) s.lastAgentMessageAt = at;
        break;
      }
      case "note.added":
        s.notes.push({ kind: "note", at, author: e.agentId, text: e.text });
        break;
      case "url.pushed":
        line({ kind: "url", at, author: e.agentId, text: e.url, lineNo: e.lineNo });
        break;
      case "invitation.sent":
        s.pendingInvite = { agentIds: e.agentIds, hidden: e.hidden };
        line({
          kind: "system",
          at,
          author: e.by,
          text: "",
          key: e.hidden ? "line.invitedHidden" : "line.invited",
          params: { who: e.agentIds.join(",") },
        });
        break;
      case "invitation.cancelled":
        s.pendingInvite = null;
        break;
      case "participant.joined":
        s.pendingInvite = null;
        if (!s.participants.some((p) => p.agentId === e.agentId)) {
          s.participants.push({ agentId: e.agentId, hidden: e.hidden });
        }
        line({
          kind: "system",
          at,
          author: e.agentId,
          text: "",
          key: "line.joined",
          params: { who: e.agentId },
        });
        c.sessionList = true;
        break;
      case "participant.left":
        s.participants = s.participants.filter((p) => p.agentId !== e.agentId);
        line({
          kind: "system",
          at,
          author: e.agentId,
          text: "",
          key: "line.left",
          params: { who: e.agentId },
        });
        if (e.agentId === me) this.closeTab(sessionId, c);
        break;
      case "transfer.requested":
        s.pendingTransfer = {
          to: "agentId" in e.to ? e.to.agentId : e.to.portalId,
          comments: e.comments,
        };
        line({
          kind: "transfer",
          at,
          author: e.from,
          text: e.comments,
          key: "line.transferRequested",
          params: { to: s.pendingTransfer.to },
        });
        break;
      case "transfer.cancelled":
        s.pendingTransfer = null;
        line({
          kind: "system",
          at,
          author: "",
          text: "",
          key: "line.transferCancelled",
          params: { reason: e.reason },
        });
        break;
      case "session.ownerChanged":
        s.pendingTransfer = null;
        s.owner = e.to;
        if (!s.participants.some((p) => p.agentId === e.to))
          s.participants.push({ agentId: e.to, hidden: false });
        s.participants = s.participants.filter((p) => p.agentId !== e.from || e.reason !== "transfer");
        line({
          kind: "transfer",
          at,
          author: e.from,
          text: "",
          key: e.reason === "transfer" ? "line.transferred" : "line.ownerLeft",
          params: { from: e.from, to: e.to },
        });
        // The agent who transferred the session no longer has it (R-S6).
        if (e.from === me && e.reason === "transfer") this.closeTab(sessionId, c);
        c.sessionList = true;
        break;
      case "customer.left":
        s.customerPresent = false;
        line({ kind: "system", at, author: "customer", text: "", key: "line.customerLeft" });
        break;
      case "session.closed":
        this.history.unshift({
          sessionId,
          portalId: s.portalId,
          customer: s.customer,
          startedAt: s.startedAt,
          endedAt: at,
          resolution: e.resolution,
          extra: e.extra,
          closedBy: e.by,
          reason: e.reason,
        });
        if (this.history.length > historyRowsMax) this.history.length = historyRowsMax;
        c.history = true;
        this.closeTab(sessionId, c);
        break;
      default:
        return;
    }
    c.sessions.add(sessionId);
  }

  private alertRaised(e: ConsoleEvent & { type: "alert.raised" }, at: number, c: Changes): void {
    const me = this.me.id;
    if (!e.agentIds.includes(me as never)) return;
    const displayMs = this.timings.alertDisplayMs || e.displayMs;
    if (e.requestId) {
      this.ensureRequest(e.requestId, e.request, at, c).colour = e.colour;
      this.alerts.set(e.requestId, {
        key: e.requestId,
        colour: e.colour,
        action: "answer",
        raisedAt: at,
        visibleUntil: at + displayMs,
        reminders: 0,
      });
    } else if (e.sessionId) {
      const key = `s:${e.sessionId}`;
      const kind: IncomingKind = e.colour === "blue" ? "invite" : "transfer";
      const info = e.session;
      if (info) this.offeredSessions.set(e.sessionId, info);
      this.incoming.set(key, {
        key,
        kind,
        sessionId: e.sessionId,
        portalId: info?.portalId ?? "",
        mode: "standard",
        customer: info?.customer ?? { name: "?", language: "en" },
        postedAt: at,
        colour: e.colour,
        ...(info ? { from: info.owner, comments: info.comments ?? "" } : {}),
      });
      this.alerts.set(key, {
        key,
        colour: e.colour,
        action: kind === "invite" ? "acceptInvite" : "acceptTransfer",
        raisedAt: at,
        visibleUntil: at + displayMs,
        reminders: 0,
      });
      c.incoming = true;
    }
    c.alerts = true;
  }

  private remind(requestId: string, at: number, c: Changes): void {
    const row = this.incoming.get(requestId);
    if (!row) return;
    const old = this.alerts.get(requestId);
    this.alerts.set(requestId, {
      key: requestId,
      colour: old?.colour ?? row.colour ?? "yellow",
      action: old?.action ?? "answer",
      raisedAt: old?.raisedAt ?? at,
      visibleUntil: at + this.timings.alertDisplayMs,
      reminders: (old?.reminders ?? 0) + 1,
    });
    c.alerts = true;
  }

  private ensureRequest(
    requestId: string,
    info: ConsoleEvent["request"] | undefined,
    at: number,
    c: Changes,
  ): IncomingRow {
    c.incoming = true;
    let row = this.incoming.get(requestId);
    if (!row) {
      row = {
        key: requestId,
        kind: "request",
        requestId,
        portalId: info?.portalId ?? "",
        mode: info?.mode ?? "standard",
        customer: info ? asCustomer(info.customer) : { name: "?", language: "en" },
        postedAt: at,
      };
      this.incoming.set(requestId, row);
    } else if (info && row.customer.name === "?") {
      row.customer = asCustomer(info.customer);
      row.portalId = info.portalId;
      row.mode = info.mode;
    }
    return row;
  }

  private openSession(
    info: { sessionId: string; requestId?: string; portalId: string; owner: string; customer: Customer },
    at: number,
    c: Changes,
  ): void {
    this.offeredSessions.delete(info.sessionId);
    this.dropIncoming(`s:${info.sessionId}`, c);
    this.dropAlert(`s:${info.sessionId}`, c);
    const participants: Participant[] = [{ agentId: info.owner, hidden: false }];
    this.sessions.set(info.sessionId, {
      sessionId: info.sessionId,
      ...(info.requestId ? { requestId: info.requestId } : {}),
      portalId: info.portalId,
      customer: asCustomer(info.customer),
      owner: info.owner,
      startedAt: at,
      state: "downloading",
      participants,
      lines: [],
      notes: [],
      lastAgentMessageAt: at,
      pendingTransfer: null,
      pendingInvite: null,
      customerPresent: true,
      unread: 0,
    });
    c.sessions.add(info.sessionId);
    c.sessionList = true;
  }

  private closeTab(sessionId: string, c: Changes): void {
    this.sessions.delete(sessionId);
    if (this.selection?.list === "current" && this.selection.key === sessionId) this.selection = null;
    c.sessionList = true;
  }

  private dropIncoming(key: string, c: Changes): void {
    if (this.incoming.delete(key)) {
      c.incoming = true;
      if (this.selection?.list === "incoming" && this.selection.key === key) this.selection = null;
    }
  }

  private dropAlert(key: string, c: Changes): void {
    if (this.alerts.delete(key)) c.alerts = true;
  }

  private addCode(e: Record<string, unknown> | ConsoleEvent): void {
    const r = e as Record<string, unknown>;
    const code = str(r.code);
    if (!code) return;
    this.codes.set(code, {
      code,
      display: str(r.display, code),
      name: typeof r.name === "string" ? r.name : null,
      portalId: str(r.portalId),
      quickUrl: str(r.quickUrl),
      expiresAt: num(r.expiresAt, 0),
    });
  }

  private historyOf(h: Record<string, unknown>): HistoryRow {
    return {
      sessionId: str(h.sessionId),
      portalId: str(h.portalId),
      customer: asCustomer(h.customer),
      startedAt: num(h.startedAt, 0),
      endedAt: num(h.endedAt, 0),
      resolution: (str(h.resolution) || "unknown") as Resolution,
      extra: typeof h.extra === "string" ? h.extra : null,
      closedBy: typeof h.closedBy === "string" ? h.closedBy : null,
      reason: str(h.reason, "closed"),
    };
  }

  private rowExists(sel: NonNullable<Selection>): boolean {
    if (sel.list === "incoming") return this.incoming.has(sel.key);
    if (sel.list === "current") return this.sessions.has(sel.key);
    return this.history.some((h) => h.sessionId === sel.key);
  }

  // ——— local actions that change only the page ———

  /** R-L6: double-click in Incoming raises the alert again for the display time. */
  reraise(key: string, now: number): Changes {
    const c = noChanges();
    const row = this.incoming.get(key);
    if (!row || row.queuedPosition !== undefined) return c;
    const old = this.alerts.get(key);
    const action: AlertView["action"] =
      row.kind === "invite"
        ? "acceptInvite"
        : row.kind === "transfer"
          ? "acceptTransfer"
          : row.offerUntil !== undefined
            ? "acceptOffer"
            : "answer";
    this.alerts.set(key, {
      key,
      colour: old?.colour ?? row.colour ?? "yellow",
      action,
      raisedAt: old?.raisedAt ?? now,
      visibleUntil: now + this.timings.alertDisplayMs,
      reminders: old?.reminders ?? 0,
    });
    c.alerts = true;
    return c;
  }

  /** Hides an alert pop-up without answering; the row stays in Incoming. */
  dismiss(key: string, now: number): Changes {
    const c = noChanges();
    const a = this.alerts.get(key);
    if (a) {
      a.visibleUntil = Math.min(a.visibleUntil, now);
      c.alerts = true;
    }
    return c;
  }

  select(sel: Selection): void {
    this.selection = sel;
  }

  markRead(sessionId: string): void {
    const s = this.sessions.get(sessionId);
    if (s) s.unread = 0;
  }

  // ——— derived views (pure functions of the state and `now`) ———

  /** R-L3: the Incoming clock's state; Queued wins, then the later of the server's and the local thresholds. */
  clockOf(row: IncomingRow, now: number): RequestClockState {
    if (row.queuedPosition !== undefined || row.serverClock === "queued") return "queued";
    const waited = now - row.postedAt;
    const local: RequestClockState =
      waited >= this.timings.warningMs ? "warning" : waited >= this.timings.attentionMs ? "attention" : "new";
    const rank = { new: 0, attention: 1, warning: 2, queued: 3 } as const;
    const server = row.serverClock ?? "new";
    return rank[server] > rank[local] ? server : local;
  }

  /** R-L3: the countdown shown in the Clock column: time left to answer (an offer's own timeout when offered). */
  countdownMs(row: IncomingRow, now: number): number {
    if (row.offerUntil !== undefined) return Math.max(0, row.offerUntil - now);
    return Math.max(0, row.postedAt + this.timings.requestExpiryMs - now);
  }

  /** R-L4: the Current clock: how long the session has run. */
  durationMs(s: SessionRow, now: number): number {
    return Math.max(0, now - s.startedAt);
  }

  /** R-S1: time since the agent's last message and its colour (green at first). */
  replyTimer(s: SessionRow, now: number): { ms: number; colour: "green" | "amber" | "red" } {
    const ms = Math.max(0, now - s.lastAgentMessageAt);
    const colour =
      ms >= this.timings.replyRedMs ? "red" : ms >= this.timings.replyAmberMs ? "amber" : "green";
    return { ms, colour };
  }

  /** R-P9: the alerts on screen now, oldest first. */
  visibleAlerts(now: number): AlertView[] {
    return [...this.alerts.values()]
      .filter((a) => a.visibleUntil > now)
      .sort((a, b) => a.raisedAt - b.raisedAt);
  }

  /** R-P6: remaining time of a SmartCode; codes past expiry are no longer listed. */
  codeRemainingMs(code: SmartCodeRow, now: number): number {
    return Math.max(0, code.expiresAt - now);
  }

  activeCodes(now: number): SmartCodeRow[] {
    return [...this.codes.values()]
      .filter((c) => c.expiresAt > now)
      .sort((a, b) => a.expiresAt - b.expiresAt);
  }

  /** Incoming rows in display order: Queued first (they are this agent's), then oldest first. */
  incomingRows(): IncomingRow[] {
    return [...this.incoming.values()].sort((a, b) => {
      const qa = a.queuedPosition !== undefined ? 0 : 1;
      const qb = b.queuedPosition !== undefined ? 0 : 1;
      return qa - qb || a.postedAt - b.postedAt || (a.key < b.key ? -1 : 1);
    });
  }

  sessionRows(): SessionRow[] {
    return [...this.sessions.values()].sort((a, b) => a.startedAt - b.startedAt);
  }

  /** R-S5: leave is possible only when another agent is in the session to keep it. */
  mayLeave(s: SessionRow): boolean {
    return s.participants.some((p) => p.agentId !== this.me.id);
  }

  isOwner(s: SessionRow): boolean {
    return s.owner === this.me.id;
  }

  nameOf(id: string): string {
    return this.names.get(id) ?? id;
  }

  /** R-L5: the whole record of the selected row, for the Details section. */
  details(): Record<string, string> | null {
    const sel = this.selection;
    if (!sel) return null;
    if (sel.list === "incoming") {
      const r = this.incoming.get(sel.key);
      if (!r) return null;
      return {
        kind: r.kind,
        portal: this.nameOf(r.portalId),
        ...(r.requestId ? { requestId: r.requestId } : {}),
        ...(r.sessionId ? { sessionId: r.sessionId } : {}),
        name: r.customer.name,
        language: r.customer.language,
        question: r.customer.question ?? "",
        os: r.customer.os ?? "",
        sent: new Date(r.postedAt).toISOString(),
        ...(r.from ? { from: this.nameOf(r.from) } : {}),
        ...(r.comments ? { comments: r.comments } : {}),
      };
    }
    if (sel.list === "current") {
      const s = this.sessions.get(sel.key);
      if (!s) return null;
      return {
        sessionId: s.sessionId,
        portal: this.nameOf(s.portalId),
        name: s.customer.name,
        language: s.customer.language,
        question: s.customer.question ?? "",
        os: s.customer.os ?? "",
        started: new Date(s.startedAt).toISOString(),
        state: s.state,
        owner: this.nameOf(s.owner),
        participants: s.participants
          .map((p) => this.nameOf(p.agentId) + (p.hidden ? " (hidden)" : ""))
          .join(", "),
      };
    }
    const h = this.history.find((x) => x.sessionId === sel.key);
    if (!h) return null;
    return {
      sessionId: h.sessionId,
      portal: this.nameOf(h.portalId),
      name: h.customer.name,
      language: h.customer.language,
      question: h.customer.question ?? "",
      started: new Date(h.startedAt).toISOString(),
      ended: new Date(h.endedAt).toISOString(),
      resolution: h.resolution,
      ...(h.extra ? { extra: h.extra } : {}),
    };
  }
}
