// PALETTE256 (R-V6): a palette of up to 256 RGB colours and bit-packed indices in one raw LZ4 block.
import {
  decodeError,
  Encoding,
  type FrameDecodeError,
  paletteBitsPerIndex,
  paletteIndexOffset,
  paletteRowBytes,
  type Rect,
} from "../../protocol/frame/index.ts";
import { decompressBlock } from "./lz4Block.ts";
import { Scratch } from "./scratch.ts";
import type { TileDecoder } from "./tileDecoder.ts";

/** Expands packed index rows into RGB; false when an index points past the palette. */
const expand = (
  packed: Uint8Array,
  rect: Rect,
  entries: number,
  palette: Uint8Array,
  rgb: Uint8Array,
): boolean => {
  const bits = paletteBitsPerIndex(entries);
  const rowBytes = paletteRowBytes(rect.width, bits);
  const mask = (1 << bits) - 1;
  let o = 0;
  for (let y = 0; y < rect.height; y++) {
    for (let x = 0; x < rect.width; x++) {
      const bit = x * bits;
      const index = (packed[y * rowBytes + (bit >>> 3)]! >>> (8 - bits - (bit & 7))) & mask;
      if (index >= entries) return false;
      rgb[o++] = palette[index * 3]!;
      rgb[o++] = palette[index * 3 + 1]!;
      rgb[o++] = palette[index * 3 + 2]!;
    }
  }
  return true;
};

export const createPalette256Decoder = (): TileDecoder => {
  const packedScratch = new Scratch();
  const rgbScratch = new Scratch();
  return {
    encoding: Encoding.PALETTE256,
    needsReference: false,
    drawsOwnTile: true,
    draw: ({ record, rect, display }): FrameDecodeError | undefined => {
      const p = record.payload;
      if (p.length < 1) return decodeError("BadPayload", "empty PALETTE256 payload");
      const entries = p[0]! + 1;
      const head = paletteIndexOffset(entries);
      if (p.length < head) return decodeError("BadPayload", `palette of ${entries} colours cut short`);
      const size = rect.height * paletteRowBytes(rect.width, paletteBitsPerIndex(entries));
      const packed = packedScratch.get(size);
      if (!decompressBlock(p.subarray(head), packed, size))
        return decodeError("BadPayload", "corrupt palette indices");
      const rgb = rgbScratch.get(rect.width * rect.height * 3);
      if (!expand(packed, rect, entries, p.subarray(1, head), rgb)) {
        return decodeError("BadPayload", "palette index past the palette");
      }
      display.putRgb(rect, rgb);
      return undefined;
    },
  };
};
