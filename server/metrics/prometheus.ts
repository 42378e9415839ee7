// The Prometheus text exposition format (version 0.0.4): histograms with fixed buckets, and rendering helpers.

/** Latency buckets in seconds: 0.5 ms to 2.5 s, dense where the targets are (25 ms, 100 ms, 250 ms). */
export const latencyBucketsS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
] as const;

export class Histogram {
  private readonly counts: number[];
  private sum = 0;
  private count = 0;

  constructor(readonly buckets: readonly number[] = latencyBucketsS) {
    this.counts = buckets.map(() => 0);
  }

  observe(value: number): void {
    this.sum += value;
    this.count += 1;
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]!) this.counts[i]! += 1;
  }

  /** The histogram's lines (cumulative `_bucket`, `_sum`, `_count`) under `name` with optional labels. */
  lines(name: string, labels = ""): string[] {
    const sep = labels ? `${labels},` : "";
    return [
      ...this.buckets.map((b, i) => `${name}_bucket{${sep}le="${b}"} ${this.counts[i]}`),
      `${name}_bucket{${sep}le="+Inf"} ${this.count}`,
      `${name}_sum${labels ? `{${labels}}` : ""} ${this.sum}`,
      `${name}_count${labels ? `{${labels}}` : ""} ${this.count}`,
    ];
  }
}

/** One metric family: its HELP and TYPE lines followed by its samples. */
export function family(
  name: string,
  type: "gauge" | "counter" | "histogram",
  help: string,
  samples: string[],
) {
  return [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...samples];
}

/** A label value escaped as the format requires (backslash, quote, newline). */
export const labelValue = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
