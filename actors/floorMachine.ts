// The support floor: spawns one actor per agent, portal, queue, request, session and SmartCode under a systemId,
// routes commands to them, wires their published events to each other, and re-emits every event as the one domain stream.
import {
  type AnyActorRef,
  type AnyStateMachine,
  createActor,
  enqueueActions,
  type InputFrom,
  setup,
} from "xstate";
import { type AgentEvent, agentMachine } from "./agentMachine.ts";
import type { FloorCommand } from "./commands.ts";
import { validateAgent, validatePortal } from "./config.ts";
import {
  broadcastRecipients,
  type FloorSystem,
  freeMembers,
  handoverRecipients,
  readAgent,
  readPortal,
} from "./eligibility.ts";
import type { DomainEvent, Publish, RejectionReason } from "./events.ts";
import { type AgentId, CodeId, type PortalId, RequestId, SessionId, systemIds } from "./ids.ts";
import type { FloorOptions } from "./options.ts";
import { portalMachine } from "./portalMachine.ts";
import { type QueueEvent, queueMachine } from "./queueMachine.ts";
import { nextRandom } from "./random.ts";
import { type RequestContext, type RequestEvent, requestMachine } from "./requestMachine.ts";
import { agentsIn, type SessionContext, type SessionEvent, sessionMachine } from "./sessionMachine.ts";
import { normaliseCode, quickUrl, type SmartCodeEvent, smartCodeMachine } from "./smartCodeMachine.ts";

export interface FloorInput {
  options: FloorOptions;
  seed: number;
  /** The floor's clock, read only to stamp SmartCode creation and redemption times. */
  now: () => number;
}

/**
 * Indexes the floor keeps for O(1) routing. They are mutated in place (not copied per event) so that a floor with
 * thousands of sessions stays fast; the durable state lives in the children's snapshots and the event log.
 */
interface FloorIndexes {
  agentIds: AgentId[];
  portalIds: PortalId[];
  /** Session ids ever issued: they are unique for the floor's life (R-L2). */
  issuedSessionIds: Set<string>;
  /** Answered requests waiting for their agent's slot: the session id they will get. */
  claims: Map<RequestId, { agentId: AgentId; sessionId: SessionId }>;
  /** Agents who took a slot to join a session, and why. */
  joins: Map<string, "invite" | "transfer">;
  codesByAgent: Map<AgentId, Set<CodeId>>;
  /** Portal of each live request, to tidy its queue when it ends. */
  requestPortal: Map<RequestId, PortalId>;
  /** The customer's details of a SmartCode redemption until the code actor answers (within the same dispatch). */
  redeems: Map<RequestId, RedeemInfo>;
}

export interface FloorContext {
  options: FloorOptions;
  rng: number;
  seq: number;
  now: () => number;
  index: FloorIndexes;
}

type FloorEvent =
  | FloorCommand
  | Publish
  | { type: `xstate.done.actor.${string}`; actorId: string }
  | { type: `xstate.error.actor.${string}`; actorId: string; error: unknown };

// biome-ignore lint/suspicious/noExplicitAny: enqueue's generic types are not worth spelling out here
type Enqueue = any;

interface Scope {
  context: FloorContext;
  system: FloorSystem;
  enqueue: Enqueue;
}

const joinKey = (agentId: AgentId, sessionId: SessionId) => `${agentId}|${sessionId}`;

function reject(s: Scope, command: FloorCommand, reason: RejectionReason, detail: string): void {
  s.enqueue.emit({
    type: "command.rejected",
    command: command.type,
    commandId: command.commandId,
    reason,
    detail,
  });
}

function send(
  s: Scope,
  systemId: string,
  event: AgentEvent | RequestEvent | SessionEvent | QueueEvent | SmartCodeEvent,
) {
  const ref = s.system.get(systemId);
  if (ref) s.enqueue.sendTo(ref, event);
}

function tick(s: Scope): number {
  s.context.seq += 1;
  return s.context.seq;
}

