// Change detection: which 64×64 tiles differ from the previous frame, comparing 32-bit words with early exit.
import { blockRect, type TileGrid } from "../../protocol/frame/index.ts";

const tileDiffers = (
  cur: Uint32Array,
  prev: Uint32Array,
  width: number,
  x: number,
  y: number,
  w: number,
  h: number,
) => {
  for (let row = y; row < y + h; row++) {
    const end = row * width + x + w;
    for (let i = row * width + x; i < end; i++) if (cur[i] !== prev[i]) return true;
  }
  return false;
};

/**
 * Sets `dirty[ty * cols + tx]` to 1 for every tile where `cur` differs from `prev` (0 elsewhere) and
 * returns how many did.
 */
export const diffTiles = (
  cur: Uint32Array,
  prev: Uint32Array,
  width: number,
  height: number,
  grid: TileGrid,
  dirty: Uint8Array,
): number => {
  let count = 0;
  for (let ty = 0; ty < grid.rows; ty++) {
    for (let tx = 0; tx < grid.cols; tx++) {
      const r = blockRect(width, height, grid.tileSize, tx, ty);
      const changed = tileDiffers(cur, prev, width, r.x, r.y, r.width, r.height);
      dirty[ty * grid.cols + tx] = changed ? 1 : 0;
      if (changed) count++;
    }
  }
  return count;
};
