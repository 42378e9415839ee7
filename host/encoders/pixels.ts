// Pixel plumbing for encoders: gather a tile into contiguous words and pack words into RGB bytes.
import type { Rect } from "../../protocol/frame/index.ts";

/** Encoders read RGBA words as 0xAABBGGRR, which needs a little-endian host (all Node targets are). */
export const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;
if (!LITTLE_ENDIAN) throw new Error("host encoders need a little-endian machine");

/**
 * Copies the `rect` of a `screenWidth`-wide screen into `out` row after row; returns the pixel count.
 * A plain loop: a subarray per row costs as much in garbage as it saves in copying.
 */
export const gatherTile = (src: Uint32Array, screenWidth: number, rect: Rect, out: Uint32Array): number => {
  let o = 0;
  for (let row = 0; row < rect.height; row++) {
    const from = (rect.y + row) * screenWidth + rect.x;
    for (let i = from; i < from + rect.width; i++) out[o++] = src[i]!;
  }
  return o;
};

/** Copies `rect` from one screen to another of the same width. */
export const copyRect = (src: Uint32Array, dst: Uint32Array, screenWidth: number, rect: Rect): void => {
  for (let row = rect.y; row < rect.y + rect.height; row++) {
    const from = row * screenWidth + rect.x;
    dst.set(src.subarray(from, from + rect.width), from);
  }
};

// The two packers are written out twice on purpose: one shared loop with an optional mask runs 2× slower.

/**
 * Packs `count` RGBA words into R, G, B bytes (alpha dropped); returns the byte count. Four pixels
 * become three little-endian words, so `out` must start 4-aligned.
 */
export const packRgb = (src: Uint32Array, count: number, out: Uint8Array): number => {
  const words = new Uint32Array(out.buffer, out.byteOffset, out.byteLength >>> 2);
  const quads = count >>> 2;
  let w = 0;
  let i = 0;
  for (let q = 0; q < quads; q++, i += 4) {
    const p1 = src[i + 1]!;
    const p2 = src[i + 2]!;
    words[w++] = (src[i]! & 0xffffff) | (p1 << 24);
    words[w++] = ((p1 >>> 8) & 0xffff) | (p2 << 16);
    words[w++] = ((p2 >>> 16) & 0xff) | (src[i + 3]! << 8);
  }
  let o = w * 4;
  for (; i < count; i++) {
    const p = src[i]!;
    out[o++] = p & 0xff;
    out[o++] = (p >>> 8) & 0xff;
    out[o++] = (p >>> 16) & 0xff;
  }
  return o;
};

/** Packs `a XOR b` for `count` words into R, G, B bytes, like `packRgb`; returns the byte count. */
export const packXorRgb = (a: Uint32Array, b: Uint32Array, count: number, out: Uint8Array): number => {
  const words = new Uint32Array(out.buffer, out.byteOffset, out.byteLength >>> 2);
  const quads = count >>> 2;
  let w = 0;
  let i = 0;
  for (let q = 0; q < quads; q++, i += 4) {
    const p1 = a[i + 1]! ^ b[i + 1]!;
    const p2 = a[i + 2]! ^ b[i + 2]!;
    words[w++] = ((a[i]! ^ b[i]!) & 0xffffff) | (p1 << 24);
    words[w++] = ((p1 >>> 8) & 0xffff) | (p2 << 16);
    words[w++] = ((p2 >>> 16) & 0xff) | ((a[i + 3]! ^ b[i + 3]!) << 8);
  }
  let o = w * 4;
  for (; i < count; i++) {
    const p = a[i]! ^ b[i]!;
    out[o++] = p & 0xff;
    out[o++] = (p >>> 8) & 0xff;
    out[o++] = (p >>> 16) & 0xff;
  }
  return o;
};

/** Pixels (of `samples` spread evenly) whose colour equals the previous frame's: a cheap guess at how much stayed. */
export const sampleSame = (a: Uint32Array, b: Uint32Array, count: number, samples: number): number => {
  const step = Math.max(1, Math.floor(count / samples));
  let same = 0;
  for (let i = 0; i < count; i += step) if (((a[i]! ^ b[i]!) & 0xffffff) === 0) same++;
  return same;
};
