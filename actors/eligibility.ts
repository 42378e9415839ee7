// Who may be alerted, offered, transferred to or invited — routing questions answered from agents' and portals' snapshots.
import type { ActorSystem } from "xstate";
import { type AgentView, agentView } from "./agentMachine.ts";
import type { PortalConfig } from "./config.ts";
import type { TransferTarget } from "./events.ts";
import { type AgentId, type PortalId, systemIds } from "./ids.ts";
import type { FreeAgent } from "./queueMachine.ts";

// biome-ignore lint/suspicious/noExplicitAny: the floor's system holds actors of several kinds
export type FloorSystem = ActorSystem<any>;

export function readAgent(system: FloorSystem, id: AgentId): AgentView | undefined {
  const ref = system.get(systemIds.agent(id));
  return ref ? agentView(ref.getSnapshot()) : undefined;
}

export function readPortal(system: FloorSystem, id: PortalId): PortalConfig | undefined {
  return system.get(systemIds.portal(id))?.getSnapshot().context.config;
}

/** Logged in, connected and Available: may receive new alerts and offers (R-A6, R-P3). */
export const isReachable = (a: AgentView) => a.loggedIn && a.connected && a.available;

/** Reachable and below the maximum: may be handed a Queue request (R-P5). */
export const isFree = (a: AgentView) => isReachable(a) && a.active < a.max;

export function members(system: FloorSystem, portal: PortalConfig): AgentView[] {
  const views: AgentView[] = [];
  for (const id of portal.members) {
    const view = readAgent(system, id);
    if (view) views.push(view);
  }
  return views;
}

/** R-P3: a yellow alert goes to every member who is logged in and available when the request is posted. */
export function broadcastRecipients(system: FloorSystem, portal: PortalConfig): AgentId[] {
  return members(system, portal)
    .filter(isReachable)
    .map((a) => a.id);
}

export function freeMembers(system: FloorSystem, portal: PortalConfig): FreeAgent[] {
  return members(system, portal)
    .filter(isFree)
    .map((a) => ({ agentId: a.id, freeSince: a.freeSince }));
}

/**
 * Receivers of a transfer (R-S6, R-P7: orange, reachable agents allowed to receive transfers) or of an invitation
 * (R-S7, R-P8: blue, logged-in agents allowed to receive invitations; a broadcast to a portal goes to its available ones).
 */
export function handoverRecipients(
  system: FloorSystem,
  to: TransferTarget,
  kind: "transfer" | "invite",
  exclude: readonly AgentId[],
): AgentId[] {
  const allowed = (a: AgentView) =>
    !exclude.includes(a.id) &&
    (kind === "transfer" ? a.config.mayReceiveTransfers : a.config.mayReceiveInvitations);
  if ("agentId" in to) {
    const a = readAgent(system, to.agentId);
    const ok = a && allowed(a) && (kind === "invite" ? a.loggedIn && a.connected : isReachable(a));
    return ok ? [a.id] : [];
  }
  const portal = readPortal(system, to.portalId);
  if (!portal) return [];
  return members(system, portal)
    .filter((a) => allowed(a) && isReachable(a))
    .map((a) => a.id);
}
