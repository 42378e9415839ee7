// Change detection: which tiles differ from the previous frame, by native memcmp over rows then bisecting to tiles.
import { Buffer } from "node:buffer";
import type { TileGrid } from "../../protocol/frame/index.ts";

/**
 * Sets `dirty[ty * cols + tx]` to 1 for every tile where `cur` differs from `prev` (0 elsewhere) and
 * returns how many did. Each pixel row is compared whole first (one memcmp, so an idle screen costs
 * ~1080 calls); a row that differs is bisected over the tiles not yet known to be dirty. Once a tile row has
 * dirty tiles, its later rows compare only the runs of tiles still clean.
 */
export const diffTiles = (
  cur: Uint32Array,
  prev: Uint32Array,
  width: number,
  height: number,
  grid: TileGrid,
  dirty: Uint8Array,
): number => {
  const a = Buffer.from(cur.buffer, cur.byteOffset, width * height * 4);
  const b = Buffer.from(prev.buffer, prev.byteOffset, width * height * 4);
  const { cols, tileSize } = grid;
  dirty.fill(0);
  let count = 0;
  for (let ty = 0; ty < grid.rows; ty++) {
    const rowDirty = dirty.subarray(ty * cols, (ty + 1) * cols);
    let clean = cols;
    const yEnd = Math.min(height, (ty + 1) * tileSize);
    for (let y = ty * tileSize; y < yEnd && clean > 0; y++) {
      const rowStart = y * width * 4;
      if (clean === cols) {
        if (a.compare(b, rowStart, rowStart + width * 4, rowStart, rowStart + width * 4) === 0) continue;
        clean -= bisect(a, b, rowStart, width, tileSize, rowDirty, 0, cols);
        continue;
      }
      // Once some tiles are known dirty, only the runs of the others are compared: the whole row would differ
      // beside a large redraw and be bisected down to every clean tile, row after row.
      let t = 0;
      while (t < cols) {
        if (rowDirty[t] !== 0) {
          t++;
          continue;
        }
        const t0 = t;
        while (t < cols && rowDirty[t] === 0) t++;
        clean -= bisect(a, b, rowStart, width, tileSize, rowDirty, t0, t);
      }
    }
    count += cols - clean;
  }
  return count;
};

/** Marks the tiles in [t0, t1) whose segment of this row differs; returns how many it newly marked. */
const bisect = (
  a: Buffer,
  b: Buffer,
  rowStart: number,
  width: number,
  tileSize: number,
  rowDirty: Uint8Array,
  t0: number,
  t1: number,
): number => {
  let allDirty = true;
  for (let t = t0; t < t1 && allDirty; t++) allDirty = rowDirty[t] === 1;
  if (allDirty) return 0;
  const from = rowStart + t0 * tileSize * 4;
  const to = rowStart + Math.min(width, t1 * tileSize) * 4;
  if (a.compare(b, from, to, from, to) === 0) return 0;
  if (t1 - t0 === 1) {
    rowDirty[t0] = 1;
    return 1;
  }
  const mid = (t0 + t1) >>> 1;
  return (
    bisect(a, b, rowStart, width, tileSize, rowDirty, t0, mid) +
    bisect(a, b, rowStart, width, tileSize, rowDirty, mid, t1)
  );
};
