// AssemblyScript: the raw-deflate (RFC 1951) decoder of ../../inflateRaw.ts in WebAssembly, same answers. What
// differs is speed: 64 bits of input at a time, and Huffman tables of at most 2^10 entries — a tile's dynamic block
// would otherwise fill up to 2^15 — with the rare longer codes decoded canonically, bit by bit (as zlib's puff does).
// Compiled from source by ../build.ts; the TS decoder stays the reference and the fallback.

import { copyMatch } from "./lz4";

/** Bits the fast tables index; codes up to 15 bits long that do not fit go the slow way. */
const ROOT_BITS: u32 = 10;
const MAX_BITS: u32 = 15;

// The tables' memory, from the `tables` pointer the caller passes (INFLATE_TABLE_BYTES of it).
// A table: root entries (i32: symbol << 4 | length, 0 = not a code of ≤ ROOT_BITS bits), code counts per length
// (u16 × 16), symbols in canonical order (u16).
const LIT_ROOT: usize = 0;
const DIST_ROOT: usize = LIT_ROOT + (4 << ROOT_BITS);
const CL_ROOT: usize = DIST_ROOT + (4 << ROOT_BITS);
const LIT_COUNTS: usize = CL_ROOT + (4 << ROOT_BITS);
const LIT_SYMBOLS: usize = LIT_COUNTS + 32;
const DIST_COUNTS: usize = LIT_SYMBOLS + 2 * 320;
const DIST_SYMBOLS: usize = DIST_COUNTS + 32;
const CL_COUNTS: usize = DIST_SYMBOLS + 2 * 32;
const CL_SYMBOLS: usize = CL_COUNTS + 32;
const LENGTHS: usize = CL_SYMBOLS + 2 * 32;
const OFFSETS: usize = LENGTHS + 320;
const NEXT_CODE: usize = OFFSETS + 32;
export const INFLATE_TABLE_BYTES: usize = NEXT_CODE + 32;

const LENGTH_BASE: StaticArray<u16> = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA: StaticArray<u8> = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE: StaticArray<u16> = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DIST_EXTRA: StaticArray<u8> = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
const CODE_LENGTH_ORDER: StaticArray<u8> = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

// The input: bits not yet used are the low `count` bits of `buf`; past the end the input reads as zeros (whether those
// were really used is checked when a block ends). Bits above `count` hold copies of the bytes at `pos` onwards.
let pos: usize = 0;
let end: usize = 0;
let buf: u64 = 0;
let count: u32 = 0;
/** Set by `inflateFast` when it stopped at the end of the block. */
let blockEnded = false;

/** At least 56 bits in `buf`. */
@inline
function refill(): void {
  if (pos + 8 <= end) {
    buf |= load<u64>(pos) << count;
    pos += (63 - count) >> 3;
    count |= 56;
  } else {
    while (count <= 56) {
      buf |= <u64>(pos < end ? load<u8>(pos) : 0) << count;
      pos++;
      count += 8;
    }
  }
}

@inline
function take(n: u32): u32 {
  if (count < n) refill();
  const v = <u32>buf & ((1 << n) - 1);
  buf >>= n;
  count -= n;
  return v;
}

/**
 * A table from `n` code lengths at `lengths` (RFC 1951 3.2.2); its root's bits, or -1 when the lengths over-subscribe
 * the code space. An incomplete code is accepted, as by the TS decoder: a missing code fails when it is read.
 */
function build(tables: usize, root: usize, counts: usize, symbols: usize, lengths: usize, n: u32): i32 {
  memory.fill(counts, 0, 32);
  let longest: u32 = 0;
  for (let s: u32 = 0; s < n; s++) {
    const len = <u32>load<u8>(lengths + s);
    store<u16>(counts + (len << 1), load<u16>(counts + (len << 1)) + 1);
    if (len > longest) longest = len;
  }
  store<u16>(counts, 0);
  const offsets = tables + OFFSETS;
  const next = tables + NEXT_CODE;
  let left: i32 = 1;
  let code: u32 = 0;
  let offset: u32 = 0;
  for (let len: u32 = 1; len <= MAX_BITS; len++) {
    const c = <u32>load<u16>(counts + (len << 1));
    left = (left << 1) - <i32>c;
    if (left < 0) return -1;
    store<u16>(next + (len << 1), <u16>code);
    store<u16>(offsets + (len << 1), <u16>offset);
    code = (code + c) << 1;
    offset += c;
  }
  const bits = min(max(longest, 1), ROOT_BITS);
  const size: u32 = 1 << bits;
  memory.fill(root, 0, size << 2);
  for (let s: u32 = 0; s < n; s++) {
    const len = <u32>load<u8>(lengths + s);
    if (len == 0) continue;
    const at = offsets + (len << 1);
    const k = <u32>load<u16>(at);
    store<u16>(at, <u16>(k + 1));
    store<u16>(symbols + (k << 1), <u16>s);
    let c = <u32>load<u16>(next + (len << 1));
    store<u16>(next + (len << 1), <u16>(c + 1));
    if (len > bits) continue;
    // Codes are sent most significant bit first into an LSB-first stream: index the table by the reversed code.
    const reversed = reverse(c, len);
    const entry = (s << 4) | len;
    for (let i = reversed; i < size; i += 1 << len) store<i32>(root + (i << 2), entry);
  }
  return <i32>bits;
}

