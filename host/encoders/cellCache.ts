// The host's side of the viewer's cell cache (protocol/frame/cells.ts): which slot holds which cell's pixels, so a
// cell found again is drawn from the viewer's cache, and a new one is kept there. The slots are the host's to name:
// stores take them in turn, exactly as the viewer fills them. A frame's plan changes nothing until `commit`, so a
// frame that fails to encode leaves both sides as they were.
import {
  CELL_LIST_MAX,
  CELL_SLOTS,
  type CellDraw,
  type CellStore,
  type Rect,
} from "../../protocol/frame/index.ts";

/** Most cells kept a frame: a new page of text has a few hundred different glyphs, not thousands. */
export const CELL_STORES_MAX = 512;

interface Cell {
  readonly hash: number;
  readonly width: number;
  readonly height: number;
  /** Its pixels, RGB words, row by row. */
  readonly pixels: Uint32Array;
}

export interface CellPlan {
  /** Cells the viewer draws from its cache, and where they are (for the tiles' residuals). */
  readonly draws: CellDraw[];
  readonly drawn: Rect[];
  /** Cells the viewer keeps once the frame is drawn, in the order they take slots. */
  readonly stores: CellStore[];
  readonly kept: Cell[];
}

export class HostCellCache {
  private readonly slots: (Cell | undefined)[] = new Array(CELL_SLOTS);
  private readonly byHash = new Map<number, number>();
  private next = 0;

  /** A key frame: the viewer's cache is empty again. */
  reset(): void {
    this.slots.fill(undefined);
    this.byHash.clear();
    this.next = 0;
  }

  /**
   * For the cells found in `cur` (a screen `width` wide) that the viewer does not already show there (`holds`): each
   * one the cache holds is drawn from it; each one it does not is kept, once a frame.
   */
  plan(cells: readonly Rect[], cur: Uint32Array, width: number, holds: (r: Rect) => boolean): CellPlan {
    const plan: CellPlan = { draws: [], drawn: [], stores: [], kept: [] };
    const keptNow = new Map<number, Cell>();
    for (const r of cells) {
      // What the viewer already shows there costs nothing now and is not worth keeping.
      if (holds(r)) continue;
      const hash = hashAt(cur, width, r);
      const slot = this.byHash.get(hash);
      if (slot !== undefined && sameAt(this.slots[slot]!, cur, width, r)) {
        // Past the list's limit the residual codes the cell, as it would a new one.
        if (plan.draws.length === CELL_LIST_MAX) continue;
        plan.draws.push({ slot, x: r.x, y: r.y });
        plan.drawn.push(r);
        continue;
      }
      const twin = keptNow.get(hash);
      if ((twin !== undefined && sameAt(twin, cur, width, r)) || plan.stores.length === CELL_STORES_MAX)
        continue;
      const cell = cellAt(cur, width, r, hash);
      keptNow.set(hash, cell);
      plan.stores.push({ x: r.x, y: r.y, width: r.width, height: r.height });
      plan.kept.push(cell);
    }
    return plan;
  }

  /** The frame was sent: its stores now fill their slots, as they do in the viewer. */
  commit(plan: CellPlan): void {
    for (const cell of plan.kept) {
      const old = this.slots[this.next];
      if (old !== undefined && this.byHash.get(old.hash) === this.next) this.byHash.delete(old.hash);
      this.slots[this.next] = cell;
      this.byHash.set(cell.hash, this.next);
      this.next = (this.next + 1) % CELL_SLOTS;
    }
  }
}

/** FNV-1a over the cell's size and RGB words, read in place. */
const hashAt = (cur: Uint32Array, width: number, r: Rect): number => {
  let hash = Math.imul(0x811c9dc5 ^ ((r.width << 8) | r.height), 0x01000193);
  for (let y = r.y; y < r.y + r.height; y++) {
    for (let i = y * width + r.x, end = i + r.width; i < end; i++)
      hash = Math.imul(hash ^ (cur[i]! & 0xffffff), 0x01000193);
  }
  return hash >>> 0;
};

/** The cell's pixels, copied out, with their hash. */
const cellAt = (cur: Uint32Array, width: number, r: Rect, hash: number): Cell => {
  const pixels = new Uint32Array(r.width * r.height);
  for (let y = 0; y < r.height; y++) {
    for (let x = 0; x < r.width; x++) pixels[y * r.width + x] = cur[(r.y + y) * width + r.x + x]! & 0xffffff;
  }
  return { hash, width: r.width, height: r.height, pixels };
};

/** Whether `cell` is the picture's pixels at `r`. */
const sameAt = (cell: Cell, cur: Uint32Array, width: number, r: Rect): boolean => {
  if (cell.width !== r.width || cell.height !== r.height) return false;
  for (let y = 0; y < r.height; y++) {
    for (let x = 0; x < r.width; x++) {
      if (cell.pixels[y * r.width + x] !== (cur[(r.y + y) * width + r.x + x]! & 0xffffff)) return false;
    }
  }
  return true;
};
