// PALETTE256 (R-V6): a tile with at most 256 colours as a palette plus bit-packed indices in one LZ4 block.
import {
  Encoding,
  PALETTE_MAX_ENTRIES,
  paletteBitsPerIndex,
  paletteIndexOffset,
  paletteRowBytes,
  TILE_SIZE_PX,
} from "../../protocol/frame/index.ts";
import { ColourTable } from "./colourTable.ts";
import { compressBlock } from "./lz4Block.ts";
import type { TileEncoder } from "./tileEncoder.ts";

/** Packs one row of indices at `bits` per index, most significant first; returns bytes written. */
const packRow = (
  indices: Uint8Array,
  from: number,
  width: number,
  bits: number,
  out: Uint8Array,
  at: number,
) => {
  if (bits === 8) {
    out.set(indices.subarray(from, from + width), at);
    return width;
  }
  const perByte = 8 / bits;
  const bytes = paletteRowBytes(width, bits);
  for (let b = 0; b < bytes; b++) {
    let v = 0;
    for (let k = 0; k < perByte; k++) {
      const x = b * perByte + k;
      v = (v << bits) | (x < width ? indices[from + x]! : 0);
    }
    out[at + b] = v;
  }
  return bytes;
};

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
      for (let row = 0; row < height; row++) at += packRow(indices, row * width, width, bits, packed, at);
      const block = compressBlock(packed.subarray(0, at));
      const head = paletteIndexOffset(entries);
      const out = new Uint8Array(head + block.length);
      out[0] = entries - 1;
      for (let i = 0; i < entries; i++) {
        const c = table.colours[i]!;
        out[1 + i * 3] = c & 0xff;
        out[2 + i * 3] = (c >>> 8) & 0xff;
        out[3 + i * 3] = (c >>> 16) & 0xff;
      }
      out.set(block, head);
      return out;
    },
  };
};
