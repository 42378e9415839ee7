// A synchronous raw-deflate (RFC 1951) decoder into a buffer of known size, for PALETTE_RUN_DEFLATE and (inside zlib)
// PNG tiles. The platform's DecompressionStream is asynchronous and costs a stream per record — a photo-like redraw
// of 220 PNG tiles spent most of its decode time setting streams up; table-driven decoding here is cheaper.

/** Huffman table: entry = symbol << 4 | code length, indexed by the next `bits` input bits; 0 = no such code. */
interface Table {
  readonly entries: Int32Array;
  bits: number;
}

/** Where the decoder is in its input: bits not yet used are the low `count` bits of `buf`. */
interface Bits {
  readonly src: Uint8Array;
  pos: number;
  buf: number;
  count: number;
}

const MAX_BITS = 15;
// biome-ignore format: the RFC's tables, one row each
const LENGTH_BASE = Uint16Array.of(3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258);
// biome-ignore format: the RFC's tables, one row each
const LENGTH_EXTRA = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0);
// biome-ignore format: the RFC's tables, one row each
const DIST_BASE = Uint16Array.of(1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577);
// biome-ignore format: the RFC's tables, one row each
const DIST_EXTRA = Uint8Array.of(0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13);
// biome-ignore format: the RFC's tables, one row each
const CODE_LENGTH_ORDER = Uint8Array.of(16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15);

const newTable = (): Table => ({ entries: new Int32Array(1 << MAX_BITS), bits: 0 });

/** Canonical Huffman codes from code lengths (RFC 1951 3.2.2); false when the lengths over-subscribe the code space. */
const build = (table: Table, lengths: Uint8Array, count: number): boolean => {
  const perLength = new Uint16Array(MAX_BITS + 1);
  let bits = 0;
  for (let s = 0; s < count; s++) {
    perLength[lengths[s]!]!++;
    if (lengths[s]! > bits) bits = lengths[s]!;
  }
  perLength[0] = 0;
  let left = 1;
  const code = new Uint16Array(MAX_BITS + 1);
  for (let len = 1; len <= MAX_BITS; len++) {
    left = (left << 1) - perLength[len]!;
    if (left < 0) return false;
    if (len > 1) code[len] = (code[len - 1]! + perLength[len - 1]!) << 1;
  }
  table.bits = Math.max(bits, 1);
  const size = 1 << table.bits;
  table.entries.fill(0, 0, size);
  for (let s = 0; s < count; s++) {
    const len = lengths[s]!;
    if (len === 0) continue;
    // Codes are sent most significant bit first into an LSB-first stream: index the table by the reversed code.
    let c = code[len]!++;
    let reversed = 0;
    for (let i = 0; i < len; i++, c >>= 1) reversed = (reversed << 1) | (c & 1);
    for (let i = reversed; i < size; i += 1 << len) table.entries[i] = (s << 4) | len;
  }
  return true;
};

const fixedLiterals = newTable();
const fixedDistances = newTable();
{
  const lengths = new Uint8Array(288);
  lengths.fill(8, 0, 144).fill(9, 144, 256).fill(7, 256, 280).fill(8, 280, 288);
  build(fixedLiterals, lengths, 288);
  build(fixedDistances, new Uint8Array(30).fill(5), 30);
}

/** Scratch tables shared by every call: inflating is synchronous, so one set serves all. */
const scratch = {
  literals: newTable(),
  distances: newTable(),
  lengthTable: newTable(),
  lengths: new Uint8Array(288 + 32),
  codeLengths: new Uint8Array(19),
};

// Past the end the input reads as zeros; whether those were really consumed is checked when a block ends.
const take = (b: Bits, n: number): number => {
  while (b.count < n) {
    b.buf |= (b.pos < b.src.length ? b.src[b.pos]! : 0) << b.count;
    b.pos++;
    b.count += 8;
  }
  const v = b.buf & ((1 << n) - 1);
  b.buf >>>= n;
  b.count -= n;
  return v;
};

