// GET /metrics: connections by role, requests by state, sessions per agent, queue lengths, routing and delivery
// latency, event-loop lag and memory, in the Prometheus text format; read from the floor's event stream and the adapter.
import { timingSafeEqual } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { RecordedEvent } from "../../actors/index.ts";
import type { FloorAdapter } from "../floorAdapter.ts";
import type { EventLoopLag } from "./eventLoop.ts";
import { type GcPauses, gcKinds } from "./gcPauses.ts";
import { family, Histogram, labelValue } from "./prometheus.ts";

export interface MetricsOptions {
  /** A bearer token that lets any address read /metrics (`Authorization: Bearer …`); null = no token access. */
  metricsToken: string | null;
  /** Whether loopback addresses (127.0.0.0/8, ::1) may read /metrics without the token. */
  metricsLoopbackAllowed: boolean;
}

export const defaultMetricsOptions: MetricsOptions = { metricsToken: null, metricsLoopbackAllowed: true };

/** What the metrics read from elsewhere in the server, so that this file depends on no class but the adapter. */
export interface MetricsSources {
  connectionsByRole: () => Record<string, number>;
  lag: EventLoopLag;
  gc: GcPauses;
  /** Refused new connections by reason (admission). */
  refusals: () => Record<string, number>;
  /** New requests shed by admission, by reason. */
  shed: () => Record<string, number>;
  /** The share of its configured rates admission allows now (1 = all; lowered while the loop is saturated). */
  admissionShare: () => number;
}

type RequestState = "waiting" | "inQueue" | "offered" | "answered" | "queuedForAgent";
const requestStates: RequestState[] = ["waiting", "inQueue", "offered", "answered", "queuedForAgent"];
const outcomes = ["posted", "started", "abandoned", "expired"] as const;
const sessionsMax = 8;

export const isLoopback = (address: string) =>
  address === "::1" || address.startsWith("127.") || address.startsWith("::ffff:127.");

export class ServerMetrics {
  private readonly requestState = new Map<string, RequestState>();
  private readonly outcomes: Record<(typeof outcomes)[number], number> = {
    posted: 0,
    started: 0,
    abandoned: 0,
    expired: 0,
  };
  private readonly agentSessions = new Map<string, number>();
  private readonly queueLength = new Map<string, number>();
  private openSessions = 0;
  private events = 0;
  private readonly routing = new Histogram();
  private readonly chatDelivery = new Histogram();
  private readonly fanOut = new Histogram();
  private readonly commands = new Map<string, Histogram>();

  constructor(
    private readonly options: MetricsOptions,
    private readonly sources: MetricsSources,
  ) {}

  /** May this request read /metrics? Loopback by default, or anyone with the configured token. */
  allowed(address: string, authorization: string | undefined): boolean {
    if (this.options.metricsLoopbackAllowed && isLoopback(address)) return true;
    const token = this.options.metricsToken;
    if (!token || !authorization?.startsWith("Bearer ")) return false;
    const given = Buffer.from(authorization.slice(7));
    const wanted = Buffer.from(token);
    return given.length === wanted.length && timingSafeEqual(given, wanted);
  }

  /**
   * Times every top-level command from its dispatch to the end of its fan-out (commit included): `request.post` is
   * the routing latency (a customer's post until the alerts are written to the agents' sockets), `session.chat`
   * the chat delivery latency (the adapter reports each command once it settled); wraps the adapter's delivery.
   */
  instrument(adapter: FloorAdapter): void {
    adapter.settled = (command, startedAt) =>
      this.timeCommand(command.type, (performance.now() - startedAt) / 1000);
    const deliver = adapter.deliver;
    adapter.deliver = (events) => {
      const t0 = performance.now();
      deliver(events);
      this.fanOut.observe((performance.now() - t0) / 1000);
    };
  }

  private timeCommand(type: string, seconds: number): void {
    if (type === "request.post") this.routing.observe(seconds);
    else if (type === "session.chat") this.chatDelivery.observe(seconds);
    const h = this.commands.get(type) ?? new Histogram();
    this.commands.set(type, h);
    h.observe(seconds);
  }

  /** Every domain event of the floor, in order (subscribed by the server). */
  observe(e: RecordedEvent): void {
    this.events += 1;
    switch (e.type) {
      case "agent.registered":
        if (!this.agentSessions.has(e.agentId)) this.agentSessions.set(e.agentId, 0);
        return;
      case "agent.slotGranted":
      case "agent.slotReleased":
      case "agent.joinedSession":
        this.agentSessions.set(e.agentId, e.active);
        return;
      case "request.posted":
        this.outcomes.posted += 1;
        this.requestState.set(e.requestId, "waiting");
        return;
      case "queue.enqueued":
      case "offer.ended":
        if (this.requestState.has(e.requestId)) this.requestState.set(e.requestId, "inQueue");
        if (e.type === "queue.enqueued") this.queueLength.set(e.portalId, e.length);
        return;
      case "queue.dequeued":
        this.queueLength.set(e.portalId, e.length);
        return;
      case "offer.made":
        this.requestState.set(e.requestId, "offered");
        return;
      case "request.answered":
        this.requestState.set(e.requestId, "answered");
        return;
      case "request.queuedForAgent":
        this.requestState.set(e.requestId, "queuedForAgent");
        return;
      case "request.started":
      case "request.abandoned":
      case "request.expired":
        this.requestState.delete(e.requestId);
        this.outcomes[e.type === "request.started" ? "started" : (e.type.slice(8) as "abandoned")] += 1;
        return;
      case "session.started":
        this.openSessions += 1;
        return;
      case "session.closed":
        this.openSessions -= 1;
        return;
    }
  }

