// PALETTE_RUN_DEFLATE / PALETTE_RUN_LZ4: a run of tiles along a row, one palette, indices in one raw deflate stream
// (or one LZ4 block); 0 keeps the pixel. Inflated synchronously while drawing (inflateRaw.ts): a stream per record
// would cost more than the data.
import {
  decodeError,
  Encoding,
  type FrameDecodeError,
  paletteRowBytes,
  runBitsPerIndex,
  runIndexOffset,
  type TileRecord,
} from "../../protocol/frame/index.ts";
import { inflateRawInto } from "./inflateRaw.ts";
import { decompressBlock } from "./lz4Block.ts";
import { Scratch } from "./scratch.ts";
import type { TileDecoder } from "./tileDecoder.ts";

/** Tiles the record covers along its row (the payload's first byte), or an error for an empty or zero run. */
export const runTiles = (record: TileRecord): number | FrameDecodeError => {
  const n = record.payload[0] ?? 0;
  return n > 0 ? n : decodeError("BadPayload", "a palette-run record must cover at least one tile");
};

type RunEncoding = typeof Encoding.PALETTE_RUN_DEFLATE | typeof Encoding.PALETTE_RUN_LZ4;

/** Fills `out` exactly from the compressed indices; false when they are corrupt or of another size. */
const unpackers: Record<RunEncoding, (src: Uint8Array, out: Uint8Array) => boolean> = {
  [Encoding.PALETTE_RUN_DEFLATE]: (src, out) => inflateRawInto(src, out) === out.length,
  [Encoding.PALETTE_RUN_LZ4]: (src, out) => decompressBlock(src, out, out.length),
};

export const createPaletteRunDecoder = (encoding: RunEncoding): TileDecoder => {
  const unpack = unpackers[encoding];
  const palette = new Uint32Array(256);
  const scratch = new Scratch();
  return {
    encoding,
    needsReference: false,
    drawsOwnTile: true,
    tilesAlongRow: runTiles,
    draw: ({ record, rect, display }): FrameDecodeError | undefined => {
      const p = record.payload;
      const colours = p[1];
      if (colours === undefined || p.length < runIndexOffset(colours))
        return decodeError("BadPayload", "palette-run head cut short");
      const bits = runBitsPerIndex(colours);
      const rowBytes = paletteRowBytes(rect.width, bits);
      const size = rowBytes * rect.height;
      const packed = scratch.get(size);
      if (!unpack(p.subarray(runIndexOffset(colours)), packed))
        return decodeError("BadPayload", `corrupt run indices (expected ${size} bytes)`);
      // Index 0 is "keep"; palette[k] is colour k, as the display's own words.
      for (let k = 0; k < colours; k++)
        palette[k + 1] = display.wordOf(p[2 + k * 3]!, p[3 + k * 3]!, p[4 + k * 3]!);
      const drawn =
        bits === 8
          ? display.putIndexed(rect, packed, palette, colours)
          : display.putPackedIndexed(rect, packed, bits, palette, colours);
      return drawn ? undefined : decodeError("BadPayload", "run index past the palette");
    },
  };
};
