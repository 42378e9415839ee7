// The share of its admission rates the server allows now (AIMD, as TCP does with its window): cut by a factor after
// a window in which the event loop was saturated (busy nearly all the time *and* late to serve what waits, both
// smoothed over about a second), raised by a step per second otherwise. A fixed rate cannot be right on every
// machine and every mix of work; this one settles where the loop keeps a margin, so that the sessions already open
// keep their latency while new requests and sockets are refused cleanly (R-D2).

/** What the throttle reads of the event loop, over its last complete window. */
export interface LoopSignals {
  /** Lag p99, in milliseconds. */
  lagMs: () => number;
  /** Busy share, 0–1. */
  busy: () => number;
}

export interface ThrottleOptions {
  /** Busy share of the event loop (0–1), smoothed, above which the loop counts as saturated. */
  busyMax: number;
  /**
   * Lag (ms, smoothed) at or under which a busy loop is still keeping up. The busy share counts time the thread was
   * preempted by other threads and processes as busy: on a shared 2-core machine it passed 0.9 at the target rate
   * while messages waited under 20 ms, and the throttle shed a third of the requests for nothing.
   */
  lagMinMs: number;
  /** Time constant of the smoothing: one window that is busy because of a collection alone is not saturation. */
  smoothingMs: number;
  /** Factor applied to the share after a saturated window. */
  decrease: number;
  /** Share regained per second while the loop is not saturated. */
  increasePerS: number;
  /** Lowest share: admission never closes completely, so that the server keeps measuring what it can take. */
  shareMin: number;
  /** Length of one observation window; the share changes at most once per window. */
  windowMs: number;
}

export const defaultThrottleOptions: ThrottleOptions = {
  busyMax: 0.9,
  lagMinMs: 20,
  smoothingMs: 1_000,
  decrease: 0.8,
  increasePerS: 0.1,
  shareMin: 0.1,
  windowMs: 250,
};

export class Throttle {
  private shareNow = 1;
  private busySmoothed = 0;
  private lagSmoothed = 0;
  private lastAdjust: number;

  constructor(
    readonly options: ThrottleOptions,
    private readonly loop: LoopSignals,
    private readonly now: () => number,
  ) {
    this.lastAdjust = this.now();
  }

  /** The share (shareMin–1) of the configured rates to allow now; adjusted lazily, once per elapsed window. */
  share(): number {
    const now = this.now();
    const elapsedMs = now - this.lastAdjust;
    if (elapsedMs < this.options.windowMs) return this.shareNow;
    this.lastAdjust = now;
    const weight = Math.min(1, elapsedMs / this.options.smoothingMs);
    this.busySmoothed += weight * (this.loop.busy() - this.busySmoothed);
    this.lagSmoothed += weight * (this.loop.lagMs() - this.lagSmoothed);
    this.shareNow =
      this.busySmoothed > this.options.busyMax && this.lagSmoothed > this.options.lagMinMs
        ? Math.max(this.options.shareMin, this.shareNow * this.options.decrease)
        : Math.min(1, this.shareNow + (this.options.increasePerS * elapsedMs) / 1000);
    return this.shareNow;
  }
}
