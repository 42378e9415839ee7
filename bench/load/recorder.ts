// Checks, latency trends and counters of a load run, kept per phase (each offered-load step is one phase).

export interface CheckTally {
  passed: number;
  failed: number;
  /** Why the first few failures failed, as the logic told (a failed check in a long run must say what it saw). */
  failures?: string[];
}

const failuresKept = 5;

export interface Summary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function summarise(values: number[]): Summary {
  if (values.length === 0) return { count: 0, p50: 0, p95: 0, p99: 0, max: 0 };
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    count: sorted.length,
    p50: round(at(0.5)),
    p95: round(at(0.95)),
    p99: round(at(0.99)),
    max: round(sorted[sorted.length - 1]!),
  };
}

/** A recorder's contents as posted between threads. */
export interface RecorderData {
  checks: Record<string, CheckTally>;
  trends: Record<string, Record<string, Float64Array>>;
  counters: Record<string, Record<string, number>>;
}

export class Recorder {
  readonly checks = new Map<string, CheckTally>();
  /** phase → trend name → samples (ms). */
  readonly trends = new Map<string, Map<string, number[]>>();
  /** phase → counter name → total. */
  readonly counters = new Map<string, Map<string, number>>();
  phase = "setup";

  check(name: string, ok: boolean, why?: string): void {
    const t = this.checks.get(name) ?? { passed: 0, failed: 0 };
    if (ok) t.passed += 1;
    else {
      t.failed += 1;
      if (why !== undefined) keepFailures(t, [why]);
    }
    this.checks.set(name, t);
  }

  trend(name: string, ms: number): void {
    const phase = this.trends.get(this.phase) ?? new Map<string, number[]>();
    this.trends.set(this.phase, phase);
    const list = phase.get(name) ?? [];
    phase.set(name, list);
    list.push(ms);
  }

  counter(name: string, n = 1): void {
    const phase = this.counters.get(this.phase) ?? new Map<string, number>();
    this.counters.set(this.phase, phase);
    phase.set(name, (phase.get(name) ?? 0) + n);
  }

  samples(phase: string, name: string): number[] {
    return this.trends.get(phase)?.get(name) ?? [];
  }

  count(phase: string, name: string): number {
    return this.counters.get(phase)?.get(name) ?? 0;
  }

  /** Everything recorded, for the coordinator (latency samples as transferable Float64Arrays). */
  export(): RecorderData {
    const trends: RecorderData["trends"] = {};
    for (const [phase, byName] of this.trends) {
      trends[phase] = {};
      for (const [name, list] of byName) trends[phase]![name] = Float64Array.from(list);
    }
    const counters: RecorderData["counters"] = {};
    for (const [phase, byName] of this.counters) counters[phase] = Object.fromEntries(byName);
    return { checks: Object.fromEntries(this.checks), trends, counters };
  }

  /** One phase's samples and counters so far (the coordinator judges a step while the run goes on). */
  exportPhase(phase: string): RecorderData {
    const trends: RecorderData["trends"] = { [phase]: {} };
    for (const [name, list] of this.trends.get(phase) ?? []) trends[phase]![name] = Float64Array.from(list);
    const counters = { [phase]: Object.fromEntries(this.counters.get(phase) ?? []) };
    return { checks: {}, trends, counters };
  }

  /** Adds what another recorder (a worker's) recorded. */
  merge(data: RecorderData): void {
    for (const [name, t] of Object.entries(data.checks)) {
      const mine = this.checks.get(name) ?? { passed: 0, failed: 0 };
      mine.passed += t.passed;
      mine.failed += t.failed;
      if (t.failures) keepFailures(mine, t.failures);
      this.checks.set(name, mine);
    }
    for (const [phase, byName] of Object.entries(data.trends)) {
      const mine = this.trends.get(phase) ?? new Map<string, number[]>();
      this.trends.set(phase, mine);
      for (const [name, values] of Object.entries(byName)) {
        const list = mine.get(name) ?? [];
        mine.set(name, list);
        for (const v of values) list.push(v);
      }
    }
    for (const [phase, byName] of Object.entries(data.counters)) {
      const mine = this.counters.get(phase) ?? new Map<string, number>();
      this.counters.set(phase, mine);
      for (const [name, n] of Object.entries(byName)) mine.set(name, (mine.get(name) ?? 0) + n);
    }
  }

  /** Every check's pass and fail counts, and the totals. */
  tally(): { passed: number; failed: number; byName: Record<string, CheckTally> } {
    let passed = 0;
    let failed = 0;
    for (const t of this.checks.values()) {
      passed += t.passed;
      failed += t.failed;
    }
    return { passed, failed, byName: Object.fromEntries(this.checks) };
  }
}

function keepFailures(t: CheckTally, whys: string[]): void {
  t.failures = [...(t.failures ?? []), ...whys].slice(0, failuresKept);
}
