// Builders for tests and the simulator: a floor on a simulated clock with agents and portals set up in one call.
import { SimClock } from "./clock.ts";
import {
  type AgentConfig,
  defaultAgentPreferences,
  type Mode,
  type PortalConfig,
  type PortalType,
} from "./config.ts";
import type { Customer, DomainEvent, RecordedEvent } from "./events.ts";
import { Floor } from "./floor.ts";
import { AgentId, PortalId } from "./ids.ts";
import type { FloorOptions } from "./options.ts";

export interface AgentSketch extends Partial<Omit<AgentConfig, "id">> {
  id: string;
}

export interface PortalSketch {
  id: string;
  type: PortalType;
  mode: Mode;
  members: string[];
  tier?: boolean;
}

export function agentConfig(a: AgentSketch): AgentConfig {
  return {
    name: a.id,
    email: `${a.id}@example.test`,
    maxSessions: 8,
    mayReceiveTransfers: true,
    mayReceiveInvitations: true,
    ...a,
    id: AgentId(a.id),
    preferences: { ...defaultAgentPreferences, ...a.preferences },
  };
}

export function portalConfig(p: PortalSketch): PortalConfig {
  return {
    id: PortalId(p.id),
    name: p.id,
    type: p.type,
    mode: p.mode,
    language: "en",
    members: p.members.map(AgentId),
    tier: p.tier ?? false,
  };
}

export const customer = (name: string, question?: string): Customer => ({
  name,
  language: "en",
  ...(question ? { question } : {}),
});

/** A floor on a SimClock with every event recorded in `log`. */
export function testFloor(setup: {
  agents: AgentSketch[];
  portals: PortalSketch[];
  login?: boolean;
  options?: Partial<FloorOptions>;
  seed?: number;
}) {
  const clock = new SimClock(0);
  const floor = new Floor({ clock, seed: setup.seed ?? 7, options: setup.options });
  const log: RecordedEvent[] = [];
  floor.subscribe((e) => log.push(e));
  for (const a of setup.agents) floor.dispatch({ type: "floor.addAgent", config: agentConfig(a) });
  for (const p of setup.portals) floor.dispatch({ type: "floor.addPortal", config: portalConfig(p) });
  if (setup.login !== false) {
    for (const a of setup.agents) floor.dispatch({ type: "agent.login", agentId: AgentId(a.id) });
  }
  const ofType = <T extends DomainEvent["type"]>(type: T) =>
    log.filter((e): e is Extract<RecordedEvent, { type: T }> => e.type === type);
  return { clock, floor, log, ofType };
}
