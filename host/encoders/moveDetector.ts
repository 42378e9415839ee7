// Moved-rectangle search: content-defined anchors from rolling row hashes, matched between frames, vote (dx, dy).
import type { TileGrid } from "../../protocol/frame/index.ts";
import { ABSENT, AMBIGUOUS, type IntMap } from "./intMap.ts";
import { motionKey } from "./motionVotes.ts";

/** Pixels in the rolling window; an anchor is the end of a window whose hash has its top 5 bits clear. */
const WINDOW_PX = 16;
const BASE = 0x01000193;
const BASE_POW = (() => {
  let p = 1;
  for (let i = 1; i < WINDOW_PX; i++) p = Math.imul(p, BASE);
  return p;
})();
const isAnchor = (h: number): boolean => h >>> 27 === 0;

export interface MoveInput {
  readonly width: number;
  readonly height: number;
  readonly grid: TileGrid;
  readonly prev: Uint32Array;
  readonly cur: Uint32Array;
  /** Tiles of the previous frame to index (the changed ones: moved content left from there). */
  readonly prevRegion: Uint8Array;
  /** Tiles of the current frame to look up (changed ones not yet explained by a scroll). */
  readonly curRegion: Uint8Array;
  /** The previous frame is indexed on every n-th row (y % n = 0). */
  readonly indexRowStride: number;
  /**
   * The current frame is looked up on blocks of `indexRowStride` consecutive rows, one block per this
   * many rows on average: for any vertical offset one row of a block lands on an indexed row.
   */
  readonly lookupRowPeriod: number;
}

type AnchorSink = (hash: number, x: number, y: number) => void;

/**
 * Anchors depend only on content, so a window that moved by (dx, dy) carries its anchors along: each
 * current anchor whose hash is unique among the previous frame's anchors votes for its displacement.
 */
export const voteMoves = (input: MoveInput, anchors: IntMap, votes: IntMap): void => {
  const { width, height } = input;
  anchors.clear();
  const { indexRowStride: stride, lookupRowPeriod: period } = input;
  const indexed = (y: number) => y % stride === 0;
  scanAnchors(input.prev, input, input.prevRegion, indexed, (h, x, y) => anchors.setUnique(h, y * width + x));
  if (anchors.size === 0) return;
  // Whole blocks of `stride` rows, picked pseudo-randomly: a regular pattern aliases with text whose line
  // pitch shares its period, and then every looked-up row can fall between the lines.
  const blocksPerPick = Math.max(1, Math.round(period / stride));
  const looked = (y: number) =>
    (Math.imul(Math.floor(y / stride) + 1, 0x9e3779b1) >>> 16) % blocksPerPick === 0;
  scanAnchors(input.cur, input, input.curRegion, looked, (h, x, y) => {
    const at = anchors.get(h);
    if (at === ABSENT || at === AMBIGUOUS) return;
    const px = at % width;
    const dx = x - px;
    const dy = y - (at - px) / width;
    if (dx !== 0 || dy !== 0) votes.add(motionKey(dx, dy, width, height), 1);
  });
};

/** Walks each horizontal run of region tiles row by row with a rolling hash, reporting anchors. */
const scanAnchors = (
  px: Uint32Array,
  input: MoveInput,
  region: Uint8Array,
  sampled: (y: number) => boolean,
  emit: AnchorSink,
) => {
  const { width, height, grid } = input;
  const { cols, tileSize } = grid;
  for (let ty = 0; ty < grid.rows; ty++) {
    let tx = 0;
    while (tx < cols) {
      if (region[ty * cols + tx] === 0) {
        tx++;
        continue;
      }
      const runStart = tx;
      while (tx < cols && region[ty * cols + tx] !== 0) tx++;
      const x0 = runStart * tileSize;
      const x1 = Math.min(width, tx * tileSize);
      const y1 = Math.min(height, (ty + 1) * tileSize);
      for (let y = ty * tileSize; y < y1; y++) if (sampled(y)) scanRow(px, y * width, x0, x1, y, emit);
    }
  }
};

/**
 * One row's anchors. The first window is filled before the loop that slides it, and whether a window is all one
 * colour is checked only at the rare positions whose hash is an anchor: the hot loop is a load, two multiplies and a
 * test per pixel.
 */
const scanRow = (px: Uint32Array, rowStart: number, x0: number, x1: number, y: number, emit: AnchorSink) => {
  const from = rowStart + x0;
  const end = rowStart + x1;
  if (end - from < WINDOW_PX) return;
  let h = 0;
  for (let i = from; i < from + WINDOW_PX; i++) h = (Math.imul(h, BASE) + (px[i]! & 0xffffff)) | 0;
  if (isAnchor(h) && !oneColour(px, from + WINDOW_PX - 1)) emit(h >>> 0, x0 + WINDOW_PX - 1, y);
  for (let i = from + WINDOW_PX; i < end; i++) {
    h = (h - Math.imul(px[i - WINDOW_PX]! & 0xffffff, BASE_POW)) | 0;
    h = (Math.imul(h, BASE) + (px[i]! & 0xffffff)) | 0;
    // A window of one colour is everywhere; it could only ever be ambiguous.
    if (isAnchor(h) && !oneColour(px, i)) emit(h >>> 0, i - rowStart, y);
  }
};

/** Whether the window ending at `last` is all one colour. */
const oneColour = (px: Uint32Array, last: number): boolean => {
  const c = px[last]! & 0xffffff;
  for (let i = last - WINDOW_PX + 1; i < last; i++) if ((px[i]! & 0xffffff) !== c) return false;
  return true;
};
