// Index rows as the two palette encodings pack them (1, 2, 4 or 8 bits, most significant first, each row padded to a
// whole byte), unpacked to one byte an index.
import { paletteRowBytes, type Rect } from "../../protocol/frame/index.ts";

export const unpackIndexRows = (
  packed: Uint8Array,
  rect: Rect,
  bits: number,
  out: Uint8Array,
): Uint8Array => {
  const rowBytes = paletteRowBytes(rect.width, bits);
  const mask = (1 << bits) - 1;
  let o = 0;
  for (let y = 0; y < rect.height; y++) {
    for (let x = 0; x < rect.width; x++) {
      const bit = x * bits;
      out[o++] = (packed[y * rowBytes + (bit >>> 3)]! >>> (8 - bits - (bit & 7))) & mask;
    }
  }
  return out;
};