@inline
function reverse(c: u32, len: u32): u32 {
  let r: u32 = 0;
  for (let i: u32 = 0; i < len; i++, c >>= 1) r = (r << 1) | (c & 1);
  return r;
}

/** A code longer than the root, read canonically from `bits`; symbol << 4 | length, or -1 for no such code. */
function slowSymbol(bits: u64, counts: usize, symbols: usize): i32 {
  let code: i32 = 0;
  let first: i32 = 0;
  let index: i32 = 0;
  for (let len: u32 = 1; len <= MAX_BITS; len++) {
    code |= <i32>(bits & 1);
    bits >>= 1;
    const c = <i32>load<u16>(counts + (len << 1));
    if (code - c < first) return (<i32>load<u16>(symbols + (<usize>(index + code - first) << 1)) << 4) | len;
    index += c;
    first = (first + c) << 1;
    code <<= 1;
  }
  return -1;
}

/** The table entry (symbol << 4 | length) for the code at the bottom of `bits`, from the root or read canonically. */
@inline
function entry(root: usize, mask: u32, counts: usize, symbols: usize, bits: u64): i32 {
  const e = load<i32>(root + ((<usize>(<u32>bits & mask)) << 2));
  return e != 0 ? e : slowSymbol(bits, counts, symbols);
}

/** The next symbol, with at least 15 bits in `buf`; -1 for no such code. */
@inline
function symbol(root: usize, mask: u32, counts: usize, symbols: usize): i32 {
  const e = entry(root, mask, counts, symbols, buf);
  if (e < 0) return -1;
  const len = <u32>e & 15;
  buf >>= len;
  count -= len;
  return e >> 4;
}

/** A dynamic block's two tables from its header (RFC 1951 3.2.7); the roots' bits (lit | dist << 8), or -1. */
function readDynamicTables(tables: usize): i32 {
  const hlit = take(5) + 257;
  const hdist = take(5) + 1;
  const hclen = take(4) + 4;
  const lengths = tables + LENGTHS;
  memory.fill(lengths, 0, 19);
  for (let i: u32 = 0; i < hclen; i++) store<u8>(lengths + <usize>unchecked(CODE_LENGTH_ORDER[i]), <u8>take(3));
  const clBits = build(tables, tables + CL_ROOT, tables + CL_COUNTS, tables + CL_SYMBOLS, lengths, 19);
  if (clBits < 0) return -1;
  const clMask: u32 = (1 << clBits) - 1;
  // The code-length code's table is built from `lengths`; the lengths it decodes overwrite them from the start.
  const total = hlit + hdist;
  for (let n: u32 = 0; n < total; ) {
    if (count < MAX_BITS) refill();
    const sym = symbol(tables + CL_ROOT, clMask, tables + CL_COUNTS, tables + CL_SYMBOLS);
    if (sym < 0) return -1;
    if (sym < 16) {
      store<u8>(lengths + n++, <u8>sym);
      continue;
    }
    if (sym == 16 && n == 0) return -1;
    const value = sym == 16 ? load<u8>(lengths + n - 1) : 0;
    const repeat = sym == 16 ? 3 + take(2) : sym == 17 ? 3 + take(3) : 11 + take(7);
    if (n + repeat > total) return -1;
    memory.fill(lengths + n, value, repeat);
    n += repeat;
  }
  if (load<u8>(lengths + 256) == 0) return -1; // no end-of-block code
  const litBits = build(tables, tables + LIT_ROOT, tables + LIT_COUNTS, tables + LIT_SYMBOLS, lengths, hlit);
  if (litBits < 0) return -1;
  const distBits = build(tables, tables + DIST_ROOT, tables + DIST_COUNTS, tables + DIST_SYMBOLS, lengths + hlit, hdist);
  if (distBits < 0) return -1;
  return litBits | (distBits << 8);
}