function random(s: Scope): number {
  const r = nextRandom(s.context.rng);
  s.context.rng = r.state;
  return r.value;
}

/** A fresh 9-digit session id, never issued before on this floor (R-L2). */
function newSessionId(s: Scope): SessionId {
  for (;;) {
    const id = String(100_000_000 + Math.floor(random(s) * 900_000_000));
    if (!s.context.index.issuedSessionIds.has(id)) {
      s.context.index.issuedSessionIds.add(id);
      return SessionId(id);
    }
  }
}

function requestSnapshot(s: Scope, id: RequestId): { context: RequestContext; value: unknown } | undefined {
  return s.system.get(systemIds.request(id))?.getSnapshot();
}

function sessionContext(s: Scope, id: SessionId): SessionContext | undefined {
  return s.system.get(systemIds.session(id))?.getSnapshot().context;
}

/** Tell every queue the agent belongs to that free agents may have changed (R-P5). */
function dispatchQueuesOf(s: Scope, agentId: AgentId | null): void {
  for (const portalId of s.context.index.portalIds) {
    const portal = readPortal(s.system, portalId);
    if (portal?.mode !== "queue") continue;
    if (agentId && !portal.members.includes(agentId)) continue;
    send(s, systemIds.queue(portalId), { type: "queue.dispatch", free: freeMembers(s.system, portal) });
  }
}

function queueFree(s: Scope, portalId: PortalId) {
  const portal = readPortal(s.system, portalId);
  return portal ? freeMembers(s.system, portal) : [];
}

/**
 * Starts a child actor in the floor's system, registered under its systemId. Children are not kept in the floor's
 * snapshot (`spawnChild` would copy that map on every spawn, O(children)); the system registry is the directory.
 */
function spawn<T extends AnyStateMachine>(s: Scope, logic: T, systemId: string, input: InputFrom<T>): void {
  s.enqueue(({ self }: { self: AnyActorRef }) => {
    createActor(logic, { parent: self, id: systemId, systemId, input }).start();
  });
}

// ——— commands ———

function addAgent(s: Scope, c: Extract<FloorCommand, { type: "floor.addAgent" }>): void {
  const error = validateAgent(c.config);
  if (error) return reject(s, c, "invalidConfig", error.message);
  if (s.system.get(systemIds.agent(c.config.id)))
    return reject(s, c, "duplicate", `agent ${c.config.id} exists`);
  s.context.index.agentIds.push(c.config.id);
  spawn(s, agentMachine, systemIds.agent(c.config.id), {
    config: c.config,
    reconnectGraceMs: s.context.options.agentReconnectGraceMs,
  });
  s.enqueue.emit({ type: "agent.registered", agentId: c.config.id, maxSessions: c.config.maxSessions });
}

function addPortal(s: Scope, c: Extract<FloorCommand, { type: "floor.addPortal" }>): void {
  const error = validatePortal(c.config, new Set(s.context.index.agentIds));
  if (error) return reject(s, c, "invalidConfig", error.message);
  const { id, type, mode, members } = c.config;
  if (s.system.get(systemIds.portal(id))) return reject(s, c, "duplicate", `portal ${id} exists`);
  s.context.index.portalIds.push(id);
  spawn(s, portalMachine, systemIds.portal(id), { config: c.config });
  if (mode === "queue") {
    spawn(s, queueMachine, systemIds.queue(id), { portalId: id });
  }
  s.enqueue.emit({ type: "portal.registered", portalId: id, portalType: type, mode, members });
}

