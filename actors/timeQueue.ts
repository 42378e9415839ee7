// A queue of things due at a time: a binary min-heap on (time, order of arrival), so items due in the same millisecond
// come out in the order they went in. Shared by the simulated clock and the simulator's agenda.

export interface Due<T> {
  readonly at: number;
  readonly seq: number;
  readonly item: T;
}

export class TimeQueue<T> {
  private heap: Due<T>[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  /** Adds an item; returns its sequence number (unique, increasing). */
  push(at: number, item: T): number {
    const h = this.heap;
    const due = { at, seq: this.seq++, item };
    h.push(due);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
    return due.seq;
  }

  peek(): Due<T> | undefined {
    return this.heap[0];
  }

  pop(): Due<T> | undefined {
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

const before = <T>(a: Due<T>, b: Due<T>) => a.at < b.at || (a.at === b.at && a.seq < b.seq);