/** The fixed code's two tables (RFC 1951 3.2.6); the roots' bits as readDynamicTables gives them. */
function fixedTables(tables: usize): i32 {
  const lengths = tables + LENGTHS;
  memory.fill(lengths, 8, 144);
  memory.fill(lengths + 144, 9, 112);
  memory.fill(lengths + 256, 7, 24);
  memory.fill(lengths + 280, 8, 8);
  const litBits = build(tables, tables + LIT_ROOT, tables + LIT_COUNTS, tables + LIT_SYMBOLS, lengths, 288);
  memory.fill(lengths, 5, 30);
  const distBits = build(tables, tables + DIST_ROOT, tables + DIST_COUNTS, tables + DIST_SYMBOLS, lengths, 30);
  return litBits | (distBits << 8);
}

/**
 * One Huffman-coded block into [o, limit); the new output position, or 0 for a corrupt block (`o` is never 0: the
 * output lies past the module's static data).
 */
function inflateBlock(tables: usize, rootBits: i32, o: usize, dst: usize, limit: usize): usize {
  o = inflateFast(tables, rootBits, o, dst, limit);
  if (o == 0 || blockEnded) return o;
  const litMask: u32 = (1 << (rootBits & 0xff)) - 1;
  const distMask: u32 = (1 << (rootBits >> 8)) - 1;
  const litRoot = tables + LIT_ROOT;
  const distRoot = tables + DIST_ROOT;
  while (true) {
    // 15 bits of length code, 5 extra, 15 of distance code and 13 extra: 48 bits, one refill a symbol at most.
    if (count < 48) refill();
    const sym = symbol(litRoot, litMask, tables + LIT_COUNTS, tables + LIT_SYMBOLS);
    if (sym < 256) {
      if (sym < 0 || o >= limit) return 0;
      store<u8>(o++, <u8>sym);
      continue;
    }
    if (sym == 256) return o;
    const li = <u32>sym - 257;
    if (li >= 29) return 0;
    const lengthExtra = <u32>unchecked(LENGTH_EXTRA[li]);
    const length = <usize>(<u32>unchecked(LENGTH_BASE[li]) + (<u32>buf & ((1 << lengthExtra) - 1)));
    buf >>= lengthExtra;
    count -= lengthExtra;
    const ds = symbol(distRoot, distMask, tables + DIST_COUNTS, tables + DIST_SYMBOLS);
    if (ds < 0 || ds >= 30) return 0;
    const distExtra = <u32>unchecked(DIST_EXTRA[ds]);
    const d = <usize>(<u32>unchecked(DIST_BASE[ds]) + (<u32>buf & ((1 << distExtra) - 1)));
    buf >>= distExtra;
    count -= distExtra;
    if (d > o - dst || length > limit - o) return 0;
    copyMatch(o, d, length);
    o += length;
  }
}

/**
 * `inflateBlock`'s fast loop, as libdeflate's: while the longest match fits the output and 8 input bytes can be read,
 * the bits are refilled without a branch on their count (often mispredicted) and literals need no output check. The
 * bit reader lives in locals (registers; V8 loads and stores a global at each use) and goes back when the loop ends.
 * The output position where it stopped (`blockEnded` says whether that is the block's end), or 0 for a corrupt block.
 * 10 % faster than the careful loop alone on photo-like PNG tiles.
 */
function inflateFast(tables: usize, rootBits: i32, o: usize, dst: usize, limit: usize): usize {
  const litMask: u32 = (1 << (rootBits & 0xff)) - 1;
  const distMask: u32 = (1 << (rootBits >> 8)) - 1;
  const litRoot = tables + LIT_ROOT;
  const distRoot = tables + DIST_ROOT;
  const last = limit - 258 - 3;
  const stop = end;
  blockEnded = false;
  let p = pos;
  let b = buf;
  let n = count;
  while (o < last && p + 8 <= stop) {
    b |= load<u64>(p) << n;
    p += (63 - n) >> 3;
    n |= 56;
    let e = entry(litRoot, litMask, tables + LIT_COUNTS, tables + LIT_SYMBOLS, b);
    if (e < 0) return 0;
    b >>= <u64>(e & 15);
    n -= <u32>e & 15;
    const sym = e >> 4;
    if (sym < 256) {
      store<u8>(o++, <u8>sym);
      // 56 bits less one code leave 41: room for two more literals' codes, when they are in the root table.
      e = load<i32>(litRoot + ((<usize>(<u32>b & litMask)) << 2));
      if (e != 0 && e >> 4 < 256) {
        b >>= <u64>(e & 15);
        n -= <u32>e & 15;
        store<u8>(o++, <u8>(e >> 4));
        e = load<i32>(litRoot + ((<usize>(<u32>b & litMask)) << 2));
        if (e != 0 && e >> 4 < 256) {
          b >>= <u64>(e & 15);
          n -= <u32>e & 15;
          store<u8>(o++, <u8>(e >> 4));
        }
      }
      continue;
    }
    if (sym == 256) {
      blockEnded = true;
      break;
    }
    const li = <u32>sym - 257;
    if (li >= 29) return 0;
    const lengthExtra = <u32>unchecked(LENGTH_EXTRA[li]);
    const length = <usize>(<u32>unchecked(LENGTH_BASE[li]) + (<u32>b & ((1 << lengthExtra) - 1)));
    b >>= <u64>lengthExtra;
    n -= lengthExtra;
    const d = entry(distRoot, distMask, tables + DIST_COUNTS, tables + DIST_SYMBOLS, b);
    if (d < 0) return 0;
    b >>= <u64>(d & 15);
    n -= <u32>d & 15;
    const ds = <u32>d >> 4;
    if (ds >= 30) return 0;
    const distExtra = <u32>unchecked(DIST_EXTRA[ds]);
    const distance = <usize>(<u32>unchecked(DIST_BASE[ds]) + (<u32>b & ((1 << distExtra) - 1)));
    b >>= <u64>distExtra;
    n -= distExtra;
    if (distance > o - dst) return 0;
    copyMatch(o, distance, length);
    o += length;
  }
  pos = p;
  buf = b;
  count = n;
  return o;
}

