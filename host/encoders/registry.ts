// One tile encoder per wire number: the registry the frame encoder looks encoders up in.
import { Encoding, TILE_SIZE_PX } from "../../protocol/frame/index.ts";
import { createCopyEncoder } from "./copyEncoder.ts";
import { createLz4Encoder } from "./lz4Encoder.ts";
import { createPalette256Encoder } from "./palette256Encoder.ts";
import { createPaletteRunEncoder } from "./paletteRunEncoder.ts";
import { createPngEncoder } from "./pngEncoder.ts";
import { createSolidEncoder } from "./solidEncoder.ts";
import type { TileEncoder } from "./tileEncoder.ts";
import { createXorDeltaLz4Encoder } from "./xorDeltaLz4Encoder.ts";

/** The encodings of one tile's (or one run's) pixels; the cell lists are the frame encoder's own (`cellCache.ts`). */
export type TileEncoding = Exclude<Encoding, typeof Encoding.CELL_DRAWS | typeof Encoding.CELL_STORES>;

/** Keyed by the wire table, so a new tile encoding that has no encoder fails to compile. */
export type TileEncoders = { readonly [E in TileEncoding]: TileEncoder };

/** Fresh encoders for one tile size, with their own scratch memory (one set per frame encoder, never shared). */
export const createTileEncoders = (tileSizePx = TILE_SIZE_PX): TileEncoders => ({
  [Encoding.SOLID]: createSolidEncoder(),
  [Encoding.COPY]: createCopyEncoder(tileSizePx),
  [Encoding.XOR_DELTA_LZ4]: createXorDeltaLz4Encoder(tileSizePx),
  [Encoding.LZ4]: createLz4Encoder(tileSizePx),
  [Encoding.PNG]: createPngEncoder(tileSizePx),
  [Encoding.PALETTE256]: createPalette256Encoder(tileSizePx),
  [Encoding.PALETTE_RUN_DEFLATE]: createPaletteRunEncoder(tileSizePx, Encoding.PALETTE_RUN_DEFLATE),
  [Encoding.PALETTE_RUN_LZ4]: createPaletteRunEncoder(tileSizePx, Encoding.PALETTE_RUN_LZ4),
  [Encoding.PALETTE_RUN_DEFLATED_PALETTE]: createPaletteRunEncoder(
    tileSizePx,
    Encoding.PALETTE_RUN_DEFLATED_PALETTE,
  ),
});
