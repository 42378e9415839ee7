// Connection admission: past a ceiling of open sockets, a rate of new ones, or an event-loop lag, new WebSocket
// upgrades are refused with HTTP 503 (and Retry-After) before any handshake work, so existing sessions keep working.
import type { Duplex } from "node:stream";

export interface AdmissionOptions {
  /** Open WebSocket connections at which new upgrades are refused. Sized above the 11,250-socket target (R-D2). */
  connectionsMax: number;
  /** New WebSocket connections admitted per second, sustained (token bucket). */
  newConnectionsPerSecondMax: number;
  /** New WebSocket connections admitted at once before the per-second rate applies. */
  newConnectionsBurstMax: number;
  /** Event-loop lag (p99 over the last window) above which new upgrades are refused. */
  eventLoopLagMaxMs: number;
  /** Lag refusals apply only from this many open sockets: a lag spike on a lightly used server is not overload. */
  eventLoopLagMinConnections: number;
  /** Seconds a refused client is told to wait (`Retry-After`). */
  retryAfterS: number;
  /** New requests (`customer.post`) taken per second, sustained, and at once: past them a post is refused with
   * close 1013, so that at twice the load the sessions already open keep their latency. */
  requestsPerSecondMax: number;
  requestsBurstMax: number;
}

export const defaultAdmissionOptions: AdmissionOptions = {
  connectionsMax: 15_000,
  newConnectionsPerSecondMax: 1_000,
  newConnectionsBurstMax: 2_000,
  eventLoopLagMaxMs: 250,
  eventLoopLagMinConnections: 1_000,
  retryAfterS: 2,
  requestsPerSecondMax: 100,
  requestsBurstMax: 200,
};

/** Why a new connection is refused. */
export type RefusalReason = "connections" | "rate" | "lag";
/** Why a new request (`customer.post`) on an open connection is shed. */
export type ShedReason = "lag" | "requests";

export class Admission {
  private tokens: number;
  private lastRefill: number;
  private requestTokens: number;
  private lastRequestRefill: number;
  /** Connections refused, and requests shed, by reason: two counts, since a shed post is not a refused socket. */
  readonly refused: Record<RefusalReason, number> = { connections: 0, rate: 0, lag: 0 };
  readonly shed: Record<ShedReason, number> = { lag: 0, requests: 0 };

  constructor(
    readonly options: AdmissionOptions,
    private readonly lagMs: () => number,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.tokens = options.newConnectionsBurstMax;
    this.lastRefill = this.now();
    this.requestTokens = options.requestsBurstMax;
    this.lastRequestRefill = this.now();
  }

  /** Why a new request would be refused now (`lag` or `requests`, and counted), or null to take it. */
  admitRequest(openConnections: number): ShedReason | null {
    const now = this.now();
    this.requestTokens = Math.min(
      this.options.requestsBurstMax,
      this.requestTokens + ((now - this.lastRequestRefill) / 1000) * this.options.requestsPerSecondMax,
    );
    this.lastRequestRefill = now;
    const reason =
      openConnections >= this.options.eventLoopLagMinConnections &&
      this.lagMs() > this.options.eventLoopLagMaxMs
        ? "lag"
        : this.requestTokens < 1
          ? "requests"
          : null;
    if (reason) this.shed[reason] += 1;
    else this.requestTokens -= 1;
    return reason;
  }

  /** Why a new connection would be refused now, or null to admit it (and count it against the rate). */
  decide(openConnections: number): RefusalReason | null {
    if (openConnections >= this.options.connectionsMax) return "connections";
    if (
      openConnections >= this.options.eventLoopLagMinConnections &&
      this.lagMs() > this.options.eventLoopLagMaxMs
    )
      return "lag";
    const now = this.now();
    this.tokens = Math.min(
      this.options.newConnectionsBurstMax,
      this.tokens + ((now - this.lastRefill) / 1000) * this.options.newConnectionsPerSecondMax,
    );
    this.lastRefill = now;
    if (this.tokens < 1) return "rate";
    this.tokens -= 1;
    return null;
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
  const pick = (name: string, key: keyof AdmissionOptions) =>
    env[name] !== undefined && Number.isFinite(Number(env[name])) ? { [key]: Number(env[name]) } : {};
  return {
    ...pick("TANDEM_CONNECTIONS_MAX", "connectionsMax"),
    ...pick("TANDEM_NEW_CONNECTIONS_PER_S_MAX", "newConnectionsPerSecondMax"),
    ...pick("TANDEM_NEW_CONNECTIONS_BURST_MAX", "newConnectionsBurstMax"),
    ...pick("TANDEM_EVENT_LOOP_LAG_MAX_MS", "eventLoopLagMaxMs"),
    ...pick("TANDEM_REQUESTS_PER_S_MAX", "requestsPerSecondMax"),
    ...pick("TANDEM_REQUESTS_BURST_MAX", "requestsBurstMax"),
  };
}
