// One tick loop per load worker instead of one setTimeout per client: the scenario logic's `io.after` callbacks go
// into a binary heap ordered by due time, and a single interval fires every due callback. With thousands of clients
// each chatting every ~800 ms this replaces thousands of Node timers (and their per-duration timer lists) by one.
// Granularity is `periodMs`: that delays when a line is sent, never what is measured (the stamp is taken at sending).
// How late each tick fires is the worker's own event-loop lag: the part of a measured latency that is the
// generator's, not the server's (a message that arrived waits for the worker's loop as this tick does).

/** The trend of each tick's lateness (ms), per phase: the generator's event-loop lag. */
export const generatorLagMs = "generator_lag_ms";

interface Due {
  at: number;
  seq: number;
  fn: () => void;
}

export class Ticker {
  private heap: Due[] = [];
  private seq = 0;
  private timer: NodeJS.Timeout | null = null;
  private lastTickAt = 0;
  /** Callbacks stop firing once stopped (the run is over). */
  stopped = false;

  constructor(
    private readonly now: () => number,
    private readonly periodMs = 4,
    private readonly onLate: (ms: number) => void = () => {},
  ) {}

  start(): void {
    if (!this.timer) this.timer = setInterval(() => this.tick(), this.periodMs);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.heap = [];
  }

  get pending(): number {
    return this.heap.length;
  }

  after(ms: number, fn: () => void): void {
    if (this.stopped) return;
    const h = this.heap;
    const item = { at: this.now() + Math.max(0, ms), seq: this.seq++, fn };
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!earlier(item, h[p]!)) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = item;
  }

  /** Fires every callback due by now, in (due time, creation) order; callbacks may schedule more. */
  tick(): void {
    const t = this.now();
    if (this.lastTickAt > 0) this.onLate(Math.max(0, t - this.lastTickAt - this.periodMs));
    this.lastTickAt = t;
    const h = this.heap;
    while (h.length > 0 && h[0]!.at <= t && !this.stopped) {
      const top = h[0]!;
      const last = h.pop()!;
      if (h.length > 0) {
        let i = 0;
        for (;;) {
          const l = 2 * i + 1;
          if (l >= h.length) break;
          const r = l + 1;
          const c = r < h.length && earlier(h[r]!, h[l]!) ? r : l;
          if (!earlier(h[c]!, last)) break;
          h[i] = h[c]!;
          i = c;
        }
        h[i] = last;
      }
      top.fn();
    }
  }
}

const earlier = (a: Due, b: Due) => a.at < b.at || (a.at === b.at && a.seq < b.seq);
