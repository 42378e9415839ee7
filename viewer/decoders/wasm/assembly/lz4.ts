// AssemblyScript: the LZ4 raw-block decoder of ../../lz4Block.ts in WebAssembly (bulk memory, SIMD), same answers.
// Compiled from source by ../build.ts; the TS decoder stays the reference and the fallback.

/** Bytes a decode may write past `expected` (wild 16-byte copies) and read past the block's end. */
export const SLACK: usize = 32;

/** Reads an LZ4 length continuation (bytes of 255 and one less); -1 when the block ends first. */
@inline
function extraLength(ip: usize, end: usize, n: usize): u64 {
  let b: usize = 255;
  while (b == 255) {
    if (ip >= end) return <u64>-1;
    b = <usize>load<u8>(ip++);
    n += b;
  }
  return (<u64>ip << 32) | <u64>n;
}

/**
 * Decodes the block at [src, src + srcLength) into dst; true only when it decodes cleanly to exactly `expected`
 * bytes. Writes stay within [dst, dst + expected + SLACK); reads within [src, src + srcLength + SLACK).
 */
export function lz4(src: usize, srcLength: usize, dst: usize, expected: usize): bool {
  let ip = src;
  const end = src + srcLength;
  let op = dst;
  const limit = dst + expected;
  while (ip < end) {
    const token = <usize>load<u8>(ip++);
    let literals = token >> 4;
    if (literals == 15) {
      const r = extraLength(ip, end, literals);
      if (r == <u64>-1) return false;
      ip = <usize>(r >> 32);
      literals = <usize>(r & 0xffffffff);
    }
    if (literals > end - ip || literals > limit - op) return false;
    // Up to 32 literals (most of a photo's) as two wild 16-byte copies: memory.copy is a call.
    if (literals <= 32) {
      v128.store(op, v128.load(ip));
      v128.store(op, v128.load(ip, 16), 16);
    } else memory.copy(op, ip, literals);
    ip += literals;
    op += literals;
    if (ip == end) break; // the last sequence has literals only
    if (end - ip < 2) return false;
    const offset = <usize>load<u16>(ip);
    ip += 2;
    if (offset == 0 || offset > op - dst) return false;
    let length = (token & 15) + 4;
    if ((token & 15) == 15) {
      const r = extraLength(ip, end, length);
      if (r == <u64>-1) return false;
      ip = <usize>(r >> 32);
      length = <usize>(r & 0xffffffff);
    }
    if (length > limit - op) return false;
    copyMatch(op, offset, length);
    op += length;
  }
  return op == limit;
}

/** Row `offset` (1–15): lanes 0, 1, … offset − 1, 0, 1, … — a 16-byte window of a pattern repeating every `offset`. */
const PATTERN = memory.data<u8>([
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1,
  0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0,
  0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3,
  0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0,
  0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5, 0, 1, 2, 3,
  0, 1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4, 5, 6, 0, 1,
  0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7,
  0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 1, 2, 3, 4, 5, 6,
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5,
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0, 1, 2, 3, 4,
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0, 1, 2, 3,
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0, 1, 2,
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 0, 1,
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 0,
])

/** For `offset` 1–15: the most whole periods that fit 16 bytes, in bytes (16 − 16 % offset). */
const STEP = memory.data<u8>([16, 16, 16, 15, 16, 15, 12, 14, 16, 9, 10, 11, 12, 13, 14, 15]);

/**
 * A match (LZ4's, deflate's): the `length` bytes from `offset` back, repeating the last `offset` bytes when they
 * overlap. May write up to 15 bytes past the match and read up to 16 past its source. Exported for inflate.ts (which
 * makes it a module export too, unused by JS).
 */
@inline
export function copyMatch(op: usize, offset: usize, length: usize): void {
  let from = op - offset;
  const stop = op + length;
  if (offset >= 16) {
    // Each 16-byte read sees only bytes already written; the last store may run up to 15 bytes past `stop`.
    do {
      v128.store(op, v128.load(from));
      op += 16;
      from += 16;
    } while (op < stop);
  } else if (offset >= length) {
    // Under 16 bytes that do not overlap their source: one wild copy (what it reads past the source is rewritten).
    v128.store(op, v128.load(from));
  } else {
    // A repeat of a few bytes (a run of one index, a pixel is 3): the pattern spread over 16 bytes once, then stored
    // every whole number of periods that fits 16 bytes — no byte loop, no call.
    const pattern = i8x16.swizzle(v128.load(from), v128.load(PATTERN + (offset << 4)));
    const step = <usize>load<u8>(STEP + offset);
    do {
      v128.store(op, pattern);
      op += step;
    } while (op < stop);
  }
}

/** Where JS may start laying out buffers: past the module's static data. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}
