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
export const packRgb = (src: Uint32Array, count: number, out: Uint8Array): number =>
  packRgbRows(src, 0, count, count, 1, out);

/**
 * `packRgb` of a tile read in place: `height` rows of `width` words, the first at `from`, `stride` apart, packed
 * one after the other. A row that starts 4-aligned in `out` goes a word at a time (every row, when `width` is a
 * multiple of 4).
 */
export const packRgbRows = (
  src: Uint32Array,
  from: number,
  stride: number,
  width: number,
  height: number,
  out: Uint8Array,
): number => {
  const words = new Uint32Array(out.buffer, out.byteOffset, out.byteLength >>> 2);
  let o = 0;
  for (let y = 0; y < height; y++) {
    let i = from + y * stride;
    const end = i + width;
    if ((o & 3) === 0) {
      let w = o >>> 2;
      for (; i + 4 <= end; i += 4) {
        const p1 = src[i + 1]!;
        const p2 = src[i + 2]!;
        words[w++] = (src[i]! & 0xffffff) | (p1 << 24);
        words[w++] = ((p1 >>> 8) & 0xffff) | (p2 << 16);
        words[w++] = ((p2 >>> 16) & 0xff) | (src[i + 3]! << 8);
      }
      o = w * 4;
    }
    for (; i < end; i++) {
      const p = src[i]!;
      out[o++] = p & 0xff;
      out[o++] = (p >>> 8) & 0xff;
      out[o++] = (p >>> 16) & 0xff;
    }
  }
  return o;
};

/** Packs `a XOR b` for `count` words into R, G, B bytes, like `packRgb`; returns the byte count. */
export const packXorRgb = (a: Uint32Array, b: Uint32Array, count: number, out: Uint8Array): number =>
  packXorRgbRows(a, b, 0, count, count, 1, out);

/** `packXorRgb` of a tile read in place in two screens of the same width, like `packRgbRows`. */
export const packXorRgbRows = (
  a: Uint32Array,
  b: Uint32Array,
  from: number,
  stride: number,
  width: number,
  height: number,
  out: Uint8Array,
): number => {
  const words = new Uint32Array(out.buffer, out.byteOffset, out.byteLength >>> 2);
  let o = 0;
  for (let y = 0; y < height; y++) {
    let i = from + y * stride;
    const end = i + width;
    if ((o & 3) === 0) {
      let w = o >>> 2;
      for (; i + 4 <= end; i += 4) {
        const p1 = a[i + 1]! ^ b[i + 1]!;
        const p2 = a[i + 2]! ^ b[i + 2]!;
        words[w++] = ((a[i]! ^ b[i]!) & 0xffffff) | (p1 << 24);
        words[w++] = ((p1 >>> 8) & 0xffff) | (p2 << 16);
        words[w++] = ((p2 >>> 16) & 0xff) | ((a[i + 3]! ^ b[i + 3]!) << 8);
      }
      o = w * 4;
    }
    for (; i < end; i++) {
      const p = a[i]! ^ b[i]!;
      out[o++] = p & 0xff;
      out[o++] = (p >>> 8) & 0xff;
      out[o++] = (p >>> 16) & 0xff;
    }
  }
  return o;
};

/** Pixels (of `samples` spread evenly) whose colour equals the previous frame's: a cheap guess at how much stayed. */
export const sampleSame = (
  a: Uint32Array,
  b: Uint32Array,
  width: number,
  height: number,
  samples: number,
): number => sampleSameRows(a, b, 0, width, width, height, samples);

/** `sampleSame` of a tile read in place, like `packRgbRows`: the same pixels as of the tile gathered. */
export const sampleSameRows = (
  a: Uint32Array,
  b: Uint32Array,
  from: number,
  stride: number,
  width: number,
  height: number,
  samples: number,
): number => {
  const count = width * height;
  // A step of whole rows would sample one column only (64 samples of a 64×64 tile: its first column); one pixel
  // more walks the samples across the columns.
  let step = Math.max(1, Math.floor(count / samples));
  if (width > 1 && step % width === 0) step++;
  let same = 0;
  for (let k = 0; k < count; k += step) {
    const x = k % width;
    const i = from + ((k - x) / width) * stride + x;
    if (((a[i]! ^ b[i]!) & 0xffffff) === 0) same++;
  }
  return same;
};