function configure(
  s: Scope,
  c: Extract<FloorCommand, { type: "floor.configureAgent" | "floor.configurePortal" }>,
) {
  if (c.type === "floor.configureAgent") {
    const error = validateAgent(c.config);
    if (error) return reject(s, c, "invalidConfig", error.message);
    if (!s.system.get(systemIds.agent(c.config.id)))
      return reject(s, c, "unknownAgent", `no agent ${c.config.id}`);
    send(s, systemIds.agent(c.config.id), { type: "agent.configure", config: c.config });
    return;
  }
  const error = validatePortal(c.config, new Set(s.context.index.agentIds));
  if (error) return reject(s, c, "invalidConfig", error.message);
  const current = readPortal(s.system, c.config.id);
  if (!current) return reject(s, c, "unknownPortal", `no portal ${c.config.id}`);
  if (current.mode !== c.config.mode)
    return reject(s, c, "invalidConfig", "a portal's mode is fixed once created");
  s.enqueue.sendTo(s.system.get(systemIds.portal(c.config.id)), {
    type: "portal.configure",
    config: c.config,
  });
}

function agentCommand(
  s: Scope,
  c: Extract<FloorCommand, { agentId: AgentId; type: `agent.${string}` }>,
): void {
  const agent = readAgent(s.system, c.agentId);
  if (!agent) return reject(s, c, "unknownAgent", `no agent ${c.agentId}`);
  if (c.type !== "agent.login" && !agent.loggedIn)
    return reject(s, c, "notLoggedIn", `agent ${c.agentId} is not logged in`);
  if (c.type === "agent.login" && agent.loggedIn)
    return reject(s, c, "duplicate", `agent ${c.agentId} is logged in`);
  const event: AgentEvent =
    c.type === "agent.setAvailable"
      ? { type: "agent.setAvailable", available: c.available }
      : { type: c.type };
  send(s, systemIds.agent(c.agentId), event);
}

function postRequest(s: Scope, c: Extract<FloorCommand, { type: "request.post" }>): void {
  const portal = readPortal(s.system, c.portalId);
  if (!portal) return reject(s, c, "unknownPortal", `no portal ${c.portalId}`);
  const requestId = RequestId(`r${tick(s)}`);
  const postedSeq = s.context.seq;
  if (portal.mode === "phone") {
    // R-P6: no alert; the code decides, and only its issuer is connected with this customer.
    if (!c.code) return reject(s, c, "unknownCode", "a SmartCode portal needs a code");
    const code = normaliseCode(c.code);
    const ref = s.system.get(systemIds.code(code));
    if (!ref) return reject(s, c, "unknownCode", "no active code matches");
    const redeem: SmartCodeEvent = {
      type: "code.redeem",
      requestId,
      portalId: portal.id,
      customer: c.customer,
      at: s.context.now(),
      commandId: c.commandId,
    };
    s.context.index.redeems.set(requestId, { portalId: portal.id, post: c });
    s.enqueue.sendTo(ref, redeem);
    return;
  }
  let alerted: AgentId[] = [];
  let allowed: AgentId[] | null = null;
  if (portal.type === "smartMatch") {
    // R-P4: only the agent the customer picked, who must still be a reachable member.
    const chosen = c.matchAgentId ? readAgent(s.system, c.matchAgentId) : undefined;
    if (!chosen || !portal.members.includes(chosen.id))
      return reject(s, c, "notEligible", "pick an agent of this portal");
    if (!(chosen.loggedIn && chosen.connected && chosen.available)) {
      return reject(s, c, "notEligible", `agent ${chosen.id} is not available`);
    }
    alerted = [chosen.id];
    allowed = [chosen.id];
  } else if (portal.mode === "standard") {
    alerted = broadcastRecipients(s.system, portal);
  }
  spawnRequest(s, requestId, postedSeq, portal.id, c, alerted, allowed, null);
  if (portal.mode === "queue") {
    send(s, systemIds.queue(portal.id), {
      type: "queue.enqueue",
      request: { requestId, postedSeq },
      free: freeMembers(s.system, portal),
    });
  }
}

