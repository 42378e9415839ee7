// What a checker is: a watcher of the domain event stream that reports broken rules, after every event and at the end.
import type {
  AgentId,
  AgentView,
  FloorCommand,
  FloorOptions,
  RecordedEvent,
  RequestId,
  SessionContext,
  SessionId,
} from "../../actors/index.ts";
import type { Model } from "../model.ts";

/** The few read-only questions a checker may ask the live floor; absent when checking a hand-made stream. */
export interface FloorProbe {
  session(id: SessionId): SessionContext | undefined;
  agent(id: AgentId): AgentView | undefined;
  request(id: RequestId): { state: unknown } | undefined;
  childCount(): number;
}

export interface CheckContext {
  /** The floor as the events describe it: before the event in onEvent, after it in onQuiet and finish. */
  model: Model;
  /** The command being dispatched when the event happened; null when a timer caused it. */
  cause: FloorCommand | null;
  options: FloorOptions;
  floor: FloorProbe | null;
  /** Set at the end: the clock ran out of timers and planned actions (the floor went quiet). */
  drained: boolean;
  report(rule: string, message: string): void;
}

export interface Checker {
  readonly name: string;
  /** Safety: called with each event before the model takes it in. */
  onEvent?(e: RecordedEvent, ctx: CheckContext): void;
  /** Safety: called whenever the floor is quiescent (after each dispatch and each batch of due timers). */
  onQuiet?(ctx: CheckContext): void;
  /** Liveness: called once at the end of the run. */
  finish?(ctx: CheckContext): void;
}

export interface Finding {
  checker: string;
  rule: string;
  message: string;
  /** The event that exposed it (or the last event before the quiet point or the end). */
  seq: number;
  at: number;
}
