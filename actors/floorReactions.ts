// The floor's reactions to its children's events: the wiring between requests, agents, sessions, queues and codes.
import { broadcastRecipients, freeMembers, readAgent, readPortal } from "./eligibility.ts";
import type { DomainEvent } from "./events.ts";
import { spawnRequest } from "./floorCommands.ts";
import {
  dispatchQueuesOf,
  joinKey,
  newSessionId,
  queueFree,
  type RedeemInfo,
  requestSnapshot,
  type Scope,
  send,
  sessionContext,
  spawn,
  tick,
} from "./floorScope.ts";
import { type AgentId, RequestId, type SessionId, systemIds } from "./ids.ts";
import { sessionMachine } from "./sessionMachine.ts";

// ——— reactions to the children's events ———

export function react(s: Scope, e: DomainEvent): void {
  const index = s.context.index;
  switch (e.type) {
    case "request.answered": {
      const sessionId = newSessionId(s);
      index.claims.set(e.requestId, { agentId: e.agentId, sessionId });
      send(s, systemIds.agent(e.agentId), {
        type: "agent.claimSlot",
        requestId: e.requestId,
        sessionId,
        tick: tick(s),
      });
      const portalId = index.requestPortal.get(e.requestId);
      if (portalId && e.via === "offer") {
        send(s, systemIds.queue(portalId), { type: "queue.remove", requestId: e.requestId, free: [] });
      }
      return;
    }
    case "agent.slotGranted": {
      const claim = index.claims.get(e.requestId);
      const request = requestSnapshot(s, e.requestId);
      if (!claim || !request) return;
      index.claims.delete(e.requestId);
      spawn(s, sessionMachine, systemIds.session(claim.sessionId), {
        sessionId: claim.sessionId,
        requestId: e.requestId,
        portalId: request.context.portalId,
        customer: request.context.customer,
        owner: e.agentId,
        options: s.context.options,
      });
      send(s, systemIds.request(e.requestId), { type: "request.start", sessionId: claim.sessionId });
      // R-P5: an agent who took an offer and is still below the maximum is free again for the next waiting request.
      dispatchQueuesOf(s, e.agentId);
      return;
    }
    case "agent.slotQueued":
      // R-A8: the customer is told to wait until this agent finishes with the previous customer.
      send(s, systemIds.request(e.requestId), { type: "request.hold" });
      s.enqueue.emit({
        type: "request.queuedForAgent",
        requestId: e.requestId,
        agentId: e.agentId,
        position: e.position,
      });
      return;
    case "agent.joinedSession": {
      const key = joinKey(e.agentId, e.sessionId);
      const kind = index.joins.get(key);
      index.joins.delete(key);
      const session = sessionContext(s, e.sessionId);
      const still = kind === "invite" ? session?.pendingInvite?.agentIds : session?.pendingTransfer?.agentIds;
      if (!kind || !still?.includes(e.agentId)) {
        // Someone else was first: give the slot back.
        send(s, systemIds.agent(e.agentId), {
          type: "agent.releaseSlot",
          sessionId: e.sessionId,
          tick: tick(s),
        });
        s.enqueue.emit({
          type: "command.rejected",
          command: kind === "invite" ? "session.acceptInvite" : "session.acceptTransfer",
          reason: "alreadyAnswered",
          detail: `session ${e.sessionId}: another agent was first`,
        });
        return;
      }
      send(s, systemIds.session(e.sessionId), {
        type: kind === "invite" ? "session.acceptInvite" : "session.acceptTransfer",
        agentId: e.agentId,
      });
      return;
    }
    case "participant.left":
      send(s, systemIds.agent(e.agentId), {
        type: "agent.releaseSlot",
        sessionId: e.sessionId,
        tick: tick(s),
      });
      return;
    case "session.closed":
      for (const agentId of e.agentIds) {
        send(s, systemIds.agent(agentId), {
          type: "agent.releaseSlot",
          sessionId: e.sessionId,
          tick: tick(s),
        });
      }
      return;
    case "agent.slotReleased":
    case "agent.loggedIn":
    case "agent.reconnected":
      dispatchQueuesOf(s, e.agentId);
      return;
    case "agent.availabilityChanged":
      if (e.available) dispatchQueuesOf(s, e.agentId);
      return;
    case "agent.disconnected":
      withdrawOffersOf(s, e.agentId);
      return;
    case "agent.loggedOut":
      agentGone(s, e.agentId);
      return;
    case "offer.ended": {
      const portalId = index.requestPortal.get(e.requestId);
      if (portalId) {
        send(s, systemIds.queue(portalId), {
          type: "queue.offerEnded",
          requestId: e.requestId,
          agentId: e.agentId,
          free: queueFree(s, portalId),
        });
      }
      return;
    }
    case "request.started":
    case "request.abandoned":
    case "request.expired": {
      const portalId = index.requestPortal.get(e.requestId);
      index.requestPortal.delete(e.requestId);
      const claim = index.claims.get(e.requestId);
      if (claim) {
        index.claims.delete(e.requestId);
        send(s, systemIds.agent(claim.agentId), { type: "agent.dropQueued", requestId: e.requestId });
      }
      if (portalId && e.type !== "request.started" && readPortal(s.system, portalId)?.mode === "queue") {
        send(s, systemIds.queue(portalId), {
          type: "queue.remove",
          requestId: e.requestId,
          free: queueFree(s, portalId),
        });
      }
      return;
    }
    case "code.converted": {
      index.codesByAgent.get(e.issuerId)?.delete(e.code);
      const redeem = index.redeems.get(e.requestId);
      index.redeems.clear();
      if (redeem) startCodeRequest(s, e, redeem);
      return;
    }
    case "code.expired":
    case "code.cancelled":
      index.codesByAgent.get(e.issuerId)?.delete(e.code);
      index.redeems.clear();
      return;
    case "command.rejected":
      // A redemption is answered within the dispatch that asked for it: nothing is left waiting.
      if (e.command === "code.redeem") index.redeems.clear();
      return;
  }
}