function spawnRequest(
  s: Scope,
  requestId: RequestId,
  postedSeq: number,
  portalId: PortalId,
  c: Extract<FloorCommand, { type: "request.post" }>,
  alerted: AgentId[],
  allowed: AgentId[] | null,
  answeredBy: AgentId | null,
): void {
  const portal = readPortal(s.system, portalId)!;
  const o = s.context.options;
  s.context.index.requestPortal.set(requestId, portalId);
  const colour = portal.type === "smartMatch" ? "green" : portal.mode === "standard" ? "yellow" : null;
  s.enqueue.emit({
    type: "request.posted",
    requestId,
    portalId,
    mode: portal.mode,
    customer: c.customer,
    ...(c.matchAgentId ? { matchAgentId: c.matchAgentId } : {}),
    ...(c.code ? { code: normaliseCode(c.code) } : {}),
  });
  if (colour && alerted.length > 0) {
    s.enqueue.emit({
      type: "alert.raised",
      colour,
      agentIds: alerted,
      requestId,
      displayMs: o.alertDisplayMs,
    });
  }
  spawn(s, requestMachine, systemIds.request(requestId), {
    requestId,
    portalId,
    mode: portal.mode,
    customer: c.customer,
    alerted,
    colour,
    allowed,
    answeredBy,
    postedSeq,
    options: o,
  });
}

function answerRequest(
  s: Scope,
  c: Extract<FloorCommand, { type: "request.answer" | "request.decline" }>,
): void {
  const agent = readAgent(s.system, c.agentId);
  if (!agent) return reject(s, c, "unknownAgent", `no agent ${c.agentId}`);
  if (!agent.loggedIn) return reject(s, c, "notLoggedIn", `agent ${c.agentId} is not logged in`);
  const request = requestSnapshot(s, c.requestId);
  if (!request) return reject(s, c, "unknownRequest", `request ${c.requestId} is no longer waiting`);
  const portal = readPortal(s.system, request.context.portalId);
  if (!portal?.members.includes(c.agentId)) {
    return reject(
      s,
      c,
      "notEligible",
      `agent ${c.agentId} is not a member of portal ${request.context.portalId}`,
    );
  }
  send(
    s,
    systemIds.request(c.requestId),
    c.type === "request.answer"
      ? { type: "request.answer", agentId: c.agentId, commandId: c.commandId }
      : { type: "request.decline", agentId: c.agentId },
  );
}

function createCode(s: Scope, c: Extract<FloorCommand, { type: "code.create" }>): void {
  const agent = readAgent(s.system, c.agentId);
  if (!agent) return reject(s, c, "unknownAgent", `no agent ${c.agentId}`);
  if (!agent.loggedIn) return reject(s, c, "notLoggedIn", `agent ${c.agentId} is not logged in`);
  const portal = readPortal(s.system, c.portalId);
  if (!portal) return reject(s, c, "unknownPortal", `no portal ${c.portalId}`);
  if (portal.mode !== "phone")
    return reject(s, c, "wrongPortal", `portal ${c.portalId} is not a SmartCode portal`);
  if (!portal.members.includes(c.agentId))
    return reject(s, c, "notEligible", `agent ${c.agentId} is not a member`);
  const held = s.context.index.codesByAgent.get(c.agentId) ?? new Set<CodeId>();
  if (held.size >= s.context.options.smartCodesPerAgentMax) {
    return reject(
      s,
      c,
      "codeLimitReached",
      `at most ${s.context.options.smartCodesPerAgentMax} active codes`,
    );
  }
  let code: CodeId;
  if (c.name?.trim()) {
    code = normaliseCode(c.name);
    if (/^\d+$/.test(code) || s.system.get(systemIds.code(code))) {
      return reject(s, c, "duplicate", `code name ${c.name} is taken or numeric`);
    }
  } else {
    do code = CodeId(String(Math.floor(random(s) * 10_000_000)).padStart(7, "0"));
    while (s.system.get(systemIds.code(code)));
  }
  held.add(code);
  s.context.index.codesByAgent.set(c.agentId, held);
  const createdAt = s.context.now();
  spawn(s, smartCodeMachine, systemIds.code(code), {
    code,
    name: c.name?.trim() || null,
    portalId: portal.id,
    issuerId: c.agentId,
    createdAt,
    expiresAt: createdAt + s.context.options.smartCodeTtlMs,
    quickUrl: quickUrl(s.context.options.publicUrl, portal.id, code),
  });
}

