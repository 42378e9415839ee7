// What the domain event stream says the floor looks like: presence, slots, requests, queues, sessions and codes,
// rebuilt from events alone so that checkers and simulated people never read the actors' private state.
import type {
  AgentId,
  CodeId,
  DomainEvent,
  Mode,
  PortalId,
  PortalType,
  RequestId,
  SessionId,
} from "../actors/index.ts";

export interface AgentModel {
  id: AgentId;
  max: number;
  loggedIn: boolean;
  connected: boolean;
  available: boolean;
  /** Slots in use, counted from slotGranted / joinedSession / slotReleased. */
  active: number;
  /** Sessions the agent is in (owner or invitee). */
  sessions: Set<SessionId>;
  /** Seq of the agent's last slotReleased (0: never): queues offer the longest-idle first (R-P5). */
  freedSeq: number;
  mayReceiveTransfers: boolean;
  mayReceiveInvitations: boolean;
}

export interface PortalModel {
  id: PortalId;
  type: PortalType;
  mode: Mode;
  members: AgentId[];
}

export type Phase = "waiting" | "answered" | "held" | "started" | "abandoned" | "expired";
export const isOver = (p: Phase) => p === "started" || p === "abandoned" || p === "expired";

export interface RequestModel {
  id: RequestId;
  portalId: PortalId;
  mode: Mode;
  /** Posting order on the floor (FIFO order). */
  order: number;
  postedAt: number;
  code: CodeId | null;
  matchAgentId: AgentId | null;
  phase: Phase;
  answeredBy: AgentId | null;
  /** Agents whose alert for this request is still up (R-P3, R-P4). */
  alerted: Set<AgentId>;
  offeredTo: AgentId | null;
  offeredAt: number;
  /** Agents whose offer of this request ended unanswered since it last entered its queue (R-P5). */
  tried: Set<AgentId>;
  sessionId: SessionId | null;
  endedAt: number | null;
}

export interface SessionModel {
  id: SessionId;
  requestId: RequestId;
  portalId: PortalId;
  owner: AgentId;
  /** Invitees who joined, with their hidden flag (R-S7). */
  invitees: Map<AgentId, boolean>;
  pendingTransfer: AgentId[] | null;
  pendingInvite: { agentIds: AgentId[]; hidden: boolean } | null;
  customerPresent: boolean;
  closed: boolean;
}

export interface CodeModel {
  code: CodeId;
  issuerId: AgentId;
  portalId: PortalId;
  expiresAt: number;
  state: "active" | "converted" | "expired" | "cancelled";
  requestId: RequestId | null;
}

export type AgentFlags = Pick<AgentModel, "mayReceiveTransfers" | "mayReceiveInvitations">;
type At = { at: number; seq: number };

export class Model {
  readonly agents = new Map<AgentId, AgentModel>();
  readonly portals = new Map<PortalId, PortalModel>();
  readonly requests = new Map<RequestId, RequestModel>();
  /** Requests not yet started, abandoned or expired. */
  readonly open = new Set<RequestModel>();
  readonly sessions = new Map<SessionId, SessionModel>();
  readonly codes = new Map<CodeId, CodeModel>();
  /** Queue-mode portals: requests waiting in their FIFO, oldest first (R-P5). */
  readonly queues = new Map<PortalId, RequestModel[]>();
  private posted = 0;

  constructor(private readonly flags: (id: AgentId) => AgentFlags = () => allAllowed) {}

  reachable(a: AgentModel): boolean {
    return a.loggedIn && a.connected && a.available;
  }

  free(a: AgentModel): boolean {
    return this.reachable(a) && a.active < a.max;
  }

  members(portalId: PortalId): AgentModel[] {
    return (this.portals.get(portalId)?.members ?? []).flatMap((id) => this.agents.get(id) ?? []);
  }

  apply(e: DomainEvent & At): void {
    switch (e.type) {
      case "agent.registered":
        this.agents.set(e.agentId, {
          id: e.agentId,
          max: e.maxSessions,
          loggedIn: false,
          connected: false,
          available: false,
          active: 0,
          sessions: new Set(),
          freedSeq: 0,
          ...this.flags(e.agentId),
        });
        return;
      case "portal.registered":
        this.portals.set(e.portalId, {
          id: e.portalId,
          type: e.portalType,
          mode: e.mode,
          members: e.members,
        });
        if (e.mode === "queue") this.queues.set(e.portalId, []);
        return;
      case "agent.loggedIn":
        return this.presence(e.agentId, { loggedIn: true, connected: true, available: true });
      case "agent.loggedOut":
        this.presence(e.agentId, { loggedIn: false, connected: false, available: false });
        return this.reroute(e.agentId);
      case "agent.availabilityChanged":
        return this.presence(e.agentId, { available: e.available });
      case "agent.disconnected":
        return this.presence(e.agentId, { connected: false });
      case "agent.reconnected":
        return this.presence(e.agentId, { connected: true });
      case "agent.slotGranted":
        return this.slots(e.agentId, +1);
      case "agent.joinedSession":
        this.slots(e.agentId, +1);
        this.agents.get(e.agentId)?.sessions.add(e.sessionId);
        return;
      case "agent.slotReleased": {
        this.slots(e.agentId, -1);
        const a = this.agents.get(e.agentId);
        a?.sessions.delete(e.sessionId);
        if (a) a.freedSeq = e.seq;
        return;
      }
      default:
        if (!this.applyRequest(e) && !this.applySession(e)) this.applyCode(e);
    }
  }

  private presence(id: AgentId, change: Partial<AgentModel>): void {
    const a = this.agents.get(id);
    if (a) Object.assign(a, change);
  }

