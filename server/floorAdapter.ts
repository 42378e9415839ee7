// The one place where the pure support floor meets I/O: every command runs inside a store transaction, every event it
// causes is appended to the log (and projected into history and transcripts) before anyone is told, then delivered.
import type { AgentId, DispatchResult, Floor, FloorCommand, RecordedEvent } from "../actors/index.ts";
import type { Store } from "./store/store.ts";

export type Deliver = (events: RecordedEvent[]) => void;

export class FloorAdapter {
  private buffer: RecordedEvent[] | null = null;
  deliver: Deliver = () => {};

  constructor(
    readonly floor: Floor,
    private readonly store: Store,
    private readonly nameOf: (id: AgentId) => string,
  ) {
    floor.subscribe((e) => {
      // Inside a dispatch this runs in its transaction; a timer-driven event commits on its own at once.
      this.store.record(e, this.nameOf);
      if (this.buffer) this.buffer.push(e);
      else this.deliver([e]);
    });
  }

  /**
   * Dispatches one command: its events are committed together, then `committed` runs (e.g. to bind a customer's
   * socket or answer the sender), then the events are delivered. Nothing is told before it is on disk.
   */
  dispatch(command: FloorCommand, committed?: (result: DispatchResult) => void): DispatchResult {
    const outer = this.buffer;
    const buffer: RecordedEvent[] = [];
    this.buffer = buffer;
    let result: DispatchResult;
    try {
      result = outer ? this.floor.dispatch(command) : this.store.tx(() => this.floor.dispatch(command));
    } finally {
      this.buffer = outer;
    }
    if (outer) {
      outer.push(...buffer);
      committed?.(result);
      return result;
    }
    committed?.(result);
    this.deliver(buffer);
    return result;
  }

  /** Runs store writes and dispatches as one transaction (e.g. a diagnostics row and its notice). */
  tx<T>(fn: () => T): T {
    return this.store.tx(fn);
  }
}
