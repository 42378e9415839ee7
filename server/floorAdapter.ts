// The one place where the pure support floor meets I/O: every event a command causes is queued into the store's batch
// of this event-loop turn (appended to the log, projected into history and transcripts), and only once that batch is
// committed is anyone told. A command has no rollback of its own: the events of one that fails halfway happened on
// the in-memory floor, so the log keeps them.
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
      // Inside a dispatch or on a timer alike, the event joins this turn's batch.
      this.store.record(e, this.nameOf);
      if (this.buffer) this.buffer.push(e);
      else this.store.afterCommit(() => this.deliver([e]));
    });
  }

  /**
   * Dispatches one command: its events are queued into the turn's batch; once that is committed,
   * `committed` runs (e.g. to bind a customer's socket or answer the sender), then the events are delivered.
   * Nothing is told before it is on disk.
   */
  dispatch(command: FloorCommand, committed?: (result: DispatchResult) => void): DispatchResult {
    const startedAt = performance.now();
    const outer = this.buffer;
    const buffer: RecordedEvent[] = [];
    this.buffer = buffer;
    let result: DispatchResult | undefined;
    let failure: unknown;
    try {
      result = this.floor.dispatch(command);
    } catch (err) {
      failure = err;
    } finally {
      this.buffer = outer;
    }
    // A command dispatched while another runs (a reaction) is answered first; its events go out with the outer's.
    if (outer) outer.push(...buffer);
    this.store.afterCommit(() => {
      if (result) committed?.(result);
      if (outer) return;
      // Events of a command that failed halfway happened on the floor all the same: they are logged and told.
      this.deliver(buffer);
      if (result) this.settled(command, startedAt);
    });
    if (!result) throw failure;
    return result;
  }

  /** Runs store writes and dispatches as one atomic unit (e.g. a diagnostics row and its notice). */
  tx<T>(fn: () => T): T {
    return this.store.tx(fn);
  }
}
