// SOLID: a tile of one colour becomes three bytes.
import { Encoding } from "../../protocol/frame/index.ts";
import type { TileEncoder } from "./tileEncoder.ts";

/**
 * The colour as 0xBBGGRR when every pixel of `height` rows of `width` words, the first at `from` and each `stride`
 * after the one before, has it; else -1. The frame encoder reads tiles in place in the screen this way.
 */
export const solidColourIn = (
  px: Uint32Array,
  from: number,
  width: number,
  height: number,
  stride: number,
) => {
  const first = px[from]! & 0xffffff;
  for (let y = 0; y < height; y++) {
    const row = from + y * stride;
    for (let i = row; i < row + width; i++) if ((px[i]! & 0xffffff) !== first) return -1;
  }
  return first;
};

/** The SOLID payload of colour 0xBBGGRR. */
export const solidPayload = (c: number): Uint8Array => Uint8Array.of(c & 0xff, (c >>> 8) & 0xff, c >>> 16);

export const createSolidEncoder = (): TileEncoder => ({
  encoding: Encoding.SOLID,
  encode: (tile) => {
    const c = solidColourIn(tile.pixels, 0, tile.width, tile.height, tile.width);
    return c < 0 ? undefined : solidPayload(c);
  },
});
