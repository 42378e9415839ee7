// The support floor's public face: the Floor service, its commands and events, configuration and clocks.
export type { AgentView } from "./agentMachine.ts";
export { type FloorClock, SimClock, systemClock } from "./clock.ts";
export type { FloorCommand, FloorCommandType } from "./commands.ts";
export * from "./config.ts";
export type * from "./events.ts";
export { type DispatchResult, Floor, type FloorListener, type FloorSettings } from "./floor.ts";
export * from "./ids.ts";
export { defaultFloorOptions, type FloorOptions, maxSessionsPerAgentLimit } from "./options.ts";
export { SeededRandom } from "./random.ts";
export { requestClock } from "./requestClock.ts";
export { agentsIn, customerVisibleAgents, type Participant, type SessionContext } from "./sessionMachine.ts";
export { displayCode, normaliseCode, quickUrl } from "./smartCodeMachine.ts";
export { agentConfig, customer, portalConfig } from "./testing.ts";
