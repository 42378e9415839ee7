// The one place where the pure support floor meets I/O: every command runs atomically inside the store's transaction,
// every event it causes is appended to the log (and projected into history and transcripts), and only once that
// transaction is committed is anyone told.
import type { AgentId, DispatchResult, Floor, FloorCommand, RecordedEvent } from "../actors/index.ts";
import type { Store } from "./store/store.ts";

export type Deliver = (events: RecordedEvent[]) => void;

export class FloorAdapter {
  private buffer: RecordedEvent[] | null = null;
  deliver: Deliver = () => {};
  /** Called after a top-level command's answer and events went out, with when its dispatch began (metrics). */
  settled: (command: FloorCommand, startedAt: number) => void = () => {};

  constructor(
    readonly floor: Floor,
    private readonly store: Store,
    private readonly nameOf: (id: AgentId) => string,
  ) {
    floor.subscribe((e) => {
      // Inside a dispatch this runs in its savepoint; a timer-driven event joins the turn's transaction on its own.
      this.store.tx(() => this.store.record(e, this.nameOf));
      if (this.buffer) this.buffer.push(e);
      else this.store.afterCommit(() => this.deliver([e]));
    });
  }

  /**
   * Dispatches one command: its events are written atomically; once the turn's transaction is committed,
   * `committed` runs (e.g. to bind a customer's socket or answer the sender), then the events are delivered.
   * Nothing is told before it is on disk.
   */
  dispatch(command: FloorCommand, committed?: (result: DispatchResult) => void): DispatchResult {
    const startedAt = performance.now();
    const outer = this.buffer;
    const buffer: RecordedEvent[] = [];
    this.buffer = buffer;
    let result: DispatchResult;
    try {
      result = this.store.tx(() => this.floor.dispatch(command));
    } finally {
      this.buffer = outer;
    }
    // A command dispatched while another runs (a reaction) is answered first; its events go out with the outer's.
    if (outer) outer.push(...buffer);
    this.store.afterCommit(() => {
      committed?.(result);
      if (outer) return;
      this.deliver(buffer);
      this.settled(command, startedAt);
    });
    return result;
  }

  /** Runs store writes and dispatches as one atomic unit (e.g. a diagnostics row and its notice). */
  tx<T>(fn: () => T): T {
    return this.store.tx(fn);
  }
}
