// Pixel plumbing for encoders: gather a tile into contiguous words and pack words into RGB bytes.
import type { Rect } from "../../protocol/frame/index.ts";

/** Encoders read RGBA words as 0xAABBGGRR, which needs a little-endian host (all Node targets are). */
export const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;
if (!LITTLE_ENDIAN) throw new Error("host encoders need a little-endian machine");

/** Copies the `rect` of a `screenWidth`-wide screen into `out` row after row; returns the pixel count. */
export const gatherTile = (src: Uint32Array, screenWidth: number, rect: Rect, out: Uint32Array): number => {
  for (let row = 0; row < rect.height; row++) {
    const from = (rect.y + row) * screenWidth + rect.x;
    out.set(src.subarray(from, from + rect.width), row * rect.width);
  }
  return rect.width * rect.height;
};

/** Copies `rect` from one screen to another of the same width. */
export const copyRect = (src: Uint32Array, dst: Uint32Array, screenWidth: number, rect: Rect): void => {
  for (let row = rect.y; row < rect.y + rect.height; row++) {
    const from = row * screenWidth + rect.x;
    dst.set(src.subarray(from, from + rect.width), from);
  }
};

/** Packs `count` RGBA words into R, G, B bytes (alpha dropped); returns the byte count. */
export const packRgb = (src: Uint32Array, count: number, out: Uint8Array): number => {
  let o = 0;
  for (let i = 0; i < count; i++) {
    const p = src[i]!;
    out[o++] = p & 0xff;
    out[o++] = (p >>> 8) & 0xff;
    out[o++] = (p >>> 16) & 0xff;
  }
  return o;
};

/** Packs `a XOR b` for `count` words into R, G, B bytes; returns the byte count. */
export const packXorRgb = (a: Uint32Array, b: Uint32Array, count: number, out: Uint8Array): number => {
  let o = 0;
  for (let i = 0; i < count; i++) {
    const p = a[i]! ^ b[i]!;
    out[o++] = p & 0xff;
    out[o++] = (p >>> 8) & 0xff;
    out[o++] = (p >>> 16) & 0xff;
  }
  return o;
};