  render(): string {
    const byState = Object.fromEntries(requestStates.map((s) => [s, 0])) as Record<RequestState, number>;
    for (const s of this.requestState.values()) byState[s] += 1;
    const bySessions = Array.from({ length: sessionsMax + 1 }, () => 0);
    for (const n of this.agentSessions.values()) bySessions[Math.min(n, sessionsMax)]! += 1;
    const roles = this.sources.connectionsByRole();
    const refusals = this.sources.refusals();
    const lag = this.sources.lag;
    const mem = process.memoryUsage();
    const lines = [
      ...family(
        "tandem_connections",
        "gauge",
        "Open WebSocket connections by role (pending = before hello).",
        Object.entries(roles).map(([role, n]) => `tandem_connections{role="${labelValue(role)}"} ${n}`),
      ),
      ...family(
        "tandem_connections_refused_total",
        "counter",
        "New connections refused by admission, by reason.",
        Object.entries(refusals).map(([r, n]) => `tandem_connections_refused_total{reason="${r}"} ${n}`),
      ),
      ...family(
        "tandem_requests_shed_total",
        "counter",
        "New requests refused by admission (Overloaded, close 1013), by reason.",
        Object.entries(this.sources.shed()).map(([r, n]) => `tandem_requests_shed_total{reason="${r}"} ${n}`),
      ),
      ...family(
        "tandem_requests",
        "gauge",
        "Live requests by state.",
        requestStates.map((s) => `tandem_requests{state="${s}"} ${byState[s]}`),
      ),
      ...family(
        "tandem_requests_total",
        "counter",
        "Requests posted, and ended by outcome (started = answered and in a session).",
        outcomes.map((o) => `tandem_requests_total{outcome="${o}"} ${this.outcomes[o]}`),
      ),
      ...family("tandem_sessions_open", "gauge", "Open sessions.", [
        `tandem_sessions_open ${this.openSessions}`,
      ]),
      ...family(
        "tandem_agents_by_sessions",
        "gauge",
        "Agents by the number of sessions they are in (0 to 8, R-A7).",
        bySessions.map((n, i) => `tandem_agents_by_sessions{sessions="${i}"} ${n}`),
      ),
      ...family(
        "tandem_queue_length",
        "gauge",
        "Requests waiting in each Queue-mode portal (R-P5).",
        [...this.queueLength].map(([p, n]) => `tandem_queue_length{portal="${labelValue(p)}"} ${n}`),
      ),
      ...family(
        "tandem_routing_seconds",
        "histogram",
        "A customer's post from dispatch to alerts or offer written to the agents' sockets (commit included).",
        this.routing.lines("tandem_routing_seconds"),
      ),
      ...family(
        "tandem_chat_delivery_seconds",
        "histogram",
        "A chat line from dispatch to written to every party's socket (commit included).",
        this.chatDelivery.lines("tandem_chat_delivery_seconds"),
      ),
      ...family(
        "tandem_fanout_seconds",
        "histogram",
        "Writing one committed batch of events to the sockets concerned.",
        this.fanOut.lines("tandem_fanout_seconds"),
      ),
      ...family(
        "tandem_command_seconds",
        "histogram",
        "Every client command from dispatch to delivery, by floor command type.",
        [...this.commands].flatMap(([type, h]) => h.lines("tandem_command_seconds", `command="${type}"`)),
      ),
      ...family("tandem_domain_events_total", "counter", "Domain events emitted by the floor.", [
        `tandem_domain_events_total ${this.events}`,
      ]),
      ...family(
        "tandem_event_loop_lag_seconds",
        "gauge",
        "Event-loop lag over the last window, by quantile.",
        [
          `tandem_event_loop_lag_seconds{quantile="0.5"} ${lag.p50Ms / 1000}`,
          `tandem_event_loop_lag_seconds{quantile="0.99"} ${lag.p99Ms / 1000}`,
          `tandem_event_loop_lag_seconds{quantile="1"} ${lag.maxMs / 1000}`,
        ],
      ),
      ...family(
        "tandem_event_loop_utilization",
        "gauge",
        "Share of the last window the event loop was busy.",
        [`tandem_event_loop_utilization ${lag.busy}`],
      ),
      ...family(
        "tandem_gc_seconds_total",
        "counter",
        "Time the main thread spent paused for garbage collection, by kind.",
        gcKinds.map((k) => `tandem_gc_seconds_total{kind="${k}"} ${this.sources.gc.seconds[k]}`),
      ),
      ...family(
        "tandem_gc_total",
        "counter",
        "Garbage-collection pauses of the main thread, by kind.",
        gcKinds.map((k) => `tandem_gc_total{kind="${k}"} ${this.sources.gc.count[k]}`),
      ),
      ...family(
        "tandem_admission_share",
        "gauge",
        "Share of the configured new-request and new-connection rates admission allows now.",
        [`tandem_admission_share ${this.sources.admissionShare()}`],
      ),
      ...family("process_resident_memory_bytes", "gauge", "Resident set size.", [
        `process_resident_memory_bytes ${mem.rss}`,
      ]),
      ...family("nodejs_heap_used_bytes", "gauge", "V8 heap in use.", [
        `nodejs_heap_used_bytes ${mem.heapUsed}`,
      ]),
      ...family("nodejs_heap_total_bytes", "gauge", "V8 heap reserved (in use or free for reuse).", [
        `nodejs_heap_total_bytes ${mem.heapTotal}`,
      ]),
      ...family(
        "nodejs_external_bytes",
        "gauge",
        "Memory outside the V8 heap held by JavaScript objects (buffers).",
        [`nodejs_external_bytes ${mem.external}`],
      ),
    ];
    return `${lines.join("\n")}\n`;
  }
}