const decodeSymbol = (b: Bits, t: Table): number => {
  while (b.count < t.bits) {
    b.buf |= (b.pos < b.src.length ? b.src[b.pos]! : 0) << b.count;
    b.pos++;
    b.count += 8;
  }
  const e = t.entries[b.buf & ((1 << t.bits) - 1)]!;
  const len = e & 15;
  if (len === 0) return -1;
  b.buf >>>= len;
  b.count -= len;
  return e >> 4;
};

/** A dynamic block's two tables from its header (RFC 1951 3.2.7); false when the header is corrupt. */
const readDynamicTables = (b: Bits): boolean => {
  const { lengths, codeLengths, lengthTable, literals, distances } = scratch;
  const hlit = take(b, 5) + 257;
  const hdist = take(b, 5) + 1;
  const hclen = take(b, 4) + 4;
  codeLengths.fill(0);
  for (let i = 0; i < hclen; i++) codeLengths[CODE_LENGTH_ORDER[i]!] = take(b, 3);
  if (!build(lengthTable, codeLengths, 19)) return false;
  for (let n = 0; n < hlit + hdist; ) {
    const sym = decodeSymbol(b, lengthTable);
    if (sym < 0) return false;
    if (sym < 16) {
      lengths[n++] = sym;
      continue;
    }
    if (sym === 16 && n === 0) return false;
    const value = sym === 16 ? lengths[n - 1]! : 0;
    const repeat = sym === 16 ? 3 + take(b, 2) : sym === 17 ? 3 + take(b, 3) : 11 + take(b, 7);
    if (n + repeat > hlit + hdist) return false;
    lengths.fill(value, n, n + repeat);
    n += repeat;
  }
  if (lengths[256] === 0) return false; // no end-of-block code
  return build(literals, lengths, hlit) && build(distances, lengths.subarray(hlit), hdist);
};

/**
 * One Huffman-coded block into `out` from `o`; returns the new output position, or -1. The hot loop: the bit state
 * is kept in locals and written back once.
 */
const inflateBlock = (b: Bits, lit: Table, dist: Table, out: Uint8Array, from: number): number => {
  const { src } = b;
  const end = src.length;
  const litEntries = lit.entries;
  const litMask = (1 << lit.bits) - 1;
  const litBits = lit.bits;
  const distEntries = dist.entries;
  const distMask = (1 << dist.bits) - 1;
  const distBits = dist.bits;
  let { pos, buf, count } = b;
  let o = from;
  let result = -1;
  for (;;) {
    // 15 bits of code and 5 of extra bits: top up to at least 24 so each symbol needs one refill at most.
    while (count < 24) {
      buf |= (pos < end ? src[pos]! : 0) << count;
      pos++;
      count += 8;
    }
    const e = litEntries[buf & litMask]!;
    const len = e & 15;
    if (len === 0 || len > litBits) break;
    buf >>>= len;
    count -= len;
    const sym = e >> 4;
    if (sym < 256) {
      if (o >= out.length) break;
      out[o++] = sym;
      continue;
    }
    if (sym === 256) {
      result = o;
      break;
    }
    const li = sym - 257;
    if (li >= 29) break;
    const lengthExtra = LENGTH_EXTRA[li]!;
    const length = LENGTH_BASE[li]! + (buf & ((1 << lengthExtra) - 1));
    buf >>>= lengthExtra;
    count -= lengthExtra;
    while (count < 24) {
      buf |= (pos < end ? src[pos]! : 0) << count;
      pos++;
      count += 8;
    }
    const de = distEntries[buf & distMask]!;
    const dlen = de & 15;
    const ds = de >> 4;
    if (dlen === 0 || dlen > distBits || ds >= 30) break;
    buf >>>= dlen;
    count -= dlen;
    const distExtra = DIST_EXTRA[ds]!;
    if (count < distExtra) {
      buf |= (pos < end ? src[pos]! : 0) << count;
      pos++;
      count += 8;
    }
    const d = DIST_BASE[ds]! + (buf & ((1 << distExtra) - 1));
    buf >>>= distExtra;
    count -= distExtra;
    if (d > o || o + length > out.length) break;
    if (d >= length) out.copyWithin(o, o - d, o - d + length);
    else for (let i = 0; i < length; i++) out[o + i] = out[o + i - d]!;
    o += length;
  }
  b.pos = pos;
  b.buf = buf;
  b.count = count;
  return result;
};