/** A SmartCode was redeemed: the request is answered by its issuer without any alert (R-P6). */
function startCodeRequest(
  s: Scope,
  e: Extract<DomainEvent, { type: "code.converted" }>,
  redeem: RedeemInfo,
): void {
  spawnRequest(s, e.requestId, s.context.seq, redeem.portalId, redeem.post, [], [e.issuerId], e.issuerId);
  s.enqueue.emit({ type: "request.answered", requestId: e.requestId, agentId: e.issuerId, via: "code" });
  react(s, { type: "request.answered", requestId: e.requestId, agentId: e.issuerId, via: "code" });
}

function withdrawOffersOf(s: Scope, agentId: AgentId): void {
  for (const portalId of s.context.index.queuePortalIds) {
    const queue = s.system.get(systemIds.queue(portalId));
    if (!queue) continue;
    const offers = queue.getSnapshot().context.offers as Record<RequestId, AgentId>;
    for (const [requestId, holder] of Object.entries(offers)) {
      if (holder === agentId)
        send(s, systemIds.request(RequestId(requestId)), { type: "request.withdrawOffer", agentId });
    }
  }
}

/** The agent logged out or lost the connection for good: hand on or close their sessions, re-route their Queued requests. */
function agentGone(s: Scope, agentId: AgentId): void {
  withdrawOffersOf(s, agentId);
  const ref = s.system.get(systemIds.agent(agentId));
  if (!ref) return;
  const ctx = ref.getSnapshot().context;
  for (const sessionId of ctx.active as SessionId[]) {
    send(s, systemIds.session(sessionId), { type: "session.leave", agentId, forced: true });
  }
  for (const { requestId } of ctx.queued as Array<{ requestId: RequestId }>) {
    s.context.index.claims.delete(requestId);
    send(s, systemIds.agent(agentId), { type: "agent.dropQueued", requestId });
    reroute(s, requestId);
  }
}

/** A request whose agent left before its slot freed goes back to routing, keeping its place in line. */
function reroute(s: Scope, requestId: RequestId): void {
  const request = requestSnapshot(s, requestId);
  if (!request) return;
  const portal = readPortal(s.system, request.context.portalId);
  if (!portal) return;
  const alerted =
    portal.mode === "standard" && portal.type !== "smartMatch" ? broadcastRecipients(s.system, portal) : [];
  send(s, systemIds.request(requestId), { type: "request.reroute", alerted });
  if (alerted.length > 0) {
    s.enqueue.emit({
      type: "alert.raised",
      colour: "yellow",
      agentIds: alerted,
      requestId,
      displayMs: s.context.options.alertDisplayMs,
    });
  }
  if (portal.mode === "queue") {
    send(s, systemIds.queue(portal.id), {
      type: "queue.enqueue",
      request: { requestId, postedSeq: request.context.postedSeq },
      free: freeMembers(s.system, portal),
    });
  }
}

/** R-P9: reminders go only to agents whose preference asks for them in their present situation. */
export function remindable(s: Scope, agentIds: AgentId[]): AgentId[] {
  return agentIds.filter((id) => {
    const a = readAgent(s.system, id);
    if (!a?.loggedIn) return false;
    const when = a.config.preferences.remindWhen;
    return a.active >= a.max ? when.atMaximum : a.active > 0 ? when.inSession : when.idle;
  });
}
