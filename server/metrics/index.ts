// Server metrics: the Prometheus endpoint's model and the event-loop lag probe that admission also reads.
export { defaultEventLoopLagOptions, EventLoopLag, type EventLoopLagOptions } from "./eventLoop.ts";
export { GcPauses } from "./gcPauses.ts";
export { defaultMetricsOptions, isLoopback, type MetricsOptions, ServerMetrics } from "./metrics.ts";
export { Histogram, latencyBucketsS } from "./prometheus.ts";
