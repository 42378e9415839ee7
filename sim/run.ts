// One seeded run of a scenario from the first login to the end of the day: builds the world and its people, runs it,
// and returns what the checkers found and what was measured, as plain data that crosses worker threads.
import { Agents } from "./agents.ts";
import type { Checker, Finding } from "./checkers/index.ts";
import { Customers } from "./customers.ts";
import { Faults } from "./faults.ts";
import type { Scenario } from "./scenario.ts";
import type { Series } from "./stats.ts";
import { type FloorFactory, World } from "./world.ts";

export interface Violation extends Finding {
  seed: number;
  reproduce: string;
}

export interface AgentFigures {
  agentId: string;
  max: number;
  peak: number;
  utilisation: number;
  loggedInMin: number;
}

export interface RunResult {
  seed: number;
  scenario: string;
  traceHash: string;
  events: number;
  violations: Violation[];
  requests: {
    posted: number;
    answered: number;
    started: number;
    abandoned: number;
    expired: number;
    lost: number;
  };
  waitsSec: number[];
  agents: AgentFigures[];
  counts: Record<string, number>;
  rejections: Record<string, number>;
  /** Simulated time covered: up to the floor's last event. */
  simulatedMs: number;
  /** When arrivals stopped and when everyone was sent home, for the plot. */
  arrivalsEndMs: number;
  endOfDayMs: number;
  realMs: number;
  series?: Series;
}

export interface RunOptions {
  /** The command that reruns this seed, e.g. "npm run sim -- sim/scenarios/queue.json --seed 7". */
  reproduce?: (seed: number) => string;
  makeFloor?: FloorFactory;
  checkers?: Checker[];
  /** Keep the time series for a plot. */
  keepSeries?: boolean;
}

/** The exact command that reruns one seed. */
export function reproduceCommand(file: string, seed: number, swarm: boolean): string {
  return `npm run sim -- ${file} --seed ${seed}${swarm ? " --swarm" : ""}`;
}

export function runSeed(scenario: Scenario, seed: number, options: RunOptions = {}): RunResult {
  const started = performance.now();
  const world = new World({ scenario, seed, makeFloor: options.makeFloor, checkers: options.checkers });
  const agents = new Agents(world);
  const faults = new Faults(world, agents);
  const customers = new Customers(world);
  const send = faults.send.bind(faults);
  agents.start(send, (id) => faults.startDisconnects(id));
  customers.start(send);
  const endOfDay = scenario.durationMs + scenario.drainMs;
  world.at(endOfDay, () => {
    world.closed = true;
    agents.sendHome();
  });
  const o = world.floor.options;
  const { drained } = world.run(
    endOfDay + o.requestExpiryMs + o.smartCodeTtlMs + o.agentReconnectGraceMs + 3_600_000,
  );
  world.suite.finish(drained);
  const reproduce = options.reproduce?.(seed) ?? `seed ${seed}`;
  const c = world.stats.counts;
  return {
    seed,
    scenario: scenario.name,
    traceHash: world.trace.digest(),
    events: world.trace.events,
    violations: world.suite.findings.map((f) => ({ ...f, seed, reproduce })),
    requests: {
      posted: c.posted ?? 0,
      answered: c.answered ?? 0,
      started: c.started ?? 0,
      abandoned: c.abandoned ?? 0,
      expired: c.expired ?? 0,
      lost: world.model.open.size,
    },
    waitsSec: world.stats.waitsSec,
    agents: world.stats.agentsAt(world.lastEventAt),
    counts: c,
    rejections: world.stats.rejections,
    simulatedMs: world.lastEventAt,
    arrivalsEndMs: scenario.durationMs,
    endOfDayMs: endOfDay,
    realMs: performance.now() - started,
    ...(options.keepSeries ? { series: world.stats.series } : {}),
  };
}
