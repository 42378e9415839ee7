// The floor's handling of commands from outside: validate against the children's state, then forward or spawn.
import { type AgentEvent, agentMachine } from "./agentMachine.ts";
import type { FloorCommand, MachineCommand } from "./commands.ts";
import { validateAgent, validatePortal } from "./config.ts";
import {
  broadcastRecipients,
  freeMembers,
  handoverRecipients,
  readAgent,
  readPortal,
} from "./eligibility.ts";
import {
  indexQueueMembers,
  joinKey,
  random,
  reject,
  requestSnapshot,
  type Scope,
  send,
  sessionContext,
  spawn,
  tick,
} from "./floorScope.ts";
import { type AgentId, CodeId, type PortalId, RequestId, type SessionId, systemIds } from "./ids.ts";
import { portalMachine } from "./portalMachine.ts";
import { queueMachine } from "./queueMachine.ts";
import { requestMachine } from "./requestMachine.ts";
import { agentsIn } from "./sessionMachine.ts";
import { normaliseCode, quickUrl, type SmartCodeEvent, smartCodeMachine } from "./smartCodeMachine.ts";

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
    s.context.index.queuePortalIds.push(id);
    indexQueueMembers(s, id, [], members);
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
    // The audit stream follows configuration too (a changed maximum matters to every capacity check).
    s.enqueue.emit({ type: "agent.configured", agentId: c.config.id, maxSessions: c.config.maxSessions });
    return;
  }
  const error = validatePortal(c.config, new Set(s.context.index.agentIds));
  if (error) return reject(s, c, "invalidConfig", error.message);
  const current = readPortal(s.system, c.config.id);
  if (!current) return reject(s, c, "unknownPortal", `no portal ${c.config.id}`);
  if (current.mode !== c.config.mode)
    return reject(s, c, "invalidConfig", "a portal's mode is fixed once created");
  if (current.mode === "queue") indexQueueMembers(s, c.config.id, current.members, c.config.members);
  s.enqueue.sendTo(s.system.get(systemIds.portal(c.config.id)), {
    type: "portal.configure",
    config: c.config,
  });
  s.enqueue.emit({
    type: "portal.configured",
    portalId: c.config.id,
    portalType: c.config.type,
    mode: c.config.mode,
    members: c.config.members,
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
    // Only the issuer may be connected (R-P6): while they are logged out the code stays active but cannot be redeemed,
    // otherwise the session would start with an owner nobody can reach and who can never close it.
    const issuer = readAgent(s.system, ref.getSnapshot().context.issuerId);
    if (!issuer?.loggedIn)
      return reject(s, c, "notLoggedIn", "the agent who made this code is not logged in");
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

export function spawnRequest(
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

type SessionCommand = Extract<MachineCommand, { sessionId: SessionId }>;

function sessionCommand(s: Scope, c: SessionCommand): void {
  const session = sessionContext(s, c.sessionId);
  if (!session) return reject(s, c, "unknownSession", `no open session ${c.sessionId}`);
  const to = systemIds.session(c.sessionId);
  const cmd = { commandId: c.commandId };
  switch (c.type) {
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
      // Already in it (e.g. took the transfer, then says Yes to an older invitation): refuse before taking a second
      // slot, which the session would refuse too and nobody would give back (R-A7).
      if (agentsIn(session).includes(c.agentId)) {
        return reject(s, c, "alreadyParticipant", `agent ${c.agentId} is already in session ${c.sessionId}`);
      }
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

export function handleCommand(s: Scope, c: MachineCommand): void {
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
