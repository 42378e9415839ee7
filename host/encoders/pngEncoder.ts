// PNG: an 8-bit RGB PNG of the tile through pngjs, tuned for speed (deflate level 1, no filter).

import { PNG } from "pngjs";
import { Encoding } from "../../protocol/frame/index.ts";
import type { TileEncoder } from "./tileEncoder.ts";

/** Named pngjs settings: RGB out (alpha dropped), fastest deflate, filter type 0 (None). */
export const PNG_WRITE_OPTIONS = {
  colorType: 2,
  inputColorType: 6,
  inputHasAlpha: true,
  bitDepth: 8,
  deflateLevel: 1,
  deflateStrategy: 0,
  filterType: 0,
} as const;

export const createPngEncoder = (): TileEncoder => ({
  encoding: Encoding.PNG,
  encode: (tile) => {
    const { pixels, width, height } = tile;
    const data = Buffer.from(pixels.buffer, pixels.byteOffset, width * height * 4);
    // pngjs's sync writer reads only width, height and data, so no 16 KiB PNG object is allocated.
    const meta = { width, height, data } as unknown as PNG;
    return PNG.sync.write(meta, PNG_WRITE_OPTIONS);
  },
});
