// What a run (or many seeds) tells its reader: one JSON document for machines, a short readable summary for people.
import { createHash } from "node:crypto";
import type { AgentFigures, RunResult, Violation } from "./run.ts";
import { quantile } from "./stats.ts";

export interface Summary {
  scenario: string;
  file: string;
  swarm: boolean;
  seeds: number[];
  passed: boolean;
  violations: Violation[];
  requests: RunResult["requests"];
  waitSeconds: { p50: number; p95: number; max: number };
  agents: { maxConcurrentPeak: number; meanUtilisation: number; perAgent?: AgentFigures[] };
  /** One seed: its trace hash; several: sha256 over the per-seed hashes in seed order. */
  traceHash: string;
  runs: Array<{
    seed: number;
    traceHash: string;
    events: number;
    violations: number;
    simulatedMin: number;
    realMs: number;
  }>;
  speed: { simulatedHours: number; cpuSeconds: number; wallSeconds: number; speedup: number };
  counts: Record<string, number>;
  rejections: Record<string, number>;
}

export function summarise(
  results: RunResult[],
  meta: { file: string; swarm: boolean; wallMs: number },
): Summary {
  const sorted = [...results].sort((a, b) => a.seed - b.seed);
  const waits = sorted.flatMap((r) => r.waitsSec);
  const requests = { posted: 0, answered: 0, started: 0, abandoned: 0, expired: 0, lost: 0 };
  for (const r of sorted)
    for (const k of Object.keys(requests) as Array<keyof typeof requests>) requests[k] += r.requests[k];
  const agents = sorted.flatMap((r) => r.agents);
  const active = agents.filter((a) => a.loggedInMin > 0);
  const simulatedMs = sorted.reduce((t, r) => t + r.simulatedMs, 0);
  const cpuMs = sorted.reduce((t, r) => t + r.realMs, 0);
  const single = sorted.length === 1 ? sorted[0] : undefined;
  return {
    scenario: single?.scenario ?? sorted[0]?.scenario.replace(/#\d+$/, "") ?? "",
    file: meta.file,
    swarm: meta.swarm,
    seeds: sorted.map((r) => r.seed),
    passed: sorted.every((r) => r.violations.length === 0),
    violations: sorted.flatMap((r) => r.violations),
    requests,
    waitSeconds: {
      p50: round(quantile(waits, 0.5)),
      p95: round(quantile(waits, 0.95)),
      max: round(waits.reduce((m, x) => Math.max(m, x), 0)),
    },
    agents: {
      maxConcurrentPeak: Math.max(0, ...agents.map((a) => a.peak)),
      meanUtilisation: round(active.reduce((t, a) => t + a.utilisation, 0) / Math.max(1, active.length), 3),
      ...(single ? { perAgent: single.agents } : {}),
    },
    traceHash: single ? single.traceHash : combine(sorted.map((r) => r.traceHash)),
    runs: sorted.map((r) => ({
      seed: r.seed,
      traceHash: r.traceHash,
      events: r.events,
      violations: r.violations.length,
      simulatedMin: round(r.simulatedMs / 60_000),
      realMs: round(r.realMs),
    })),
    speed: {
      simulatedHours: round(simulatedMs / 3_600_000),
      cpuSeconds: round(cpuMs / 1000, 3),
      wallSeconds: round(meta.wallMs / 1000, 3),
      speedup: Math.round(simulatedMs / Math.max(1, meta.wallMs)),
    },
    counts: sumRecords(sorted.map((r) => r.counts)),
    rejections: sumRecords(sorted.map((r) => r.rejections)),
  };
}

export function humanReport(s: Summary): string {
  const lines: string[] = [];
  const r = s.requests;
  const n = s.seeds.length;
  lines.push(
    `scenario ${s.scenario}${s.swarm ? " (swarm)" : ""} from ${s.file}: ${n} seed${n === 1 ? "" : "s"}, ` +
      `${s.speed.simulatedHours} h simulated in ${s.speed.wallSeconds} s (${s.speed.speedup.toLocaleString("en")}× real time)`,
  );
  lines.push(
    `requests  posted ${r.posted}  answered ${r.answered}  started ${r.started}  abandoned ${r.abandoned}  expired ${r.expired}  lost ${r.lost}`,
  );
  lines.push(
    `waits     p50 ${s.waitSeconds.p50} s  p95 ${s.waitSeconds.p95} s  max ${s.waitSeconds.max} s (posted → session started)`,
  );
  const c = s.counts;
  lines.push(
    `sessions  closed ${c.sessionsClosed ?? 0} (resolved ${c["resolution.resolved"] ?? 0}, not resolved ${c["resolution.notResolved"] ?? 0}, unknown ${c["resolution.unknown"] ?? 0})  ` +
      `transfers ${c["ownerChanged.transfer"] ?? 0}  invitees joined ${c["participant.joined"] ?? 0}  handed on by leave ${c["ownerChanged.leave"] ?? 0}`,
  );
  if (c["code.created"]) {
    lines.push(
      `codes     created ${c["code.created"]}  converted ${c["code.converted"] ?? 0}  expired ${c["code.expired"] ?? 0}  ` +
        `calls missed ${c["calls.missed"] ?? 0}  redeems refused ${sumPrefix(c, "redeem.")}`,
    );
  }
  const faults = Object.entries(c).filter(([k]) => k.startsWith("fault."));
  if (faults.length) lines.push(`faults    ${faults.map(([k, v]) => `${k.slice(6)} ${v}`).join("  ")}`);
  lines.push(
    `agents    peak concurrency ${s.agents.maxConcurrentPeak}  mean utilisation ${pct(s.agents.meanUtilisation)}`,
  );
  if (s.agents.perAgent) lines.push(...agentTable(s.agents.perAgent));
  if (n > 1 && n <= 50)
    for (const run of s.runs)
      lines.push(`  seed=${run.seed} traceHash=${run.traceHash} ${run.violations ? "FAIL" : "ok"}`);
  lines.push(`traceHash=${s.traceHash}`);
  lines.push(...verdict(s));
  return lines.join("\n");
}

function agentTable(agents: AgentFigures[]): string[] {
  const shown = agents.slice(0, 24);
  const rows = shown.map(
    (a) =>
      `  ${a.agentId.padEnd(10)} ${String(a.max).padStart(3)} ${String(a.peak).padStart(5)} ${pct(a.utilisation).padStart(6)} ${String(Math.round(a.loggedInMin)).padStart(8)}`,
  );
  const more =
    agents.length > shown.length ? [`  … ${agents.length - shown.length} more agents (see --json)`] : [];
  return [`  ${"agent".padEnd(10)} max  peak   util  min on`, ...rows, ...more];
}

function verdict(s: Summary): string[] {
  if (s.passed) return [`PASS: ${s.seeds.length} seed${s.seeds.length === 1 ? "" : "s"}, 0 violations`];
  const out = [`FAIL: ${s.violations.length} violation${s.violations.length === 1 ? "" : "s"}`];
  for (const v of s.violations.slice(0, 20))
    out.push(`  [${v.rule} ${v.checker}] seed ${v.seed} event #${v.seq} at ${clock(v.at)}: ${v.message}`);
  if (s.violations.length > 20) out.push(`  … ${s.violations.length - 20} more (see --json)`);
  const first = s.violations[0]!;
  out.push(`reproduce: ${first.reproduce}`);
  return out;
}

/** Simulated time as h:mm:ss.mmm. */
export function clock(ms: number): string {
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const sec = ((ms % 60_000) / 1000).toFixed(3).padStart(6, "0");
  return `${h}:${String(m).padStart(2, "0")}:${sec}`;
}

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
const pct = (x: number) => `${Math.round(x * 100)}%`;
const sumPrefix = (c: Record<string, number>, prefix: string) =>
  Object.entries(c).reduce((t, [k, v]) => (k.startsWith(prefix) ? t + v : t), 0);

function sumRecords(records: Array<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const rec of records) for (const [k, v] of Object.entries(rec)) out[k] = (out[k] ?? 0) + v;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function combine(hashes: string[]): string {
  const h = createHash("sha256");
  for (const x of hashes) h.update(x);
  return h.digest("hex");
}