/**
 * Inflates `src` into `out`; returns the bytes written, or -1 for a corrupt stream, one that reads past its end or one
 * that does not fit `out`. Never throws, never reads or writes out of bounds.
 */
export const inflateRawInto = (src: Uint8Array, out: Uint8Array): number => {
  const b: Bits = { src, pos: 0, buf: 0, count: 0 };
  let o = 0;
  for (;;) {
    const final = take(b, 1);
    const type = take(b, 2);
    if (type === 0) {
      // Stored: drop to a byte boundary and give back whole bytes already buffered.
      b.pos -= b.count >> 3;
      b.buf = 0;
      b.count = 0;
      const { pos } = b;
      if (pos + 4 > src.length) return -1;
      const len = src[pos]! | (src[pos + 1]! << 8);
      const nlen = src[pos + 2]! | (src[pos + 3]! << 8);
      if ((len ^ 0xffff) !== nlen || pos + 4 + len > src.length || o + len > out.length) return -1;
      out.set(src.subarray(pos + 4, pos + 4 + len), o);
      b.pos = pos + 4 + len;
      o += len;
    } else if (type === 1) {
      o = inflateBlock(b, fixedLiterals, fixedDistances, out, o);
    } else if (type === 2) {
      if (!readDynamicTables(b)) return -1;
      o = inflateBlock(b, scratch.literals, scratch.distances, out, o);
    } else return -1;
    if (o < 0 || b.pos * 8 - b.count > src.length * 8) return -1;
    if (final) return o;
  }
};

/** Adler-32 of `data` (RFC 1950), the zlib stream's checksum of what it inflates to. */
const adler32 = (data: Uint8Array, length: number): number => {
  let a = 1;
  let b = 0;
  for (let i = 0; i < length; ) {
    // 5552 bytes is the most that cannot overflow before the modulo (zlib's NMAX).
    const end = Math.min(length, i + 5552);
    for (; i < end; i++) {
      a += data[i]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
};

/**
 * A zlib stream's (RFC 1950: 2-byte header, raw deflate, Adler-32) deflate data and checksum; undefined for a bad
 * header or a preset dictionary.
 */
export const zlibParts = (src: Uint8Array): { deflate: Uint8Array; adler32: number } | undefined => {
  if (src.length < 6) return undefined;
  const cmf = src[0]!;
  const flg = src[1]!;
  if ((cmf & 0x0f) !== 8 || cmf >> 4 > 7 || ((cmf << 8) | flg) % 31 !== 0 || (flg & 0x20) !== 0)
    return undefined;
  const t = src.length - 4;
  return {
    deflate: src.subarray(2, t),
    adler32: ((src[t]! << 24) | (src[t + 1]! << 16) | (src[t + 2]! << 8) | src[t + 3]!) >>> 0,
  };
};

/**
 * A zlib stream, as PNG image data is: the bytes written, or -1 for a bad header, a preset dictionary, corrupt data
 * or a checksum that does not match.
 */
export const inflateZlibInto = (src: Uint8Array, out: Uint8Array): number => {
  const parts = zlibParts(src);
  if (parts === undefined) return -1;
  const n = inflateRawInto(parts.deflate, out);
  return n >= 0 && adler32(out, n) === parts.adler32 ? n : -1;
};