/**
 * Inflates the raw deflate stream at [src, src + srcLength) into dst; the bytes written, or -1 for a corrupt stream,
 * one that reads past its end or one that does not fit `expected` bytes. Writes stay within [dst, dst + expected + 16);
 * reads within [src, src + srcLength). `tables`: INFLATE_TABLE_BYTES of scratch.
 */
export function inflate(src: usize, srcLength: usize, dst: usize, expected: usize, tables: usize): i32 {
  pos = src;
  end = src + srcLength;
  buf = 0;
  count = 0;
  let o = dst;
  const limit = dst + expected;
  while (true) {
    const final = take(1);
    const type = take(2);
    if (type == 0) {
      // Stored: drop to a byte boundary and give back whole bytes already buffered.
      pos -= count >> 3;
      buf = 0;
      count = 0;
      if (pos + 4 > end) return -1;
      const len = <usize>load<u16>(pos);
      const nlen = <usize>load<u16>(pos, 2);
      if ((len ^ 0xffff) != nlen || len > end - pos - 4 || len > limit - o) return -1;
      memory.copy(o, pos + 4, len);
      pos += 4 + len;
      o += len;
    } else if (type == 3) {
      return -1;
    } else {
      const rootBits = type == 1 ? fixedTables(tables) : readDynamicTables(tables);
      if (rootBits < 0) return -1;
      o = inflateBlock(tables, rootBits, o, dst, limit);
      if (o == 0) return -1;
    }
    if ((pos - src) * 8 - count > srcLength * 8) return -1;
    if (final) return <i32>(o - dst);
  }
}

/** Byte i of a 16-byte block counts 16 - i times more in Adler-32's second sum than in its first, past the block. */
const WEIGHTS = i8x16(16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1);

/**
 * Adler-32 of [p, p + n) (RFC 1950), the zlib stream's checksum of what it inflates to; 16 bytes a step. Over m blocks
 * from (a, b): a += Σ bytes; b += 16·m·a + 16·Σ (the bytes of the blocks before each block) + Σ (16 - lane)·byte.
 */
export function adler32(p: usize, n: usize): u32 {
  let a: u64 = 1;
  let b: u64 = 0;
  while (n > 0) {
    // 5552 bytes is the most that cannot overflow before the modulo (zlib's NMAX); 347 blocks of 16.
    const k = min(n, 5552);
    n -= k;
    const blocks = k >> 4;
    let sums = i32x4.splat(0);
    let before = i32x4.splat(0);
    let weighted = i32x4.splat(0);
    for (let i: usize = 0; i < blocks; i++, p += 16) {
      const v = v128.load(p);
      before = i32x4.add(before, sums);
      sums = i32x4.add(sums, i32x4.extadd_pairwise_i16x8_u(i16x8.extadd_pairwise_i8x16_u(v)));
      const low = i16x8.extmul_low_i8x16_u(v, WEIGHTS);
      const high = i16x8.extmul_high_i8x16_u(v, WEIGHTS);
      weighted = i32x4.add(
        weighted,
        i32x4.add(i32x4.extadd_pairwise_i16x8_u(low), i32x4.extadd_pairwise_i16x8_u(high)),
      );
    }
    b += 16 * <u64>blocks * a + 16 * lanes(before) + lanes(weighted);
    a += lanes(sums);
    for (const stop = p + (k & 15); p < stop; ) {
      a += <u64>load<u8>(p++);
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return <u32>((b << 16) | a);
}

@inline
function lanes(v: v128): u64 {
  return (
    <u64><u32>i32x4.extract_lane(v, 0) +
    <u64><u32>i32x4.extract_lane(v, 1) +
    <u64><u32>i32x4.extract_lane(v, 2) +
    <u64><u32>i32x4.extract_lane(v, 3)
  );
}
