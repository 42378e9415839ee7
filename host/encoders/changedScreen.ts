// What the copy and cell searches are handed about a frame: the screen's size and tiles, its pixels, and which
// tiles changed since the last frame.
import type { TileGrid } from "../../protocol/frame/index.ts";

export interface ChangedScreen {
  readonly width: number;
  readonly height: number;
  readonly grid: TileGrid;
  /** The frame being encoded. */
  readonly cur: Uint32Array;
  /** Per tile: non-zero where the frame differs from the last one. */
  readonly dirty: Uint8Array;
}
