// Turns candidate motions into COPY rectangles: verified whole tiles, merged, then widened to the exact moved edge.
import { Buffer } from "node:buffer";
import { blockRect, type CopyPayload, type Rect } from "../../protocol/frame/index.ts";
import type { ChangedScreen } from "./changedScreen.ts";
import type { Motion } from "./motionVotes.ts";

export interface VerifyInput extends ChangedScreen {
  /** What the viewer holds: the previous frame after any lossy step. */
  readonly ref: Uint32Array;
  /** Per tile: 0 = not copied, k = copied with motion k − 1 of `motions`; filled in here. */
  readonly assigned: Uint8Array;
}

/** Rows narrower than this are compared in JS; wider ones with one native memcmp each. */
const NATIVE_COMPARE_MIN_PX = 16;

const sameRect = (input: VerifyInput, x: number, y: number, w: number, h: number, m: Motion): boolean => {
  const { cur, ref, width } = input;
  const shift = m.dy * width + m.dx;
  if (w >= NATIVE_COMPARE_MIN_PX) {
    const a = bytesOf(cur);
    const b = bytesOf(ref);
    for (let row = y; row < y + h; row++) {
      const at = (row * width + x) * 4;
      if (a.compare(b, at - shift * 4, at - shift * 4 + w * 4, at, at + w * 4) !== 0) return false;
    }
    return true;
  }
  for (let row = y; row < y + h; row++) {
    const end = row * width + x + w;
    for (let i = row * width + x; i < end; i++) if (cur[i] !== ref[i - shift]) return false;
  }
  return true;
};

const views = new WeakMap<Uint32Array, Buffer>();
/** A Buffer over the same memory (cached per array), for native compares. */
const bytesOf = (words: Uint32Array): Buffer => {
  let view = views.get(words);
  if (view === undefined) {
    view = Buffer.from(words.buffer, words.byteOffset, words.byteLength);
    views.set(words, view);
  }
  return view;
};

/**
 * Marks each changed, not yet assigned tile that one of `motions` explains bit-exactly (the first that does); returns
 * how many. A run of such tiles along a tile row is first compared whole against the first motion — a scroll moves
 * whole rows of text tiles, and one memcmp a pixel row instead of one per tile was most of the verification's time —
 * and tile by tile only when that fails.
 */
export const verifyMotions = (input: VerifyInput, motions: readonly Motion[], firstId: number): number => {
  const { grid, dirty, assigned } = input;
  const open = (t: number) => dirty[t] !== 0 && assigned[t] === 0;
  let found = 0;
  for (let ty = 0; ty < grid.rows; ty++) {
    const row = ty * grid.cols;
    for (let tx = 0; tx < grid.cols; tx++) {
      if (!open(row + tx)) continue;
      let end = tx + 1;
      while (end < grid.cols && open(row + end)) end++;
      if (end - tx > 1 && motions.length > 0 && explains(input, tx, ty, end - tx, motions[0]!)) {
        assigned.fill(firstId, row + tx, row + end);
        found += end - tx;
      } else {
        for (let t = row + tx; t < row + end; t++) found += verifyTile(input, t, motions, firstId);
      }
      tx = end - 1;
    }
  }
  return found;
};

/** Whether motion m explains the `n` tiles from (tx, ty) along their row, with their source on screen. */
const explains = (input: VerifyInput, tx: number, ty: number, n: number, m: Motion): boolean => {
  const { grid, width, height } = input;
  const r = blockRect(width, height, grid.tileSize, tx, ty, n, 1);
  const sx = r.x - m.dx;
  const sy = r.y - m.dy;
  if (sx < 0 || sy < 0 || sx + r.width > width || sy + r.height > height) return false;
  return sameRect(input, r.x, r.y, r.width, r.height, m);
};

/** Tile t alone: assigned the first of `motions` that explains it; 1 when one did. */
const verifyTile = (input: VerifyInput, t: number, motions: readonly Motion[], firstId: number): number => {
  const { grid } = input;
  for (let k = 0; k < motions.length; k++) {
    if (explains(input, t % grid.cols, Math.floor(t / grid.cols), 1, motions[k]!)) {
      input.assigned[t] = firstId + k;
      return 1;
    }
  }
  return 0;
};

