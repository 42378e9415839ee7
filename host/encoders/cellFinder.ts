// Finds glyph cells in the changed part of a frame: within each run of changed tiles along a tile row that has a plain
// background, the rectangles of "ink" (any other colour) that blank rows and columns separate, cut again and again
// (an X-Y cut) until no blank row or column splits them, each trimmed to its ink. On text that is one rectangle a
// glyph (or a few touching ones), the same pixels wherever the glyph comes again: what the cell cache refers to.
import { CELL_EDGE_MAX_PX, type Rect } from "../../protocol/frame/index.ts";
import type { ChangedScreen } from "./changedScreen.ts";

/** Pixels sampled to find a run's background; it must be the colour of at least half of them. */
const BACKGROUND_SAMPLES = 64;
const BACKGROUND_SHARE_MIN = 0.5;

export interface CellSearch extends ChangedScreen {
  /** Tiles the copies already bring up to date (searched no further). */
  readonly covered: Uint8Array | undefined;
}

/** Appends the cells of the changed tiles to `out`, at most CELL_EDGE_MAX_PX wide and high, and returns it. */
export const findCells = (input: CellSearch, out: Rect[] = []): Rect[] => {
  const { grid, dirty, covered, width, height } = input;
  const open = (t: number) => dirty[t] !== 0 && (covered === undefined || covered[t] === 0);
  for (let ty = 0; ty < grid.rows; ty++) {
    for (let tx = 0; tx < grid.cols; tx++) {
      if (!open(ty * grid.cols + tx)) continue;
      let end = tx + 1;
      while (end < grid.cols && open(ty * grid.cols + end)) end++;
      const region = {
        x0: tx * grid.tileSize,
        y0: ty * grid.tileSize,
        x1: Math.min(width, end * grid.tileSize),
        y1: Math.min(height, (ty + 1) * grid.tileSize),
      };
      // Backgrounds stack (a text area over a taskbar): each band between rows of one colour finds its own.
      for (const [y0, y1] of spans(
        region.y0,
        region.y1,
        (y) => !uniformRow(input.cur, width, y, region.x0, region.x1),
      )) {
        const band = { ...region, y0, y1 };
        const bg = background(input.cur, width, band);
        if (bg !== undefined) cut(input.cur, width, bg, band.x0, band.y0, band.x1, band.y1, out);
      }
      tx = end - 1;
    }
  }
  return out;
};

type Region = { x0: number; y0: number; x1: number; y1: number };

/** The colour of most of the region (sampled on a grid), or undefined when no colour is half of it. */
const background = (cur: Uint32Array, width: number, r: Region): number | undefined => {
  const side = Math.ceil(Math.sqrt(BACKGROUND_SAMPLES));
  const counts = new Map<number, number>();
  let best = 0;
  let bestCount = 0;
  for (let i = 0; i < side; i++) {
    const y = r.y0 + Math.floor(((i + 0.5) * (r.y1 - r.y0)) / side);
    for (let j = 0; j < side; j++) {
      const x = r.x0 + Math.floor(((j + 0.5) * (r.x1 - r.x0)) / side);
      const c = cur[y * width + x]! & 0xffffff;
      const n = (counts.get(c) ?? 0) + 1;
      counts.set(c, n);
      if (n > bestCount) [best, bestCount] = [c, n];
    }
  }
  return bestCount >= side * side * BACKGROUND_SHARE_MIN ? best : undefined;
};

/** Cuts [x0, x1) × [y0, y1) at its blank rows, else at its blank columns; a rectangle neither splits is a cell. */
const cut = (
  cur: Uint32Array,
  width: number,
  bg: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  out: Rect[],
): void => {
  const rowInk = (y: number) => inkInRow(cur, width, bg, y, x0, x1);
  const columnInk = (x: number) => inkInColumn(cur, width, bg, x, y0, y1);
  // Trimmed to its ink: nothing left means no cell.
  while (y0 < y1 && !rowInk(y0)) y0++;
  while (y1 > y0 && !rowInk(y1 - 1)) y1--;
  if (y0 === y1) return;
  while (x0 < x1 && !columnInk(x0)) x0++;
  while (x1 > x0 && !columnInk(x1 - 1)) x1--;
  const rows = spans(y0, y1, rowInk);
  if (rows.length > 1) {
    for (const [a, b] of rows) cut(cur, width, bg, x0, a, x1, b, out);
    return;
  }
  const columns = spans(x0, x1, columnInk);
  if (columns.length > 1) {
    for (const [a, b] of columns) cut(cur, width, bg, a, y0, b, y1, out);
    return;
  }
  // One colour throughout (a rule, a filled box) is no glyph: a run's palette codes it in a few bytes anyway.
  if (x1 - x0 <= CELL_EDGE_MAX_PX && y1 - y0 <= CELL_EDGE_MAX_PX && !uniform(cur, width, x0, y0, x1, y1)) {
    out.push({ x: x0, y: y0, width: x1 - x0, height: y1 - y0 });
  }
};

const uniformRow = (cur: Uint32Array, width: number, y: number, x0: number, x1: number): boolean =>
  uniform(cur, width, x0, y, x1, y + 1);

const uniform = (
  cur: Uint32Array,
  width: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
): boolean => {
  const first = cur[y0 * width + x0]! & 0xffffff;
  for (let y = y0; y < y1; y++) {
    for (let i = y * width + x0, end = y * width + x1; i < end; i++)
      if ((cur[i]! & 0xffffff) !== first) return false;
  }
  return true;
};

const inkInRow = (
  cur: Uint32Array,
  width: number,
  bg: number,
  y: number,
  x0: number,
  x1: number,
): boolean => {
  for (let i = y * width + x0, end = y * width + x1; i < end; i++)
    if ((cur[i]! & 0xffffff) !== bg) return true;
  return false;
};

const inkInColumn = (
  cur: Uint32Array,
  width: number,
  bg: number,
  x: number,
  y0: number,
  y1: number,
): boolean => {
  for (let i = y0 * width + x, end = y1 * width + x; i < end; i += width)
    if ((cur[i]! & 0xffffff) !== bg) return true;
  return false;
};

/** The maximal runs of [from, to) where `ink` holds. */
const spans = (from: number, to: number, ink: (i: number) => boolean): [number, number][] => {
  const found: [number, number][] = [];
  let start = -1;
  for (let i = from; i < to; i++) {
    if (ink(i)) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      found.push([start, i]);
      start = -1;
    }
  }
  if (start >= 0) found.push([start, to]);
  return found;
};
