// What the viewer holds in a tile once this frame's COPY rectangles (and cells) are drawn: the reference for residuals.
import type { CopyPayload, Rect } from "../../protocol/frame/index.ts";

/**
 * Where a COPY rectangle reaches into a tile, the viewer will already hold the current pixels there
 * (copies are verified exact), so the tile's reference takes them from `tile` itself. Returns whether
 * any copy reached the tile.
 */
export const overlayCopies = (
  copies: readonly Pick<CopyPayload, "dstX" | "dstY" | "width" | "height">[],
  rect: Rect,
  tile: Uint32Array,
  previous: Uint32Array,
) => {
  let touched = false;
  for (const c of copies) {
    const x0 = Math.max(rect.x, c.dstX);
    const x1 = Math.min(rect.x + rect.width, c.dstX + c.width);
    const y0 = Math.max(rect.y, c.dstY);
    const y1 = Math.min(rect.y + rect.height, c.dstY + c.height);
    for (let y = y0; y < y1 && x0 < x1; y++) {
      const from = (y - rect.y) * rect.width + (x0 - rect.x);
      previous.set(tile.subarray(from, from + x1 - x0), from);
      touched = true;
    }
  }
  return touched;
};

/** Same colour in every pixel (alpha ignored). */
export const sameWords = (a: Uint32Array, b: Uint32Array, count: number): boolean => {
  for (let i = 0; i < count; i++) if (((a[i]! ^ b[i]!) & 0xffffff) !== 0) return false;
  return true;
};
