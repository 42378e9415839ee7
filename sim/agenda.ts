// The simulator's own to-do list: simulated actions (arrivals, agents' clicks, customers giving up…) ordered by time, then by when they were planned.

import { TimeQueue } from "../actors/timeQueue.ts";

export interface Planned {
  at: number;
  seq: number;
  run: () => void;
}

/** Actions planned for the same millisecond run in the order they were planned. */
export class Agenda {
  private readonly queue = new TimeQueue<() => void>();

  get size(): number {
    return this.queue.size;
  }

  at(time: number, run: () => void): void {
    this.queue.push(time, run);
  }

  nextAt(): number | undefined {
    return this.queue.peek()?.at;
  }

  pop(): Planned | undefined {
    const due = this.queue.pop();
    return due && { at: due.at, seq: due.seq, run: due.item };
  }
}
