// Connection admission: past a ceiling of open sockets, a rate of new ones, or an event-loop lag, new WebSocket
// upgrades are refused with HTTP 503 (and Retry-After) before any handshake work, so existing sessions keep working.
// The rates of new sockets and new requests are scaled by a throttle that falls while the event loop is saturated.
import type { Duplex } from "node:stream";
import { defaultThrottleOptions, type LoopSignals, Throttle, type ThrottleOptions } from "./throttle.ts";

export interface AdmissionOptions {
  /** Open WebSocket connections at which new upgrades are refused. Sized above the 11,250-socket target (R-D2). */
  connectionsMax: number;
  /** New WebSocket connections admitted per second, sustained (token bucket). */
  newConnectionsPerSecondMax: number;
  /**
   * New WebSocket connections admitted at once before the per-second rate applies. Each upgrade costs the loop about
   * half a millisecond: a burst of 2,000 stalled the open sessions for about a second (overload step of `full`).
   */
  newConnectionsBurstMax: number;
  /** Event-loop lag (p99 over the last window) above which new upgrades are refused. */
  eventLoopLagMaxMs: number;
  /** Lag refusals and the throttle apply only from this many open sockets: a busy loop on a lightly used server
   * (a test run, a backup) is not overload. */
  eventLoopLagMinConnections: number;
  /** Seconds a refused client is told to wait (`Retry-After`). */
  retryAfterS: number;
  /** New requests (`customer.post`) taken per second, sustained, and at once: past them a post is refused with
   * close 1013, so that at twice the load the sessions already open keep their latency. */
  requestsPerSecondMax: number;
  requestsBurstMax: number;
  /** How the rates above are scaled down while the event loop is saturated. */
  throttle: ThrottleOptions;
}

export const defaultAdmissionOptions: AdmissionOptions = {
  connectionsMax: 15_000,
  newConnectionsPerSecondMax: 1_000,
  newConnectionsBurstMax: 250,
  eventLoopLagMaxMs: 250,
  eventLoopLagMinConnections: 1_000,
  retryAfterS: 2,
  requestsPerSecondMax: 100,
  requestsBurstMax: 200,
  throttle: defaultThrottleOptions,
};

/** Why a new connection is refused (`busy`: past the rate the throttle allows while the loop is saturated). */
export type RefusalReason = "connections" | "rate" | "lag" | "busy";
/** Why a new request (`customer.post`) on an open connection is shed. */
export type ShedReason = "lag" | "busy" | "requests";

/** A token bucket whose rate and depth are scaled by the throttle's share. */
class Bucket {
  private tokens: number;
  private last: number;
  constructor(
    private readonly perS: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }
  take(now: number, share: number): boolean {
    const depth = Math.max(1, this.burst * share);
    this.tokens = Math.min(depth, this.tokens + ((now - this.last) / 1000) * this.perS * share);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

export class Admission {
  private readonly connections: Bucket;
  private readonly requests: Bucket;
  readonly throttle: Throttle;
  /** Connections refused, and requests shed, by reason: two counts, since a shed post is not a refused socket. */
  readonly refused: Record<RefusalReason, number> = { connections: 0, rate: 0, lag: 0, busy: 0 };
  readonly shed: Record<ShedReason, number> = { lag: 0, busy: 0, requests: 0 };

  constructor(
    readonly options: AdmissionOptions,
    private readonly loop: LoopSignals,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.connections = new Bucket(
      options.newConnectionsPerSecondMax,
      options.newConnectionsBurstMax,
      this.now(),
    );
    this.requests = new Bucket(options.requestsPerSecondMax, options.requestsBurstMax, this.now());
    this.throttle = new Throttle(options.throttle, loop, this.now);
  }

  /** Why a new request would be refused now (and counted), or null to take it. */
  admitRequest(openConnections: number): ShedReason | null {
    const reason = this.limited(openConnections, this.requests, "requests");
    if (reason) this.shed[reason] += 1;
    return reason;
  }

  /** Why a new connection would be refused now, or null to admit it (and count it against the rate). */
  decide(openConnections: number): RefusalReason | null {
    if (openConnections >= this.options.connectionsMax) return "connections";
    return this.limited(openConnections, this.connections, "rate");
  }

  /** `lag` past the lag ceiling, `busy` past the throttled rate, `rateReason` past the full rate, or null. */
  private limited<R extends string>(
    openConnections: number,
    bucket: Bucket,
    rateReason: R,
  ): "lag" | "busy" | R | null {
    const loaded = openConnections >= this.options.eventLoopLagMinConnections;
    if (loaded && this.loop.lagMs() > this.options.eventLoopLagMaxMs) return "lag";
    const share = loaded ? this.throttle.share() : 1;
    if (bucket.take(this.now(), share)) return null;
    return share < 1 ? "busy" : rateReason;
  }

  /** Admits the upgrade (returns true) or answers 503 on the raw socket and counts the refusal. */
  admit(socket: Duplex, openConnections: number): boolean {
    const reason = this.decide(openConnections);
    if (reason === null) return true;
    this.refused[reason] += 1;
    const body = JSON.stringify({ error: "Overloaded", reason });
    socket.end(
      `HTTP/1.1 503 Service Unavailable\r\nRetry-After: ${this.options.retryAfterS}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
    return false;
  }
}

/** Reads the admission and metrics settings from the environment (`npm start`); unset variables keep the defaults. */
export function admissionOptionsFromEnv(env: NodeJS.ProcessEnv): Partial<AdmissionOptions> {
  /** `{ key: value }` when the variable holds a number, else nothing (the default stays). */
  const pick = <K extends keyof AdmissionOptions | keyof ThrottleOptions>(name: string, key: K) =>
    env[name] !== undefined && Number.isFinite(Number(env[name])) ? { [key]: Number(env[name]) } : {};
  return {
    ...pick("TANDEM_CONNECTIONS_MAX", "connectionsMax"),
    ...pick("TANDEM_NEW_CONNECTIONS_PER_S_MAX", "newConnectionsPerSecondMax"),
    ...pick("TANDEM_NEW_CONNECTIONS_BURST_MAX", "newConnectionsBurstMax"),
    ...pick("TANDEM_EVENT_LOOP_LAG_MAX_MS", "eventLoopLagMaxMs"),
    ...pick("TANDEM_REQUESTS_PER_S_MAX", "requestsPerSecondMax"),
    ...pick("TANDEM_REQUESTS_BURST_MAX", "requestsBurstMax"),
    throttle: {
      ...defaultThrottleOptions,
      ...pick("TANDEM_ADMISSION_BUSY_MAX", "busyMax"),
      ...pick("TANDEM_ADMISSION_LAG_MIN_MS", "lagMinMs"),
    },
  };
}
