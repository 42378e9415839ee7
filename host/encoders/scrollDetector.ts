// Vertical scroll detection: within each tile column, changed rows vote for the offset their hash moved by.
import type { TileGrid } from "../../protocol/frame/index.ts";
import { ABSENT, AMBIGUOUS, type IntMap } from "./intMap.ts";
import { motionKey } from "./motionVotes.ts";
import { UNIFORM } from "./segmentHashes.ts";

export interface ScrollInput {
  readonly width: number;
  readonly height: number;
  readonly grid: TileGrid;
  /** Segment hashes of the previous and the current frame (current ones valid for dirty tiles). */
  readonly prev: Uint32Array;
  readonly cur: Uint32Array;
  readonly dirty: Uint8Array;
}

/**
 * Adds one vote per current row whose segment hash occurs exactly once among the previous frame's
 * changed rows of the same tile column, for the vector (0, dy) that would explain it. Only changed
 * tiles are searched: content that scrolled changed both where it left and where it arrived.
 */
export const voteScroll = (input: ScrollInput, rows: IntMap, votes: IntMap): void => {
  const { grid, prev, cur, width, height } = input;
  const { cols } = grid;
  for (let tx = 0; tx < cols; tx++) {
    rows.clear();
    forDirtyRows(input, tx, (y) => {
      const h = prev[y * cols + tx]!;
      if (h !== UNIFORM) rows.setUnique(h, y);
    });
    if (rows.size === 0) continue;
    forDirtyRows(input, tx, (y) => {
      const h = cur[y * cols + tx]!;
      if (h === UNIFORM) return;
      const from = rows.get(h);
      if (from !== ABSENT && from !== AMBIGUOUS && from !== y)
        votes.add(motionKey(0, y - from, width, height), 1);
    });
  }
};

const forDirtyRows = (input: ScrollInput, tx: number, fn: (y: number) => void): void => {
  const { grid, dirty, height } = input;
  for (let ty = 0; ty < grid.rows; ty++) {
    if (dirty[ty * grid.cols + tx] === 0) continue;
    const end = Math.min(height, (ty + 1) * grid.tileSize);
    for (let y = ty * grid.tileSize; y < end; y++) fn(y);
  }
};
