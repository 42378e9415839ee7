// Clocks for the actor system: the real one for the server, a simulated one (jumps to the next timer) for tests and sim/.
import { TimeQueue } from "./timeQueue.ts";

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

/**
 * A deterministic clock: timers fire in (time, creation order) when the clock is advanced.
 * Cancelled timers are skipped lazily when they reach the front, so cancelling is O(1).
 */
export class SimClock implements FloorClock {
  private time: number;
  private readonly timers = new TimeQueue<() => void>();
  private cancelled = new Set<number>();
  private live = new Set<number>();

  constructor(startMs = 0) {
    this.time = startMs;
  }

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): number {
    const id = this.timers.push(this.time + Math.max(0, ms), fn);
    this.live.add(id);
    return id;
  }

  clearTimeout(id: number): void {
    if (this.live.delete(id)) this.cancelled.add(id);
  }

  /** When the next live timer is due, or undefined when none is pending. */
  nextDueAt(): number | undefined {
    this.dropCancelled();
    return this.timers.peek()?.at;
  }

  /** Moves time forward to `targetMs`, firing every timer due on the way, in order. */
  advanceTo(targetMs: number): void {
    for (;;) {
      this.dropCancelled();
      const top = this.timers.peek();
      if (!top || top.at > targetMs) break;
      this.timers.pop();
      this.live.delete(top.seq);
      this.time = Math.max(this.time, top.at);
      top.item();
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
    for (let top = this.timers.peek(); top && this.cancelled.has(top.seq); top = this.timers.peek()) {
      this.cancelled.delete(top.seq);
      this.timers.pop();
    }
  }
}
