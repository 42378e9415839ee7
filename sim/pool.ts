// Runs many seeds, spread over worker threads (one per core) when there are enough to pay for starting them.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { type RunResult, reproduceCommand, runSeed } from "./run.ts";
import type { Scenario } from "./scenario.ts";
import { swarmScenario } from "./swarm.ts";

export interface Job {
  scenario: Scenario;
  file: string;
  swarm: boolean;
  seeds: number[];
  /** The seed whose time series is kept for the plot. */
  plotSeed?: number;
}

export interface WorkerJob {
  scenario: Scenario;
  file: string;
  swarm: boolean;
}

/** Runs one seed of a job in this thread; a crash (an actor threw) is a failed seed, not a dead pool. */
export function runJobSeed(job: WorkerJob, seed: number, keepSeries: boolean): RunResult {
  const reproduce = reproduceCommand(job.file, seed, job.swarm);
  const scenario = job.swarm ? swarmScenario(job.scenario, seed) : job.scenario;
  try {
    return runSeed(scenario, seed, { reproduce: () => reproduce, keepSeries });
  } catch (err) {
    return crashed(scenario.name, seed, reproduce, err);
  }
}

function crashed(scenario: string, seed: number, reproduce: string, err: unknown): RunResult {
  const message =
    err instanceof Error ? (err.stack ?? err.message).split("\n").slice(0, 4).join(" | ") : String(err);
  return {
    seed,
    scenario,
    traceHash: "crashed",
    events: 0,
    violations: [{ checker: "crash", rule: "R-D1", message, seq: 0, at: 0, seed, reproduce }],
    requests: { posted: 0, answered: 0, started: 0, abandoned: 0, expired: 0, lost: 0 },
    waitsSec: [],
    agents: [],
    counts: {},
    rejections: {},
    simulatedMs: 0,
    arrivalsEndMs: 0,
    endOfDayMs: 0,
    realMs: 0,
  };
}

export async function runMany(
  job: Job,
  onResult: (r: RunResult) => void,
  workers = defaultWorkers(job.seeds.length),
): Promise<RunResult[]> {
  if (workers <= 1) {
    const results: RunResult[] = [];
    for (const seed of job.seeds) {
      const r = runJobSeed(job, seed, seed === job.plotSeed);
      results.push(r);
      onResult(r);
      await new Promise((resolve) => setImmediate(resolve));
    }
    return results;
  }
  return runOnWorkers(job, onResult, workers);
}

export function defaultWorkers(seeds: number): number {
  return seeds >= 4 ? Math.min(seeds, availableParallelism()) : 1;
}

function runOnWorkers(job: Job, onResult: (r: RunResult) => void, count: number): Promise<RunResult[]> {
  const queue = [...job.seeds];
  const results: RunResult[] = [];
  const data: WorkerJob = { scenario: job.scenario, file: job.file, swarm: job.swarm };
  return new Promise((resolve, reject) => {
    let live = count;
    for (let i = 0; i < count; i++) {
      const worker = spawn(data);
      const next = () => {
        const seed = queue.shift();
        if (seed === undefined) {
          void worker.terminate();
          if (--live === 0) resolve(results);
          return;
        }
        worker.postMessage({ seed, keepSeries: seed === job.plotSeed });
      };
      worker.on("message", (r: RunResult) => {
        results.push(r);
        onResult(r);
        next();
      });
      worker.on("error", reject);
      next();
    }
  });
}

/** Under tsx the worker is TypeScript too: register tsx's loader in the thread before importing it. */
function spawn(workerData: WorkerJob): Worker {
  const url = new URL("./worker.ts", import.meta.url);
  const boot = `import { register } from ${JSON.stringify(import.meta.resolve("tsx/esm/api"))};
register();
await import(${JSON.stringify(url.href)});`;
  return new Worker(boot, { eval: true, workerData });
}
