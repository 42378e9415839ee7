// The damaged part of the picture between two flips, as rectangles rather than one bounding box: a frame that redraws
// one window and a small square far from it paints those two, not the screen between them; a page of text paints its
// lines, not the blank rows between them.
import type { Rect } from "../../protocol/frame/index.ts";

const area = (r: Rect): number => r.width * r.height;

const union = (a: Rect, b: Rect): Rect => {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return {
    x,
    y,
    width: Math.max(a.x + a.width, b.x + b.width) - x,
    height: Math.max(a.y + a.height, b.y + b.height) - y,
  };
};

/** Pixels the union of `a` and `b` covers beyond them both (negative when they overlap). */
const waste = (a: Rect, b: Rect): number =>
  (Math.max(a.x + a.width, b.x + b.width) - Math.min(a.x, b.x)) *
    (Math.max(a.y + a.height, b.y + b.height) - Math.min(a.y, b.y)) -
  area(a) -
  area(b);

export class Damage {
  private list: Rect[] = [];

  /** `regionsMax`: at most this many rectangles; past it, the pair whose union wastes least is merged. */
  constructor(private readonly regionsMax: number) {}

  /** The rectangles to paint: together they cover everything added since `clear`. */
  get regions(): readonly Rect[] {
    return this.list;
  }

  /** The bounding box of every region, or `undefined` when nothing is damaged. */
  get bounds(): Rect | undefined {
    return this.list.length === 0 ? undefined : this.list.reduce(union);
  }

  get empty(): boolean {
    return this.list.length === 0;
  }

  /**
   * Adds `r`, merged into every region whose union with it paints no pixel that neither covers (rows of one window
   * stack into one rectangle), and so on while merging makes more such unions.
   */
  add(r: Rect): void {
    if (r.width <= 0 || r.height <= 0) return;
    let merged = r;
    for (let i = 0; i < this.list.length; ) {
      if (waste(this.list[i]!, merged) <= 0) {
        merged = union(this.list[i]!, merged);
        this.list.splice(i, 1);
        i = 0;
      } else i++;
    }
    if (this.list.length < this.regionsMax) {
      this.list.push(merged);
      return;
    }
    let best = 0;
    for (let i = 1; i < this.list.length; i++)
      if (waste(this.list[i]!, merged) < waste(this.list[best]!, merged)) best = i;
    const [nearest] = this.list.splice(best, 1);
    this.add(union(nearest!, merged));
  }

  clear(): void {
    this.list = [];
  }
}