/**
 * Merges assigned tiles into rectangles of tiles sharing one motion (grow right, then down while the
 * whole row matches), then widens each rectangle pixel by pixel over the partly moved tiles around it.
 * `motionOfId(id)` gives the motion behind an assignment id.
 */
export const planCopies = (input: VerifyInput, motionOfId: (id: number) => Motion): CopyPayload[] => {
  const { grid, assigned, width, height } = input;
  const { cols, rows, tileSize } = grid;
  const taken = new Uint8Array(cols * rows);
  const copies: CopyPayload[] = [];
  const free = (t: number, id: number) => assigned[t] === id && taken[t] === 0;
  for (let t = 0; t < cols * rows; t++) {
    const id = assigned[t]!;
    if (id === 0 || taken[t] !== 0) continue;
    const tx = t % cols;
    const ty = (t - tx) / cols;
    let w = 1;
    while (tx + w < cols && free(t + w, id)) w++;
    let h = 1;
    while (ty + h < rows && rowFree(t + h * cols, w, id, free)) h++;
    for (let j = 0; j < h; j++) taken.fill(1, t + j * cols, t + j * cols + w);
    const block = blockRect(width, height, tileSize, tx, ty, w, h);
    copies.push(widen(input, block, motionOfId(id), tileSize - 1));
  }
  return copies;
};

const rowFree = (from: number, w: number, id: number, free: (t: number, id: number) => boolean): boolean => {
  for (let i = 0; i < w; i++) if (!free(from + i, id)) return false;
  return true;
};

/**
 * How many pixel columns beside the rows [y, y + h) — left of column `x` (`step` −1), or from column `x` rightwards
 * (`step` 1) — equal the previous frame moved by m in every one of those rows, at most `maxPx`, sources on screen: as
 * many as widening one column at a time finds. Row by row, each row's strip first compared whole (one memcmp; beside
 * a scrolled piece of text it is the paper, which moved too), and the run cut short where a row stops matching: one
 * column at a time was most of a terminal scroll's copy planning.
 */
const columnsMoved = (
  input: VerifyInput,
  x: number,
  y: number,
  h: number,
  m: Motion,
  step: 1 | -1,
  maxPx: number,
) => {
  const { cur, ref, width, height } = input;
  if (y - m.dy < 0 || y + h - m.dy > height) return 0;
  const first = step < 0 ? x - 1 : x;
  // Columns c with c and its source c − dx on screen: [lo, hi]. The run from `first` stops at the first one outside.
  const lo = Math.max(0, m.dx);
  const hi = Math.min(width - 1, width - 1 + m.dx);
  if (first < lo || first > hi) return 0;
  let n = Math.min(maxPx, step < 0 ? first - lo + 1 : hi - first + 1);
  const shift = m.dy * width + m.dx;
  for (let row = y; row < y + h && n > 0; row++) {
    const at = row * width + first;
    const from = step < 0 ? at - n + 1 : at;
    if (n >= NATIVE_COMPARE_MIN_PX && sameRect(input, from - row * width, row, n, 1, m)) continue;
    let k = 0;
    while (k < n && cur[at + step * k] === ref[at + step * k - shift]) k++;
    n = k;
  }
  return n;
};

/** Pixel row y, columns [x, x + w), equals the previous frame moved by m (and the source is on screen). */
const rowMoved = (input: VerifyInput, x: number, y: number, w: number, m: Motion): boolean => {
  const sy = y - m.dy;
  if (y < 0 || y >= input.height || sy < 0 || sy >= input.height) return false;
  if (x - m.dx < 0 || x + w - m.dx > input.width) return false;
  return sameRect(input, x, y, w, 1, m);
};

/** Grows a verified rectangle by up to `maxPx` on each side while the moved pixels still match exactly. */
const widen = (input: VerifyInput, r: Rect, m: Motion, maxPx: number): CopyPayload => {
  let { x, y, width: w, height: h } = r;
  const left = columnsMoved(input, x, y, h, m, -1, maxPx);
  x -= left;
  w += left;
  w += columnsMoved(input, x + w, y, h, m, 1, maxPx);
  for (let n = 0; n < maxPx && rowMoved(input, x, y - 1, w, m); n++) {
    y--;
    h++;
  }
  for (let n = 0; n < maxPx && rowMoved(input, x, y + h, w, m); n++) h++;
  return { dstX: x, dstY: y, width: w, height: h, srcX: x - m.dx, srcY: y - m.dy };
};
