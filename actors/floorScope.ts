// What every part of the floor shares: its context, the scope of one transition, and small helpers to reach children.
import { type AnyActorRef, type AnyStateMachine, createActor, type InputFrom } from "xstate";
import type { AgentEvent } from "./agentMachine.ts";
import type { FloorCommand } from "./commands.ts";
import { type FloorSystem, freeMembers, readPortal } from "./eligibility.ts";
import type { RejectionReason } from "./events.ts";
import { type AgentId, type CodeId, type PortalId, type RequestId, SessionId, systemIds } from "./ids.ts";
import type { FloorOptions } from "./options.ts";
import type { QueueEvent } from "./queueMachine.ts";
import { nextRandom } from "./random.ts";
import type { RequestContext, RequestEvent } from "./requestMachine.ts";
import type { SessionContext, SessionEvent } from "./sessionMachine.ts";
import type { SmartCodeEvent } from "./smartCodeMachine.ts";

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
export interface FloorIndexes {
  agentIds: AgentId[];
  portalIds: PortalId[];
  /** Portals in Queue mode, and the ones each agent is a member of: routing after every slot change must not walk
   * every portal of a large floor (R-P5). Kept from the configurations as they are added and changed. */
  queuePortalIds: PortalId[];
  queuesByAgent: Map<AgentId, Set<PortalId>>;
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

// biome-ignore lint/suspicious/noExplicitAny: enqueue's generic types are not worth spelling out here
export type Enqueue = any;

export interface Scope {
  context: FloorContext;
  system: FloorSystem;
  enqueue: Enqueue;
}

export const joinKey = (agentId: AgentId, sessionId: SessionId) => `${agentId}|${sessionId}`;

export function reject(s: Scope, command: FloorCommand, reason: RejectionReason, detail: string): void {
  s.enqueue.emit({
    type: "command.rejected",
    command: command.type,
    commandId: command.commandId,
    reason,
    detail,
  });
}

export function send(
  s: Scope,
  systemId: string,
  event: AgentEvent | RequestEvent | SessionEvent | QueueEvent | SmartCodeEvent,
) {
  const ref = s.system.get(systemId);
  if (ref) s.enqueue.sendTo(ref, event);
}

export function tick(s: Scope): number {
  s.context.seq += 1;
  return s.context.seq;
}

export function random(s: Scope): number {
  const r = nextRandom(s.context.rng);
  s.context.rng = r.state;
  return r.value;
}

/** A fresh 9-digit session id, never issued before on this floor (R-L2). */
export function newSessionId(s: Scope): SessionId {
  for (;;) {
    const id = String(100_000_000 + Math.floor(random(s) * 900_000_000));
    if (!s.context.index.issuedSessionIds.has(id)) {
      s.context.index.issuedSessionIds.add(id);
      return SessionId(id);
    }
  }
}

export function requestSnapshot(
  s: Scope,
  id: RequestId,
): { context: RequestContext; value: unknown } | undefined {
  return s.system.get(systemIds.request(id))?.getSnapshot();
}

export function sessionContext(s: Scope, id: SessionId): SessionContext | undefined {
  return s.system.get(systemIds.session(id))?.getSnapshot().context;
}

/** Tell every queue the agent belongs to that free agents may have changed (R-P5). */
export function dispatchQueuesOf(s: Scope, agentId: AgentId | null): void {
  const { index } = s.context;
  for (const portalId of agentId ? (index.queuesByAgent.get(agentId) ?? []) : index.queuePortalIds) {
    const portal = readPortal(s.system, portalId);
    if (!portal) continue;
    send(s, systemIds.queue(portalId), { type: "queue.dispatch", free: freeMembers(s.system, portal) });
  }
}

/** Keeps `queuesByAgent` in step with a Queue-mode portal's members as it is added or reconfigured. */
export function indexQueueMembers(
  s: Scope,
  portalId: PortalId,
  before: readonly AgentId[],
  after: readonly AgentId[],
): void {
  const { queuesByAgent } = s.context.index;
  for (const agentId of before) queuesByAgent.get(agentId)?.delete(portalId);
  for (const agentId of after) {
    const portals = queuesByAgent.get(agentId) ?? new Set<PortalId>();
    portals.add(portalId);
    queuesByAgent.set(agentId, portals);
  }
}

export function queueFree(s: Scope, portalId: PortalId) {
  const portal = readPortal(s.system, portalId);
  return portal ? freeMembers(s.system, portal) : [];
}

/**
 * Starts a child actor in the floor's system, registered under its systemId. Children are not kept in the floor's
 * snapshot (`spawnChild` would copy that map on every spawn, O(children)); the system registry is the directory.
 *
 * It is written like XState's own `spawnChild` (a `resolve`/`execute` action whose start is deferred until the
 * floor's transition is applied), not as a custom action: a child started inside a custom action would run its own
 * initial assignments while XState believes a custom action is executing.
 */
export function spawn<T extends AnyStateMachine>(
  s: Scope,
  logic: T,
  systemId: string,
  input: InputFrom<T>,
): void {
  s.enqueue(startDetached(logic, systemId, input));
}

interface DeferringScope {
  self: AnyActorRef;
  defer(fn: () => void): void;
}

function startDetached(logic: AnyStateMachine, systemId: string, input: unknown) {
  function startChild(): void {}
  startChild.type = "tandem.startChild";
  startChild.resolve = (_scope: DeferringScope, snapshot: unknown) => [snapshot, undefined, undefined];
  startChild.execute = (scope: DeferringScope) => {
    scope.defer(() => {
      createActor(logic, { parent: scope.self, id: systemId, systemId, input }).start();
    });
  };
  return startChild;
}

export interface RedeemInfo {
  portalId: PortalId;
  post: Extract<FloorCommand, { type: "request.post" }>;
}
