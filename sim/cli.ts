// The simulator's command line: `npm run sim -- <scenario.json> [--seed N] [--seeds K] [--swarm] [--json] [--plot out.svg] [--workers N]`.
import { randomInt } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { plotSvg } from "./plot.ts";
import { runMany } from "./pool.ts";
import { Progress } from "./progress.ts";
import { humanReport, summarise } from "./report.ts";
import type { RunResult } from "./run.ts";
import { loadScenario, ScenarioError } from "./scenario.ts";

interface Args {
  file: string;
  seed: number;
  seeds: number;
  swarm: boolean;
  json: boolean;
  plot: string | null;
  workers: number | undefined;
}

const usage =
  "usage: npm run sim -- <scenario.json> [--seed N] [--seeds K] [--swarm] [--json] [--plot out.svg] [--workers N]";

class UsageError extends Error {}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    file: "",
    seed: randomInt(1, 2 ** 31),
    seeds: 1,
    swarm: false,
    json: false,
    plot: null,
    workers: undefined,
  };
  const whole = (flag: string, v: string | undefined, min: number) => {
    const n = Number(v);
    if (v === undefined || !Number.isInteger(n) || n < min)
      throw new UsageError(`${flag} needs a whole number ≥ ${min}, got ${v ?? "nothing"}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--seed") args.seed = whole(a, argv[++i], 0);
    else if (a === "--seeds") args.seeds = whole(a, argv[++i], 1);
    else if (a === "--workers") args.workers = whole(a, argv[++i], 1);
    else if (a === "--swarm") args.swarm = true;
    else if (a === "--json") args.json = true;
    else if (a === "--plot") args.plot = argv[++i] ?? "";
    else if (a.startsWith("--")) throw new UsageError(`unknown option ${a}`);
    else if (!args.file) args.file = a;
    else throw new UsageError(`one scenario file at a time (got ${args.file} and ${a})`);
  }
  if (!args.file) throw new UsageError("give a scenario file, e.g. sim/scenarios/standard.json");
  if (args.plot === "") throw new UsageError("--plot needs a file name");
  return args;
}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const scenario = loadScenario(args.file);
  const seeds = Array.from({ length: args.seeds }, (_, i) => args.seed + i);
  // TigerBeetle's habit: the seed comes first, so a crash still leaves the way back to it. On stderr under --json.
  const head = `seed=${args.seed}${args.seeds > 1 ? ` seeds=${args.seeds} (${args.seed}…${args.seed + args.seeds - 1})` : ""}`;
  (args.json ? process.stderr : process.stdout).write(`${head}\n`);
  const plotPath =
    args.plot ?? (args.json || args.seeds > 1 ? null : `out/sim/${scenario.name}-${args.seed}.svg`);
  const progress = args.seeds >= 10 ? new Progress(args.seeds) : null;
  const started = performance.now();
  const results = await runMany(
    { scenario, file: args.file, swarm: args.swarm, seeds, ...(plotPath ? { plotSeed: args.seed } : {}) },
    (r) => progress?.tick(r.violations.length > 0),
    args.workers,
  );
  const summary = summarise(results, {
    file: args.file,
    swarm: args.swarm,
    wallMs: performance.now() - started,
  });
  if (plotPath) writePlot(plotPath, results.find((r) => r.seed === args.seed)!);
  if (args.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  else process.stdout.write(`${humanReport(summary)}${plotPath ? `\nplot: ${plotPath}` : ""}\n`);
  return summary.passed ? 0 : 1;
}

function writePlot(path: string, r: RunResult): void {
  if (!r.series) return;
  mkdirSync(dirname(path), { recursive: true });
  const marks: Array<[number, string]> = [
    [r.arrivalsEndMs, "arrivals stop"],
    [r.endOfDayMs, "everyone goes home"],
  ];
  writeFileSync(
    path,
    plotSvg(r.series, `${r.scenario} — seed ${r.seed}`, Math.max(r.simulatedMs, r.endOfDayMs), marks),
  );
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    if (err instanceof UsageError) process.stderr.write(`${err.message}\n${usage}\n`);
    else if (err instanceof ScenarioError) process.stderr.write(`${err.message}\n`);
    else process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 2;
  },
);