type SessionCommand = Extract<FloorCommand, { sessionId: SessionId }>;

function sessionCommand(s: Scope, c: SessionCommand): void {
  const session = sessionContext(s, c.sessionId);
  if (!session) return reject(s, c, "unknownSession", `no open session ${c.sessionId}`);
  const to = systemIds.session(c.sessionId);
  const cmd = { commandId: c.commandId };
  switch (c.type) {
    case "session.chat":
      return send(s, to, { type: "session.chat", from: c.from, text: c.text, ...cmd });
    case "session.note":
      return send(s, to, { type: "session.note", agentId: c.agentId, text: c.text, ...cmd });
    case "session.pushUrl":
      return send(s, to, { type: "session.pushUrl", agentId: c.agentId, url: c.url, ...cmd });
    case "session.screen":
      return send(s, to, { type: "session.screen", state: c.state, ...cmd });
    case "session.customerLeft":
      return send(s, to, { type: "session.customerLeft", ...cmd });
    case "session.leave":
      return send(s, to, { type: "session.leave", agentId: c.agentId, ...cmd });
    case "session.close":
      return send(s, to, {
        type: "session.close",
        agentId: c.agentId,
        resolution: c.resolution,
        extra: c.extra,
        ...cmd,
      });
    case "session.cancelInvite":
      return send(s, to, { type: "session.cancelInvite", agentId: c.agentId, ...cmd });
    case "session.cancelTransfer":
      return send(s, to, { type: "session.cancelTransfer", agentId: c.agentId, ...cmd });
    case "session.invite":
    case "session.transfer": {
      const kind = c.type === "session.invite" ? "invite" : "transfer";
      const recipients = handoverRecipients(s.system, c.to, kind, agentsIn(session));
      // R-S6, R-S7: the comments start with the customer's question unless the agent wrote their own.
      const comments = c.comments ?? session.customer.question ?? "";
      if (c.type === "session.invite") {
        return send(s, to, {
          type: "session.invite",
          agentId: c.agentId,
          recipients,
          hidden: c.hidden,
          comments,
          ...cmd,
        });
      }
      return send(s, to, {
        type: "session.transfer",
        agentId: c.agentId,
        to: c.to,
        recipients,
        comments,
        ...cmd,
      });
    }
    case "session.acceptInvite":
    case "session.acceptTransfer": {
      // The agent takes a slot first (it may be at the maximum); the session then decides who was first.
      const kind = c.type === "session.acceptInvite" ? "invite" : "transfer";
      const offered = kind === "invite" ? session.pendingInvite?.agentIds : session.pendingTransfer?.agentIds;
      if (!offered?.includes(c.agentId)) {
        return reject(
          s,
          c,
          kind === "invite" ? "notInvited" : "noTransferPending",
          "nothing is offered to this agent",
        );
      }
      if (!readAgent(s.system, c.agentId)?.loggedIn) return reject(s, c, "notLoggedIn", "log in first");
      s.context.index.joins.set(joinKey(c.agentId, c.sessionId), kind);
      return send(s, systemIds.agent(c.agentId), {
        type: "agent.joinSession",
        sessionId: c.sessionId,
        ...cmd,
      });
    }
  }
}

function closeAll(s: Scope, c: Extract<FloorCommand, { type: "session.closeAll" }>): void {
  const ref = s.system.get(systemIds.agent(c.agentId));
  if (!ref) return reject(s, c, "unknownAgent", `no agent ${c.agentId}`);
  for (const sessionId of ref.getSnapshot().context.active as SessionId[]) {
    if (sessionContext(s, sessionId)?.owner !== c.agentId) continue;
    send(s, systemIds.session(sessionId), {
      type: "session.close",
      agentId: c.agentId,
      resolution: c.resolution,
      extra: c.extra,
      commandId: c.commandId,
    });
  }
}

