// What the two palette encodings (PALETTE256, PALETTE_RUN_DEFLATE) write alike: index rows packed to 1, 2, 4 or 8
// bits, most significant first, and the palette as R, G, B bytes.
import { paletteRowBytes } from "../../protocol/frame/index.ts";

/**
 * Packs `width` indices from `indices[from]` at `bits` each into `out[at…]`, each through `renumber` when given;
 * returns the bytes written.
 */
export const packIndexRow = (
  indices: Uint8Array,
  from: number,
  width: number,
  bits: number,
  out: Uint8Array,
  at: number,
  renumber?: Uint8Array,
): number => {
  if (bits === 8) {
    if (renumber === undefined) out.set(indices.subarray(from, from + width), at);
    else for (let x = 0; x < width; x++) out[at + x] = renumber[indices[from + x]!]!;
    return width;
  }
  const perByte = 8 / bits;
  const bytes = paletteRowBytes(width, bits);
  for (let b = 0; b < bytes; b++) {
    let v = 0;
    for (let k = 0; k < perByte; k++) {
      const x = b * perByte + k;
      const index = x < width ? indices[from + x]! : 0;
      v = (v << bits) | (renumber === undefined ? index : renumber[index]!);
    }
    out[at + b] = v;
  }
  return bytes;
};

/** Writes `count` colours (0xBBGGRR words) as R, G, B bytes from `out[at]`. */
export const writePaletteRgb = (colours: Int32Array, count: number, out: Uint8Array, at: number): void => {
  for (let i = 0; i < count; i++) {
    const c = colours[i]!;
    out[at + i * 3] = c & 0xff;
    out[at + i * 3 + 1] = (c >>> 8) & 0xff;
    out[at + i * 3 + 2] = (c >>> 16) & 0xff;
  }
};
