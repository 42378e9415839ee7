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

/**
 * Copies a match. Overlapping matches (offset < length) repeat the last `offset` bytes, as LZ4 means: a long one (a
 * run of background, in screen data) is one fill, or the pattern copied in doubling chunks, never byte by byte.
 */
const copyMatch = (dst: Uint8Array, op: number, offset: number, length: number): void => {
  const from = op - offset;
  if (length <= SHORT_COPY) {
    for (let i = 0; i < length; i++) dst[op + i] = dst[from + i]!;
  } else if (offset >= length) {
    dst.copyWithin(op, from, from + length);
  } else if (offset === 1) {
    dst.fill(dst[from]!, op, op + length);
  } else {
    // dst[from, op + done) repeats with period `offset`, and `done` stays a multiple of it until the last copy.
    for (let done = 0; done < length; ) {
      const n = Math.min(offset + done, length - done);
      dst.copyWithin(op + done, from, from + n);
      done += n;
    }
  }
};