function handleCommand(s: Scope, c: FloorCommand): void {
  switch (c.type) {
    case "floor.addAgent":
      return addAgent(s, c);
    case "floor.addPortal":
      return addPortal(s, c);
    case "floor.configureAgent":
    case "floor.configurePortal":
      return configure(s, c);
    case "agent.login":
    case "agent.logout":
    case "agent.setAvailable":
    case "agent.disconnect":
    case "agent.reconnect":
      return agentCommand(s, c);
    case "request.post":
      return postRequest(s, c);
    case "request.answer":
    case "request.decline":
      return answerRequest(s, c);
    case "request.abandon":
      if (!requestSnapshot(s, c.requestId))
        return reject(s, c, "unknownRequest", `request ${c.requestId} has ended`);
      return send(s, systemIds.request(c.requestId), { type: "request.abandon" });
    case "code.create":
      return createCode(s, c);
    case "code.cancel": {
      if (!s.system.get(systemIds.code(c.code))) return reject(s, c, "unknownCode", "no active code matches");
      return send(s, systemIds.code(c.code), {
        type: "code.cancel",
        agentId: c.agentId,
        commandId: c.commandId,
      });
    }
    case "session.closeAll":
      return closeAll(s, c);
    default:
      if (!(c as { type: string }).type?.startsWith("session.")) {
        return reject(s, c, "unknownCommand", `no command ${(c as { type: string }).type}`);
      }
      return sessionCommand(s, c);
  }
}

// ——— reactions to the children's events ———

function react(s: Scope, e: DomainEvent): void {
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

interface RedeemInfo {
  portalId: PortalId;
  post: Extract<FloorCommand, { type: "request.post" }>;
}

function withdrawOffersOf(s: Scope, agentId: AgentId): void {
  for (const portalId of s.context.index.portalIds) {
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
function remindable(s: Scope, agentIds: AgentId[]): AgentId[] {
  return agentIds.filter((id) => {
    const a = readAgent(s.system, id);
    if (!a?.loggedIn) return false;
    const when = a.config.preferences.remindWhen;
    return a.active >= a.max ? when.atMaximum : a.active > 0 ? when.inSession : when.idle;
  });
}

export const floorMachine = setup({
  types: {
    context: {} as FloorContext,
    events: {} as FloorEvent,
    input: {} as FloorInput,
    emitted: {} as DomainEvent,
  },
  actions: {
    handleCommand: enqueueActions(({ context, event, enqueue, system }) => {
      const s: Scope = { context, system, enqueue };
      handleCommand(s, event as FloorCommand);
    }),
    handlePublish: enqueueActions(({ context, event, enqueue, system }) => {
      const s: Scope = { context, system, enqueue };
      const e = (event as Publish).event;
      if (e.type === "alert.reminded") {
        const agentIds = remindable(s, e.agentIds);
        if (agentIds.length > 0) enqueue.emit({ ...e, agentIds });
        return;
      }
      enqueue.emit(e);
      react(s, e);
    }),
    reportFailure: enqueueActions(({ event, enqueue }) => {
      const { actorId, error } = event as unknown as { actorId: string; error: unknown };
      enqueue.emit({ type: "actor.failed", actorId, error: String(error) });
    }),
  },
}).createMachine({
  id: "floor",
  context: ({ input }) => ({
    options: input.options,
    rng: input.seed >>> 0,
    seq: 0,
    now: input.now,
    index: {
      agentIds: [],
      portalIds: [],
      issuedSessionIds: new Set(),
      claims: new Map(),
      joins: new Map(),
      codesByAgent: new Map(),
      requestPortal: new Map(),
      redeems: new Map(),
    },
  }),
  on: {
    publish: { actions: "handlePublish" },
    // A finished child has already left the system; nothing to tidy.
    "xstate.done.actor.*": {},
    // A child that throws is a bug: it is reported on the stream and the rest of the floor carries on.
    "xstate.error.actor.*": { actions: "reportFailure" },
    "*": { actions: "handleCommand" },
  },
});
