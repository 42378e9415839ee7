// The simulator's own to-do list: simulated actions (arrivals, agents' clicks, customers giving up…) ordered by time, then by when they were planned.

export interface Planned {
  at: number;
  seq: number;
  run: () => void;
}

/** A binary min-heap on (at, seq), so actions planned for the same millisecond run in the order they were planned. */
export class Agenda {
  private heap: Planned[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  at(time: number, run: () => void): void {
    const h = this.heap;
    h.push({ at: time, seq: this.seq++, run });
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  nextAt(): number | undefined {
    return this.heap[0]?.at;
  }

  pop(): Planned | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (!top || h.length === 0) return top;
    h[0] = last!;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && before(h[l]!, h[m]!)) m = l;
      if (r < h.length && before(h[r]!, h[m]!)) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
    return top;
  }
}

const before = (a: Planned, b: Planned) => a.at < b.at || (a.at === b.at && a.seq < b.seq);
