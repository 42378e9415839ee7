// The share of its admission rates the server allows now (AIMD, as TCP does with its window): cut by a factor after
// a window in which the event loop was saturated (its busy share, smoothed over about a second), raised by a step
// per second otherwise. A fixed
// rate cannot be right on every machine and every mix of work; this one settles where the loop keeps a margin, so
// that the sessions already open keep their latency while new requests and sockets are refused cleanly (R-D2).

export interface ThrottleOptions {
  /** Busy share of the event loop (0–1), smoothed, above which the loop counts as saturated. */
  busyMax: number;
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
  smoothingMs: 1_000,
  decrease: 0.8,
  increasePerS: 0.1,
  shareMin: 0.1,
  windowMs: 250,
};

export class Throttle {
  private shareNow = 1;
  private busySmoothed = 0;
  private lastAdjust: number;

  constructor(
    readonly options: ThrottleOptions,
    /** The event loop's busy share over the last complete window. */
    private readonly busy: () => number,
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
    this.busySmoothed +=
      Math.min(1, elapsedMs / this.options.smoothingMs) * (this.busy() - this.busySmoothed);
    this.shareNow =
      this.busySmoothed > this.options.busyMax
        ? Math.max(this.options.shareMin, this.shareNow * this.options.decrease)
        : Math.min(1, this.shareNow + (this.options.increasePerS * elapsedMs) / 1000);
    return this.shareNow;
  }
}
