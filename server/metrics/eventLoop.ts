// Event-loop lag over a sliding window, read by the /metrics endpoint and by connection admission.
import {
  type EventLoopUtilization,
  type IntervalHistogram,
  monitorEventLoopDelay,
  performance,
} from "node:perf_hooks";

export interface EventLoopLagOptions {
  /** Length of the window the lag figures describe; the histogram restarts at each window. */
  lagWindowMs: number;
  /** Sampling resolution of Node's event-loop delay monitor. */
  lagResolutionMs: number;
}

export const defaultEventLoopLagOptions: EventLoopLagOptions = { lagWindowMs: 1_000, lagResolutionMs: 10 };

/**
 * The last complete window's lag (p50, p99, max), in milliseconds, and the share of it the loop was busy (event-loop
 * utilisation, 0–1: time-weighted, where the lag samples are not); zero until the first window ends.
 */
export class EventLoopLag {
  private readonly histogram: IntervalHistogram;
  private readonly timer: NodeJS.Timeout;
  private utilizationMark: EventLoopUtilization = performance.eventLoopUtilization();
  p50Ms = 0;
  p99Ms = 0;
  maxMs = 0;
  busy = 0;

  constructor(options: EventLoopLagOptions = defaultEventLoopLagOptions) {
    this.histogram = monitorEventLoopDelay({ resolution: options.lagResolutionMs });
    this.histogram.enable();
    this.timer = setInterval(() => this.roll(options.lagResolutionMs), options.lagWindowMs);
    this.timer.unref();
  }

  private roll(resolutionMs: number): void {
    // The monitor reports the delay *including* its own sampling period: subtract it to get the lag.
    const lag = (ns: number) => Math.max(0, ns / 1e6 - resolutionMs);
    this.p50Ms = lag(this.histogram.percentile(50));
    this.p99Ms = lag(this.histogram.percentile(99));
    this.maxMs = lag(this.histogram.max);
    this.histogram.reset();
    const mark = performance.eventLoopUtilization();
    this.busy = performance.eventLoopUtilization(mark, this.utilizationMark).utilization;
    this.utilizationMark = mark;
  }

  stop(): void {
    clearInterval(this.timer);
    this.histogram.disable();
  }
}
