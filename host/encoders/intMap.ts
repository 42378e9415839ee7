// A small open-addressing map from uint32 keys to int32 values, cleared in O(1), for the copy detectors' hot loops.

export const ABSENT = -0x80000000;
/** Value stored by `setUnique` when a key was seen with two different values. */
export const AMBIGUOUS = -0x7fffffff;

export class IntMap {
  private keys: Uint32Array;
  private values: Int32Array;
  private stamps: Uint32Array;
  private stamp = 1;
  private mask: number;
  private shift: number;
  size = 0;

  constructor(capacityPow2 = 1 << 12) {
    this.keys = new Uint32Array(capacityPow2);
    this.values = new Int32Array(capacityPow2);
    this.stamps = new Uint32Array(capacityPow2);
    this.mask = capacityPow2 - 1;
    this.shift = 32 - Math.log2(capacityPow2);
  }

  clear(): void {
    this.size = 0;
    this.stamp = (this.stamp + 1) >>> 0;
    if (this.stamp === 0) {
      this.stamps.fill(0);
      this.stamp = 1;
    }
  }

  get(key: number): number {
    let slot = Math.imul(key, 0x9e3779b1) >>> this.shift;
    while (this.stamps[slot] === this.stamp) {
      if (this.keys[slot] === key >>> 0) return this.values[slot]!;
      slot = (slot + 1) & this.mask;
    }
    return ABSENT;
  }

  /** Stores `value` for a new key; a key already holding another value becomes AMBIGUOUS. */
  setUnique(key: number, value: number): void {
    const slot = this.find(key);
    if (this.stamps[slot] !== this.stamp) this.insert(slot, key, value);
    else if (this.values[slot] !== value) this.values[slot] = AMBIGUOUS;
  }

  /** Adds `delta` to the key's value (absent counts as 0). */
  add(key: number, delta: number): void {
    const slot = this.find(key);
    if (this.stamps[slot] !== this.stamp) this.insert(slot, key, delta);
    else this.values[slot]! += delta;
  }

  forEach(fn: (key: number, value: number) => void): void {
    for (let s = 0; s <= this.mask; s++)
      if (this.stamps[s] === this.stamp) fn(this.keys[s]!, this.values[s]!);
  }

  private find(key: number): number {
    let slot = Math.imul(key, 0x9e3779b1) >>> this.shift;
    while (this.stamps[slot] === this.stamp && this.keys[slot] !== key >>> 0) slot = (slot + 1) & this.mask;
    return slot;
  }

  private insert(slot: number, key: number, value: number): void {
    this.stamps[slot] = this.stamp;
    this.keys[slot] = key;
    this.values[slot] = value;
    if (++this.size * 2 > this.mask) this.grow();
  }

  private grow(): void {
    const { keys, values, stamps, stamp } = this;
    const capacity = (this.mask + 1) * 2;
    this.keys = new Uint32Array(capacity);
    this.values = new Int32Array(capacity);
    this.stamps = new Uint32Array(capacity);
    this.mask = capacity - 1;
    this.shift = 32 - Math.log2(capacity);
    this.stamp = 1;
    this.size = 0;
    for (let s = 0; s < keys.length; s++) {
      if (stamps[s] === stamp) this.insert(this.find(keys[s]!), keys[s]!, values[s]!);
    }
  }
}
