// SOLID: a tile of one colour becomes three bytes.
import { Encoding } from "../../protocol/frame/index.ts";
import type { TileEncoder, TileInput } from "./tileEncoder.ts";

/** The tile's colour as 0xBBGGRR when every pixel has it, else -1. */
export const solidColour = (tile: TileInput): number => {
  const px = tile.pixels;
  const count = tile.width * tile.height;
  const first = px[0]! & 0xffffff;
  for (let i = 1; i < count; i++) if ((px[i]! & 0xffffff) !== first) return -1;
  return first;
};

export const createSolidEncoder = (): TileEncoder => ({
  encoding: Encoding.SOLID,
  encode: (tile) => {
    const c = solidColour(tile);
    return c < 0 ? undefined : Uint8Array.of(c & 0xff, (c >>> 8) & 0xff, c >>> 16);
  },
});
