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
import type { BlockInflater } from "./blockInflater.ts";
import { unpackIndexRows } from "./indexRows.ts";
import { Scratch } from "./scratch.ts";
import type { TileDecoder } from "./tileDecoder.ts";

/** Expands index rows into RGB; false when an index points past the palette. */
const expand = (
  packed: Uint8Array,
  rect: Rect,
  entries: number,
  palette: Uint8Array,
  indices: Uint8Array,
  rgb: Uint8Array,
): boolean => {
  const bits = paletteBitsPerIndex(entries);
  const unpacked = bits === 8 ? packed : unpackIndexRows(packed, rect, bits, indices);
  let o = 0;
  for (let i = 0; i < rect.width * rect.height; i++) {
    const index = unpacked[i]!;
    if (index >= entries) return false;
    rgb[o++] = palette[index * 3]!;
    rgb[o++] = palette[index * 3 + 1]!;
    rgb[o++] = palette[index * 3 + 2]!;
  }
  return true;
};

export const createPalette256Decoder = (inflater: BlockInflater): TileDecoder => {
  const rgbScratch = new Scratch();
  const indexScratch = new Scratch();
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
      const packed = inflater.lz4(p.subarray(head), size);
      if (packed === undefined) return decodeError("BadPayload", "corrupt palette indices");
      const rgb = rgbScratch.get(rect.width * rect.height * 3);
      const indices = indexScratch.get(rect.width * rect.height);
      if (!expand(packed, rect, entries, p.subarray(1, head), indices, rgb)) {
        return decodeError("BadPayload", "palette index past the palette");
      }
      display.putRgb(rect, rgb);
      return undefined;
    },
  };
};
