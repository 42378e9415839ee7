// PNG: an 8-bit RGB PNG of the tile through pngjs, tuned for speed (deflate level 1, no filter).

import { PNG } from "pngjs";
import { Encoding, TILE_SIZE_PX } from "../../protocol/frame/index.ts";
import { packRgb } from "./pixels.ts";
import type { TileEncoder } from "./tileEncoder.ts";

/**
 * Named pngjs settings: RGB in and out, fastest deflate, filter type 0 (None). The input is packed to RGB here
 * (`packRgb`, a word at a time): given RGBA, pngjs converts pixel by pixel, a quarter of a photo frame's encode time.
 */
export const PNG_WRITE_OPTIONS = {
  colorType: 2,
  inputColorType: 2,
  inputHasAlpha: false,
  bitDepth: 8,
  deflateLevel: 1,
  deflateStrategy: 0,
  filterType: 0,
} as const;

export const createPngEncoder = (maxTileSizePx = TILE_SIZE_PX): TileEncoder => {
  const rgb = Buffer.from(new ArrayBuffer(maxTileSizePx * maxTileSizePx * 3 + 4)); // 4-aligned, as packRgb needs
  return {
    encoding: Encoding.PNG,
    encode: (tile) => {
      const { pixels, width, height } = tile;
      const data = rgb.subarray(0, packRgb(pixels, width * height, rgb));
      // pngjs's sync writer reads only width, height and data, so no 16 KiB PNG object is allocated.
      const meta = { width, height, data } as unknown as PNG;
      return PNG.sync.write(meta, PNG_WRITE_OPTIONS);
    },
  };
};
