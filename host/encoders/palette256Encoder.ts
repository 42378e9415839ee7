// PALETTE256 (R-V6): a tile with at most 256 colours as a palette plus bit-packed indices in one LZ4 block.
import {
  Encoding,
  PALETTE_MAX_ENTRIES,
  paletteBitsPerIndex,
  paletteIndexOffset,
  TILE_SIZE_PX,
} from "../../protocol/frame/index.ts";
import { ColourTable } from "./colourTable.ts";
import { packIndexRow, writePaletteRgb } from "./indexPacking.ts";
import { compressBlock } from "./lz4Block.ts";
import type { TileEncoder } from "./tileEncoder.ts";

/**
 * Lossless by itself: it only fires when the tile already has ≤ 256 colours. In the 256-colour mode
 * the frame encoder quantises first, so that every tile qualifies.
 */
export const createPalette256Encoder = (maxTileSizePx = TILE_SIZE_PX): TileEncoder => {
  const table = new ColourTable();
  const indices = new Uint8Array(maxTileSizePx * maxTileSizePx);
  const packed = new Uint8Array(maxTileSizePx * maxTileSizePx);
  return {
    encoding: Encoding.PALETTE256,
    encode: (tile) => {
      const { width, height } = tile;
      const entries = table.index(tile.pixels, width * height, indices, PALETTE_MAX_ENTRIES);
      if (entries < 0) return undefined;
      const bits = paletteBitsPerIndex(entries);
      let at = 0;
      for (let row = 0; row < height; row++)
        at += packIndexRow(indices, row * width, width, bits, packed, at);
      const block = compressBlock(packed.subarray(0, at));
      const head = paletteIndexOffset(entries);
      const out = new Uint8Array(head + block.length);
      out[0] = entries - 1;
      writePaletteRgb(table.colours, entries, out, 1);
      out.set(block, head);
      return out;
    },
  };
};
