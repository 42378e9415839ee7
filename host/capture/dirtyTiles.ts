// Accumulates changed rectangles on a tile grid and hands them back as few, tile-aligned rectangles to read.
import type { Rect } from "../../protocol/frame/index.ts";

/** Tile edge of the accumulation grid: the encoders' tile size, so a read never splits one of their tiles. */
export const DIRTY_TILE_PX = 64;

export class DirtyTiles {
  private cols: number;
  private rows: number;
  private marks: Uint8Array;
  private any = false;

  constructor(
    private width: number,
    private height: number,
    private readonly tilePx = DIRTY_TILE_PX,
  ) {
    this.cols = Math.ceil(width / tilePx);
    this.rows = Math.ceil(height / tilePx);
    this.marks = new Uint8Array(this.cols * this.rows);
  }

  /** Starts over for a screen of a new size, with nothing marked. */
  resize(width: number, height: number): void {
    this.width = width;
    this.height = height;
    this.cols = Math.ceil(width / this.tilePx);
    this.rows = Math.ceil(height / this.tilePx);
    this.marks = new Uint8Array(this.cols * this.rows);
    this.any = false;
  }

  /** Marks every tile that `rect` touches (clipped to the screen). */
  add(rect: Rect): void {
    const x0 = Math.max(0, rect.x);
    const y0 = Math.max(0, rect.y);
    const x1 = Math.min(this.width, rect.x + rect.width);
    const y1 = Math.min(this.height, rect.y + rect.height);
    if (x1 <= x0 || y1 <= y0) return;
    const t = this.tilePx;
    for (let ty = Math.floor(y0 / t); ty <= Math.floor((y1 - 1) / t); ty++) {
      this.marks.fill(1, ty * this.cols + Math.floor(x0 / t), ty * this.cols + Math.floor((x1 - 1) / t) + 1);
    }
    this.any = true;
  }

  get isEmpty(): boolean {
    return !this.any;
  }

  /**
   * The marked tiles as rectangles, then clears the marks. Runs of marked tiles in a tile row are joined, and
   * a run is extended downwards while the next row has exactly the same run, so a moved window is 1–3 reads.
   */
  take(): Rect[] {
    if (!this.any) return [];
    const out: Rect[] = [];
    const { cols, rows, marks } = this;
    for (let ty = 0; ty < rows; ty++) {
      let tx = 0;
      while (tx < cols) {
        if (marks[ty * cols + tx] === 0) {
          tx++;
          continue;
        }
        let end = tx;
        while (end < cols && marks[ty * cols + end] === 1) end++;
        let bottom = ty + 1;
        while (bottom < rows && this.sameRun(bottom, tx, end)) {
          marks.fill(0, bottom * cols + tx, bottom * cols + end);
          bottom++;
        }
        out.push(this.rectOf(tx, ty, end, bottom));
        tx = end;
      }
    }
    marks.fill(0);
    this.any = false;
    return out;
  }

  private sameRun(ty: number, start: number, end: number): boolean {
    const row = ty * this.cols;
    if (start > 0 && this.marks[row + start - 1] === 1) return false;
    if (end < this.cols && this.marks[row + end] === 1) return false;
    for (let tx = start; tx < end; tx++) if (this.marks[row + tx] === 0) return false;
    return true;
  }

  private rectOf(tx0: number, ty0: number, tx1: number, ty1: number): Rect {
    const t = this.tilePx;
    const x = tx0 * t;
    const y = ty0 * t;
    return { x, y, width: Math.min(this.width, tx1 * t) - x, height: Math.min(this.height, ty1 * t) - y };
  }
}
