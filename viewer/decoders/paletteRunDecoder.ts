// PALETTE_RUN_DEFLATE / PALETTE_RUN_LZ4: a run of tiles along a row, one palette, indices in one raw deflate stream
// (or one LZ4 block); 0 keeps the pixel. PALETTE_RUN_DEFLATED_PALETTE: the same, with the palette at the start of the
// deflate stream as per-channel differences. Inflated synchronously while drawing (the `BlockInflater`): a platform
// stream per record would cost more than the data.
import {
  decodeError,
  Encoding,
  type FrameDecodeError,
  paletteRowBytes,
  RUN_DEFLATED_PALETTE_STREAM_OFFSET,
  runBitsPerIndex,
  runIndexOffset,
  type TileRecord,
} from "../../protocol/frame/index.ts";
import type { BlockInflater } from "./blockInflater.ts";
import type { TileDecoder } from "./tileDecoder.ts";

/** Tiles the record covers along its row (the payload's first byte), or an error for an empty or zero run. */
export const runTiles = (record: TileRecord): number | FrameDecodeError => {
  const n = record.payload[0] ?? 0;
  return n > 0 ? n : decodeError("BadPayload", "a palette-run record must cover at least one tile");
};

type RunEncoding =
  | typeof Encoding.PALETTE_RUN_DEFLATE
  | typeof Encoding.PALETTE_RUN_LZ4
  | typeof Encoding.PALETTE_RUN_DEFLATED_PALETTE;

export const createPaletteRunDecoder = (encoding: RunEncoding, inflater: BlockInflater): TileDecoder => {
  /** The indices, exactly `size` bytes from the compressed ones; undefined when corrupt or of another size. */
  const unpack = (src: Uint8Array, size: number) =>
    encoding === Encoding.PALETTE_RUN_LZ4 ? inflater.lz4(src, size) : inflater.deflate(src, size);
  const palette = new Uint32Array(256);
  const inStream = encoding === Encoding.PALETTE_RUN_DEFLATED_PALETTE;
  return {
    encoding,
    needsReference: false,
    drawsOwnTile: true,
    tilesAlongRow: runTiles,
    draw: ({ record, rect, display }): FrameDecodeError | undefined => {
      const p = record.payload;
      const colours = p[1];
      const streamAt = inStream ? RUN_DEFLATED_PALETTE_STREAM_OFFSET : runIndexOffset(colours ?? 0);
      if (colours === undefined || p.length < streamAt)
        return decodeError("BadPayload", "palette-run head cut short");
      const bits = runBitsPerIndex(colours);
      const rowBytes = paletteRowBytes(rect.width, bits);
      const paletteBytes = inStream ? colours * 3 : 0;
      const size = paletteBytes + rowBytes * rect.height;
      const unpacked = unpack(p.subarray(streamAt), size);
      if (unpacked === undefined)
        return decodeError("BadPayload", `corrupt run indices (expected ${size} bytes)`);
      // Index 0 is "keep"; palette[k] is colour k, as the display's own words.
      if (inStream) {
        let r = 0;
        let g = 0;
        let b = 0;
        for (let k = 0; k < colours; k++) {
          r = (r + unpacked[k]!) & 0xff;
          g = (g + unpacked[colours + k]!) & 0xff;
          b = (b + unpacked[2 * colours + k]!) & 0xff;
          palette[k + 1] = display.wordOf(r, g, b);
        }
      } else {
        for (let k = 0; k < colours; k++)
          palette[k + 1] = display.wordOf(p[2 + k * 3]!, p[3 + k * 3]!, p[4 + k * 3]!);
      }
      const packed = unpacked.subarray(paletteBytes);
      const drawn =
        bits === 8
          ? display.putIndexed(rect, packed, palette, colours)
          : display.putPackedIndexed(rect, packed, bits, palette, colours);
      return drawn ? undefined : decodeError("BadPayload", "run index past the palette");
    },
  };
};
