// XOR_DELTA_LZ4: the tile XOR the viewer's previous tile, packed RGB, one raw LZ4 block (mostly zeros).
import { Encoding, TILE_SIZE_PX } from "../../protocol/frame/index.ts";
import { compressBlock } from "./lz4Block.ts";
import { packXorRgb } from "./pixels.ts";
import type { TileEncoder } from "./tileEncoder.ts";

export const createXorDeltaLz4Encoder = (maxTileSizePx = TILE_SIZE_PX): TileEncoder => {
  const rgb = new Uint8Array(maxTileSizePx * maxTileSizePx * 3);
  return {
    encoding: Encoding.XOR_DELTA_LZ4,
    encode: (tile) => {
      if (tile.previous === undefined) return undefined;
      const bytes = packXorRgb(tile.pixels, tile.previous, tile.width * tile.height, rgb);
      return compressBlock(rgb.subarray(0, bytes));
    },
  };
};
