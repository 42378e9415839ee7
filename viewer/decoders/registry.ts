// One tile decoder per wire number: the registry the frame decoder looks decoders up in.
import { Encoding } from "../../protocol/frame/index.ts";
import { type BlockInflater, createTsInflater } from "./blockInflater.ts";
import { createCellDecoders } from "./cellDecoders.ts";
import { createCopyDecoder } from "./copyDecoder.ts";
import { createLz4Decoder } from "./lz4Decoder.ts";
import { createPalette256Decoder } from "./palette256Decoder.ts";
import { createPaletteRunDecoder } from "./paletteRunDecoder.ts";
import { createPngDecoder } from "./pngDecoder.ts";
import { createSolidDecoder } from "./solidDecoder.ts";
import type { TileDecoder } from "./tileDecoder.ts";
import { createXorDeltaLz4Decoder } from "./xorDeltaLz4Decoder.ts";

/** Keyed by the wire table, so a new encoding that has no decoder fails to compile. */
export type TileDecoders = { readonly [E in Encoding]: TileDecoder };

export interface DecoderOptions {
  /** What every decoder inflates its LZ4 blocks and deflate streams with; the pure-TS one unless WebAssembly is injected. */
  readonly inflater?: BlockInflater;
}

export const createTileDecoders = (options: DecoderOptions = {}): TileDecoders => {
  const inflater = options.inflater ?? createTsInflater();
  const cells = createCellDecoders(inflater);
  return {
    [Encoding.SOLID]: createSolidDecoder(),
    [Encoding.COPY]: createCopyDecoder(),
    [Encoding.XOR_DELTA_LZ4]: createXorDeltaLz4Decoder(inflater),
    [Encoding.LZ4]: createLz4Decoder(inflater),
    [Encoding.PNG]: createPngDecoder(inflater),
    [Encoding.PALETTE256]: createPalette256Decoder(inflater),
    [Encoding.PALETTE_RUN_DEFLATE]: createPaletteRunDecoder(Encoding.PALETTE_RUN_DEFLATE, inflater),
    [Encoding.PALETTE_RUN_LZ4]: createPaletteRunDecoder(Encoding.PALETTE_RUN_LZ4, inflater),
    [Encoding.PALETTE_RUN_DEFLATED_PALETTE]: createPaletteRunDecoder(
      Encoding.PALETTE_RUN_DEFLATED_PALETTE,
      inflater,
    ),
    [Encoding.CELL_DRAWS]: cells.draws,
    [Encoding.CELL_STORES]: cells.stores,
  };
};
