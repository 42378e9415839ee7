// The simulator's public face: load or draw a scenario, run seeds (here or on worker threads), check, report, plot.
export {
  allCheckers,
  type Checker,
  CheckSuite,
  checkerFactories,
  type Finding,
  type FloorProbe,
} from "./checkers/index.ts";
export { type Dist, sample } from "./dist.ts";
export { Model } from "./model.ts";
export { plotSvg } from "./plot.ts";
export { type Job, runMany } from "./pool.ts";
export { humanReport, type Summary, summarise } from "./report.ts";
export { type RunOptions, type RunResult, reproduceCommand, runSeed, type Violation } from "./run.ts";
export { decodeScenario, loadScenario, type Scenario, ScenarioError } from "./scenario.ts";
export { swarmScenario } from "./swarm.ts";
export { type FloorFactory, World } from "./world.ts";
