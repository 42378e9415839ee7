// The main thread's garbage-collection pauses by kind, for /metrics. Under load GC is about a tenth of the event
// loop's busy time, and the part that grows with the number of open sockets (more live objects to trace), so an
// operator sizing a server needs to see it (R-D2, issue 6).
import { constants, type PerformanceEntry, PerformanceObserver } from "node:perf_hooks";

export const gcKinds = ["minor", "major", "incremental", "weakcb"] as const;
export type GcKind = (typeof gcKinds)[number];

const kindOf: Record<number, GcKind> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: "minor",
  [constants.NODE_PERFORMANCE_GC_MAJOR]: "major",
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: "incremental",
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: "weakcb",
};

/** Counts and total seconds of the pauses since start, by kind. */
export class GcPauses {
  readonly count: Record<GcKind, number> = { minor: 0, major: 0, incremental: 0, weakcb: 0 };
  readonly seconds: Record<GcKind, number> = { minor: 0, major: 0, incremental: 0, weakcb: 0 };
  private readonly observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) this.add(entry);
  });

  constructor() {
    this.observer.observe({ entryTypes: ["gc"] });
  }

  private add(entry: PerformanceEntry): void {
    const kind = kindOf[(entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind ?? -1];
    if (!kind) return;
    this.count[kind] += 1;
    this.seconds[kind] += entry.duration / 1000;
  }

  stop(): void {
    this.observer.disconnect();
  }
}
