// Clocks for the actor system: the real one for the server, a simulated one (jumps to the next timer) for tests and sim/.

/** What the floor needs of time: XState's timer interface plus the current time in ms. */
export interface FloorClock {
  now(): number;
  // biome-ignore lint/suspicious/noExplicitAny: XState's Clock interface
  setTimeout(fn: (...args: any[]) => void, ms: number): any;
  // biome-ignore lint/suspicious/noExplicitAny: XState's Clock interface
  clearTimeout(id: any): void;
}

export const systemClock: FloorClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id),
};

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
}

/**
 * A deterministic clock: timers fire in (time, creation order) when the clock is advanced.
 * Timers live in a binary heap; cancelled ones are skipped lazily, so cancelling is O(1).
 */
export class SimClock implements FloorClock {
  private time: number;
  private seq = 0;
  private heap: Timer[] = [];
  private cancelled = new Set<number>();
  private live = new Set<number>();

  constructor(startMs = 0) {
    this.time = startMs;
  }

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): number {
    const timer = { at: this.time + Math.max(0, ms), seq: this.seq++, fn };
    this.push(timer);
    this.live.add(timer.seq);
    return timer.seq;
  }

  clearTimeout(id: number): void {
    if (this.live.delete(id)) this.cancelled.add(id);
  }

  /** When the next live timer is due, or undefined when none is pending. */
  nextDueAt(): number | undefined {
    this.dropCancelled();
    return this.heap[0]?.at;
  }

  /** Moves time forward to `targetMs`, firing every timer due on the way, in order. */
  advanceTo(targetMs: number): void {
    for (;;) {
      this.dropCancelled();
      const top = this.heap[0];
      if (!top || top.at > targetMs) break;
      this.pop();
      this.live.delete(top.seq);
      this.time = Math.max(this.time, top.at);
      top.fn();
    }
    this.time = Math.max(this.time, targetMs);
  }

  increment(ms: number): void {
    this.advanceTo(this.time + ms);
  }

  pendingTimers(): number {
    return this.live.size;
  }

  private dropCancelled(): void {
    while (this.heap.length > 0 && this.cancelled.has(this.heap[0]!.seq)) {
      this.cancelled.delete(this.heap[0]!.seq);
      this.pop();
    }
  }

  private push(timer: Timer): void {
    const h = this.heap;
    h.push(timer);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop()!;
    if (h.length === 0) return;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && before(h[l]!, h[m]!)) m = l;
      if (r < h.length && before(h[r]!, h[m]!)) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}

function before(a: Timer, b: Timer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