  private slots(id: AgentId, delta: number): void {
    const a = this.agents.get(id);
    if (a) a.active += delta;
  }

  /** An agent left for good: requests Queued for them (R-A8) go back to routing with no alert up yet. */
  private reroute(agentId: AgentId): void {
    for (const r of this.open) {
      if (r.answeredBy !== agentId || r.phase !== "held") continue;
      r.phase = "waiting";
      r.answeredBy = null;
      r.alerted.clear();
    }
  }

  private applyRequest(e: DomainEvent & At): true | undefined {
    const r = "requestId" in e && e.requestId ? this.requests.get(e.requestId) : undefined;
    switch (e.type) {
      case "request.posted": {
        const req: RequestModel = {
          id: e.requestId,
          portalId: e.portalId,
          mode: e.mode,
          order: this.posted++,
          postedAt: e.at,
          code: e.code ?? null,
          matchAgentId: e.matchAgentId ?? null,
          phase: "waiting",
          answeredBy: null,
          alerted: new Set(),
          offeredTo: null,
          offeredAt: 0,
          tried: new Set(),
          sessionId: null,
          endedAt: null,
        };
        this.requests.set(e.requestId, req);
        this.open.add(req);
        return true;
      }
      case "alert.raised":
        // Orange and blue alerts mirror transfer.requested / invitation.sent, which set the sessions' pending lists.
        if (r) r.alerted = new Set(e.agentIds);
        return true;
      case "alert.withdrawn":
        if (r) for (const id of e.agentIds) r.alerted.delete(id);
        return true;
      case "request.answered":
        if (r)
          Object.assign(r, { phase: "answered", answeredBy: e.agentId, offeredTo: null, alerted: new Set() });
        return true;
      case "request.queuedForAgent":
        if (r) r.phase = "held";
        return true;
      case "request.started":
        if (r) Object.assign(r, { phase: "started", sessionId: e.sessionId });
        return this.end(r, e.at);
      case "request.abandoned":
        if (r) r.phase = "abandoned";
        return this.end(r, e.at);
      case "request.expired":
        if (r) r.phase = "expired";
        return this.end(r, e.at);
      case "offer.made":
        if (r) Object.assign(r, { offeredTo: e.agentId, offeredAt: e.at });
        return true;
      case "offer.ended":
        if (r && r.offeredTo === e.agentId) {
          r.offeredTo = null;
          r.tried.add(e.agentId);
        }
        return true;
      case "queue.enqueued": {
        const q = this.queues.get(e.portalId);
        if (q && r && !q.includes(r)) {
          q.push(r);
          q.sort((a, b) => a.order - b.order);
        }
        return true;
      }
      case "queue.dequeued": {
        const q = this.queues.get(e.portalId);
        const i = q && r ? q.indexOf(r) : -1;
        if (i >= 0) q!.splice(i, 1);
        r?.tried.clear();
        return true;
      }
      default:
        return undefined;
    }
  }

  private end(r: RequestModel | undefined, at: number): true {
    if (r) {
      r.endedAt = at;
      r.offeredTo = null;
      this.open.delete(r);
    }
    return true;
  }

  private applySession(e: DomainEvent & At): true | undefined {
    const s = "sessionId" in e && e.sessionId ? this.sessions.get(e.sessionId) : undefined;
    switch (e.type) {
      case "session.started":
        this.sessions.set(e.sessionId, {
          id: e.sessionId,
          requestId: e.requestId,
          portalId: e.portalId,
          owner: e.agentId,
          invitees: new Map(),
          pendingTransfer: null,
          pendingInvite: null,
          customerPresent: true,
          closed: false,
        });
        this.agents.get(e.agentId)?.sessions.add(e.sessionId);
        return true;
      case "invitation.sent":
        if (s) s.pendingInvite = { agentIds: e.agentIds, hidden: e.hidden };
        return true;
      case "invitation.cancelled":
        if (s) s.pendingInvite = null;
        return true;
      case "participant.joined":
        if (s) {
          s.invitees.set(e.agentId, e.hidden);
          s.pendingInvite = null;
        }
        return true;
      case "participant.left":
        s?.invitees.delete(e.agentId);
        return true;
      case "transfer.requested":
        if (s) s.pendingTransfer = e.agentIds;
        return true;
      case "transfer.cancelled":
        if (s) s.pendingTransfer = null;
        return true;
      case "session.ownerChanged":
        if (s) {
          s.owner = e.to;
          s.invitees.delete(e.to);
          if (e.reason === "transfer") s.pendingTransfer = null;
        }
        return true;
      case "customer.left":
        if (s) s.customerPresent = false;
        return true;
      case "session.closed":
        if (s) Object.assign(s, { closed: true, pendingTransfer: null, pendingInvite: null });
        return true;
      default:
        return undefined;
    }
  }

  private applyCode(e: DomainEvent & At): void {
    switch (e.type) {
      case "code.created":
        this.codes.set(e.code, {
          code: e.code,
          issuerId: e.issuerId,
          portalId: e.portalId,
          expiresAt: e.expiresAt,
          state: "active",
          requestId: null,
        });
        return;
      case "code.converted":
        this.setCode(e.code, { state: "converted", requestId: e.requestId });
        return;
      case "code.expired":
        this.setCode(e.code, { state: "expired" });
        return;
      case "code.cancelled":
        this.setCode(e.code, { state: "cancelled" });
        return;
    }
  }

  private setCode(code: CodeId, change: Partial<CodeModel>): void {
    const c = this.codes.get(code);
    if (c) Object.assign(c, change);
  }
}

const allAllowed: AgentFlags = { mayReceiveTransfers: true, mayReceiveInvitations: true };
