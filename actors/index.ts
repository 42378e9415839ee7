// The support floor's public face: the Floor service, its commands and events, configuration and clocks.
export type { AgentView } from "./agentMachine.ts";
export { SimClock, systemClock, type FloorClock } from "./clock.ts";
export type { FloorCommand, FloorCommandType } from "./commands.ts";
export * from "./config.ts";
export type * from "./events.ts";
export { Floor, type DispatchResult, type FloorListener, type FloorSettings } from "./floor.ts";
export * from "./ids.ts";
export { defaultFloorOptions, type FloorOptions, maxSessionsPerAgentLimit } from "./options.ts";
export { SeededRandom } from "./random.ts";
export { displayCode, normaliseCode, quickUrl } from "./smartCodeMachine.ts";
export { requestClock } from "./requestClock.ts";
