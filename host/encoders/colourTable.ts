// Counts a tile's distinct RGB colours (giving up past a limit) and maps each pixel to a palette index.

const SLOTS = 1024; // twice the largest palette, so probes stay short
const EMPTY = -1;

export class ColourTable {
  private readonly keys = new Int32Array(SLOTS);
  private readonly values = new Int32Array(SLOTS);
  private readonly stamps = new Uint32Array(SLOTS);
  private stamp = 0;
  /** Distinct colours found, in first-seen order, as 0xBBGGRR. */
  readonly colours = new Int32Array(256);
  size = 0;

  /**
   * Fills `indices` with each pixel's palette index. Returns the number of colours, or -1 as soon as
   * there are more than `limit`.
   */
  index(pixels: Uint32Array, count: number, indices: Uint8Array, limit: number): number {
    this.stamp = (this.stamp + 1) >>> 0 || this.resetStamps();
    this.size = 0;
    let last = EMPTY;
    let lastIndex = 0;
    for (let i = 0; i < count; i++) {
      const c = pixels[i]! & 0xffffff;
      if (c !== last) {
        lastIndex = this.lookup(c, limit);
        if (lastIndex < 0) return -1;
        last = c;
      }
      indices[i] = lastIndex;
    }
    return this.size;
  }

  private lookup(colour: number, limit: number): number {
    let slot = Math.imul(colour, 0x9e3779b1) >>> 22;
    for (;;) {
      if (this.stamps[slot] !== this.stamp) {
        if (this.size === limit) return -1;
        this.stamps[slot] = this.stamp;
        this.keys[slot] = colour;
        this.values[slot] = this.size;
        this.colours[this.size] = colour;
        return this.size++;
      }
      if (this.keys[slot] === colour) return this.values[slot]!;
      slot = (slot + 1) & (SLOTS - 1);
    }
  }

  private resetStamps(): number {
    this.stamps.fill(0);
    return 1;
  }
}
