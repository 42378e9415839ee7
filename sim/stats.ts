// Measurements of one run, taken from the event stream: request outcomes, waits, waiting-line length over time,
// and per-agent peak concurrency and utilisation.
import type { AgentId, RecordedEvent, RequestId } from "../actors/index.ts";

interface AgentClock {
  peak: number;
  active: number;
  max: number;
  loggedIn: boolean;
  since: number;
  loggedInMs: number;
  /** ∫ active dt while logged in, in session·ms. */
  busyMs: number;
}

export interface Series {
  /** [ms, waiting requests] at each change. */
  waiting: Array<[number, number]>;
  /** [ms, waiting in Queue-mode queues] at each change. */
  queued: Array<[number, number]>;
  /** [ms when started, seconds waited]. */
  waits: Array<[number, number]>;
}

export class Stats {
  readonly counts: Record<string, number> = {};
  readonly rejections: Record<string, number> = {};
  readonly waitsSec: number[] = [];
  readonly series: Series = { waiting: [], queued: [], waits: [] };
  private readonly agents = new Map<AgentId, AgentClock>();
  private readonly postedAt = new Map<RequestId, number>();
  private readonly queueLengths = new Map<string, number>();
  private waiting = 0;

  count(name: string, by = 1): void {
    this.counts[name] = (this.counts[name] ?? 0) + by;
  }

  event(e: RecordedEvent): void {
    switch (e.type) {
      case "agent.registered":
        this.agents.set(e.agentId, {
          peak: 0,
          active: 0,
          max: e.maxSessions,
          loggedIn: false,
          since: e.at,
          loggedInMs: 0,
          busyMs: 0,
        });
        return;
      case "agent.loggedIn":
      case "agent.loggedOut":
        return this.agentChange(e.agentId, e.at, { loggedIn: e.type === "agent.loggedIn" });
      case "agent.slotGranted":
      case "agent.joinedSession":
      case "agent.slotReleased":
        return this.agentChange(e.agentId, e.at, { active: e.active });
      case "request.posted":
        this.count("posted");
        this.postedAt.set(e.requestId, e.at);
        return this.setWaiting(e.at, +1);
      case "request.answered":
        return this.count("answered");
      case "request.started": {
        this.count("started");
        const waited = (e.at - (this.postedAt.get(e.requestId) ?? e.at)) / 1000;
        this.waitsSec.push(waited);
        this.series.waits.push([e.at, waited]);
        return this.setWaiting(e.at, -1);
      }
      case "request.abandoned":
      case "request.expired":
        this.count(e.type === "request.abandoned" ? "abandoned" : "expired");
        return this.setWaiting(e.at, -1);
      case "queue.enqueued":
      case "queue.dequeued":
        return this.setQueue(e.portalId, e.length, e.at);
      case "session.closed":
        this.count("sessionsClosed");
        return this.count(`resolution.${e.resolution}`);
      case "command.rejected":
        this.rejections[e.reason] = (this.rejections[e.reason] ?? 0) + 1;
        return;
      case "session.started":
      case "session.ownerChanged":
      case "participant.joined":
      case "code.created":
      case "code.converted":
      case "code.expired":
      case "agent.disconnected":
      case "offer.made":
        return this.count(e.type === "session.ownerChanged" ? `ownerChanged.${e.reason}` : e.type);
    }
  }

  /** Closes the books at `end`; returns per-agent peak and utilisation. */
  agentsAt(
    end: number,
  ): Array<{ agentId: AgentId; max: number; peak: number; utilisation: number; loggedInMin: number }> {
    return [...this.agents].map(([agentId, a]) => {
      this.agentChange(agentId, end, {});
      const capacityMs = a.loggedInMs * a.max;
      return {
        agentId,
        max: a.max,
        peak: a.peak,
        utilisation: capacityMs > 0 ? a.busyMs / capacityMs : 0,
        loggedInMin: a.loggedInMs / 60_000,
      };
    });
  }

  private agentChange(id: AgentId, at: number, change: { loggedIn?: boolean; active?: number }): void {
    const a = this.agents.get(id);
    if (!a) return;
    const dt = at - a.since;
    if (a.loggedIn) {
      a.loggedInMs += dt;
      a.busyMs += dt * a.active;
    }
    a.since = at;
    if (change.loggedIn !== undefined) a.loggedIn = change.loggedIn;
    if (change.active !== undefined) a.active = change.active;
    a.peak = Math.max(a.peak, a.active);
  }

  private setWaiting(at: number, delta: number): void {
    this.waiting += delta;
    this.series.waiting.push([at, this.waiting]);
  }

  private setQueue(portalId: string, length: number, at: number): void {
    this.queueLengths.set(portalId, length);
    let total = 0;
    for (const n of this.queueLengths.values()) total += n;
    this.series.queued.push([at, total]);
  }
}

/** The q-quantile (0..1) of unsorted numbers, nearest-rank; 0 for none. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
