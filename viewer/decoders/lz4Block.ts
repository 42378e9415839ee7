// A pure-TS LZ4 raw-block decoder (no frame header), bounds-checked so corrupt input can never overrun.

/**
 * Decompresses one raw LZ4 block from `src` into `dst`. Returns true only when the block decodes
 * cleanly and fills exactly `expected` bytes of `dst`.
 */
export const decompressBlock = (src: Uint8Array, dst: Uint8Array, expected: number): boolean => {
  if (expected > dst.length) return false;
  let ip = 0;
  let op = 0;
  const end = src.length;
  while (ip < end) {
    const token = src[ip++]!;
    let literals = token >>> 4;
    if (literals === 15) {
      let b = 255;
      while (b === 255) {
        if (ip >= end) return false;
        b = src[ip++]!;
        literals += b;
      }
    }
    if (ip + literals > end || op + literals > expected) return false;
    if (literals > SHORT_COPY) dst.set(src.subarray(ip, ip + literals), op);
    else for (let i = 0; i < literals; i++) dst[op + i] = src[ip + i]!;
    ip += literals;
    op += literals;
    if (ip === end) break; // the last sequence has literals only
    if (ip + 2 > end) return false;
    const offset = src[ip]! | (src[ip + 1]! << 8);
    ip += 2;
    if (offset === 0 || offset > op) return false;
    let length = (token & 15) + 4;
    if ((token & 15) === 15) {
      let b = 255;
      while (b === 255) {
        if (ip >= end) return false;
        b = src[ip++]!;
        length += b;
      }
    }
    if (op + length > expected) return false;
    copyMatch(dst, op, offset, length);
    op += length;
  }
  return op === expected;
};

/** Runs up to this long are copied in a loop: a subarray or copyWithin call costs more than it saves. */
const SHORT_COPY = 32;

/** Copies a match; overlapping matches (offset < length) repeat the pattern byte by byte, as LZ4 means. */
const copyMatch = (dst: Uint8Array, op: number, offset: number, length: number): void => {
  const from = op - offset;
  if (offset >= length && length > SHORT_COPY) {
    dst.copyWithin(op, from, from + length);
    return;
  }
  for (let i = 0; i < length; i++) dst[op + i] = dst[from + i]!;
};
