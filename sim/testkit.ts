// Hand-made event streams for checker tests: a tiny floor set up by events, then whatever broken story a test tells.
import {
  AgentId,
  type DomainEvent,
  type Mode,
  PortalId,
  type PortalType,
  type RecordedEvent,
  RequestId,
  SessionId,
} from "../actors/index.ts";
import { allCheckers, type Checker, CheckSuite, type Finding, type FloorProbe } from "./checkers/index.ts";

export const A = AgentId;
export const P = PortalId;
export const R = RequestId;
export const S = SessionId;

/** Events added in one `add` call form one step: the checkers get their quiet point after it, as after one dispatch. */
export class Stream {
  readonly steps: RecordedEvent[][] = [];
  private seq = 0;
  private time = 0;

  /** Lets a helper that builds on a stream be used in a chain. */
  pipe<T>(f: (s: this) => T): T {
    return f(this);
  }

  at(ms: number): this {
    this.time = ms;
    return this;
  }

  add(...events: DomainEvent[]): this {
    this.steps.push(events.map((e) => ({ ...e, seq: ++this.seq, at: this.time }) as RecordedEvent));
    return this;
  }

  agents(max: number, ...ids: string[]): this {
    return this.add(
      ...ids.map((id) => ({ type: "agent.registered", agentId: A(id), maxSessions: max }) as const),
    );
  }

  portal(id: string, type: PortalType, mode: Mode, members: string[]): this {
    return this.add({
      type: "portal.registered",
      portalId: P(id),
      portalType: type,
      mode,
      members: members.map(A),
    });
  }

  login(...ids: string[]): this {
    return this.add(...ids.map((id) => ({ type: "agent.loggedIn", agentId: A(id) }) as const));
  }

  post(
    requestId: string,
    portalId: string,
    mode: Mode,
    extra: Partial<Extract<DomainEvent, { type: "request.posted" }>> = {},
  ): this {
    return this.add({
      type: "request.posted",
      requestId: R(requestId),
      portalId: P(portalId),
      mode,
      customer: { name: "C", language: "en" },
      ...extra,
    });
  }

  /** Runs the checkers over the stream, step by step, and returns what they found. */
  check(options: { checkers?: Checker[]; floor?: FloorProbe; drained?: boolean } = {}): Finding[] {
    const suite = new CheckSuite({
      checkers: options.checkers ?? allCheckers(),
      floor: options.floor ?? null,
    });
    return suite.replay(this.steps, options.drained ?? true);
  }
}
