// One tile decoder per wire number: the registry the frame decoder looks decoders up in.
import { Encoding } from "../../protocol/frame/index.ts";
import { type BlockInflater, createTsInflater } from "./blockInflater.ts";
import { createCellDecoders } from "./cellDecoders.ts";
import { createCopyDecoder } from "./copyDecoder.ts";
import { createLz4Decoder } from "./lz4Decoder.ts";
import { createPalette256Decoder } from "./palette256Decoder.ts";
import { createPaletteRunDecoder } from "./paletteRunDecoder.ts";
import { decodePng, type PngImageDecoder } from "./png/index.ts";
import { createPngDecoder } from "./pngDecoder.ts";
import { createSolidDecoder } from "./solidDecoder.ts";
import type { TileDecoder } from "./tileDecoder.ts";
import { createXorDeltaLz4Decoder } from "./xorDeltaLz4Decoder.ts";

/** Keyed by the wire table, so a new encoding that has no decoder fails to compile. */
export type TileDecoders = { readonly [E in Encoding]: TileDecoder };

export interface DecoderOptions {
  /** PNG image decoder; the pure-TS `decodePng` unless a bit-exact platform one is injected. */
  readonly png?: PngImageDecoder;
  /** LZ4 raw-block inflater shared by the LZ4-bearing decoders; the pure-TS one unless WebAssembly is injected. */
  readonly lz4?: BlockInflater;
}

export const createTileDecoders = (options: DecoderOptions = {}): TileDecoders => {
  const lz4 = options.lz4 ?? createTsInflater();
  const cells = createCellDecoders();
  return {
    [Encoding.SOLID]: createSolidDecoder(),
    [Encoding.COPY]: createCopyDecoder(),
    [Encoding.XOR_DELTA_LZ4]: createXorDeltaLz4Decoder(lz4),
    [Encoding.LZ4]: createLz4Decoder(lz4),
    [Encoding.PNG]: createPngDecoder(options.png ?? decodePng),
    [Encoding.PALETTE256]: createPalette256Decoder(lz4),
    [Encoding.PALETTE_RUN_DEFLATE]: createPaletteRunDecoder(Encoding.PALETTE_RUN_DEFLATE, lz4),
    [Encoding.PALETTE_RUN_LZ4]: createPaletteRunDecoder(Encoding.PALETTE_RUN_LZ4, lz4),
    [Encoding.PALETTE_RUN_DEFLATED_PALETTE]: createPaletteRunDecoder(
      Encoding.PALETTE_RUN_DEFLATED_PALETTE,
      lz4,
    ),
    [Encoding.CELL_DRAWS]: cells.draws,
    [Encoding.CELL_STORES]: cells.stores,
  };
};
