// LZ4: packed RGB pixels as one raw LZ4 block; always possible, so it is the fallback.
import { Encoding, TILE_SIZE_PX } from "../../protocol/frame/index.ts";
import { compressBlock } from "./lz4Block.ts";
import { packRgb } from "./pixels.ts";
import type { TileEncoder } from "./tileEncoder.ts";

export const createLz4Encoder = (maxTileSizePx = TILE_SIZE_PX): TileEncoder => {
  const rgb = new Uint8Array(maxTileSizePx * maxTileSizePx * 3);
  return {
    encoding: Encoding.LZ4,
    encode: (tile) => {
      const bytes = packRgb(tile.pixels, tile.width * tile.height, rgb);
      return compressBlock(rgb.subarray(0, bytes));
    },
  };
};
