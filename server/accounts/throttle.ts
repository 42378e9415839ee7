// Failure counters over a sliding window, for login and SmartCode guessing: bounded memory, no timers.

export class Throttle {
  private readonly hits = new Map<string, number[]>();

  /** At most `limit` failures per key within `windowMs`; past that the key is blocked until old failures age out. */
  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly keysMax = 100_000,
  ) {}

  blocked(key: string, now: number): boolean {
    return this.recent(key, now).length >= this.limit;
  }

  fail(key: string, now: number): void {
    const list = this.recent(key, now);
    list.push(now);
    this.hits.set(key, list);
    if (this.hits.size > this.keysMax) {
      // A full table is a decided outcome: forget the oldest key rather than grow.
      const oldest = this.hits.keys().next().value;
      if (oldest !== undefined) this.hits.delete(oldest);
    }
  }

  clear(key: string): void {
    this.hits.delete(key);
  }

  private recent(key: string, now: number): number[] {
    const list = (this.hits.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (list.length === 0) this.hits.delete(key);
    else this.hits.set(key, list);
    return list;
  }
}
