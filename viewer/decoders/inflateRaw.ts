// A synchronous raw-deflate (RFC 1951) decoder into a buffer of known size, for PALETTE_RUN_DEFLATE. The platform's
// DecompressionStream is asynchronous and costs a stream per record; a run's indices are small and highly repetitive,
// so table-driven decoding here is cheaper and keeps drawing on one synchronous path.

/** Huffman table: entry = symbol << 4 | code length, indexed by the next `bits` input bits; 0 = no such code. */
interface Table {
  readonly entries: Int32Array;
  bits: number;
}

const MAX_BITS = 15;
const LENGTH_BASE = Uint16Array.of(
  3,
  4,
  5,
  6,
  7,
  8,
  9,
  10,
  11,
  13,
  15,
  17,
  19,
  23,
  27,
  31,
  35,
  43,
  51,
  59,
  67,
  83,
  99,
  115,
  131,
  163,
  195,
  227,
  258,
);
const LENGTH_EXTRA = Uint8Array.of(
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  1,
  1,
  1,
  1,
  2,
  2,
  2,
  2,
  3,
  3,
  3,
  3,
  4,
  4,
  4,
  4,
  5,
  5,
  5,
  5,
  0,
);
const DIST_BASE = Uint16Array.of(
  1,
  2,
  3,
  4,
  5,
  7,
  9,
  13,
  17,
  25,
  33,
  49,
  65,
  97,
  129,
  193,
  257,
  385,
  513,
  769,
  1025,
  1537,
  2049,
  3073,
  4097,
  6145,
  8193,
  12289,
  16385,
  24577,
);
const DIST_EXTRA = Uint8Array.of(
  0,
  0,
  0,
  0,
  1,
  1,
  2,
  2,
  3,
  3,
  4,
  4,
  5,
  5,
  6,
  6,
  7,
  7,
  8,
  8,
  9,
  9,
  10,
  10,
  11,
  11,
  12,
  12,
  13,
  13,
);
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

/**
 * Inflates `src` into `out`; returns the bytes written, or -1 for a corrupt stream, one that reads past its end or one
 * that does not fit `out`. Never throws, never reads or writes out of bounds.
 */
export const inflateRawInto = (src: Uint8Array, out: Uint8Array): number => {
  let pos = 0;
  let bitBuf = 0;
  let bitCount = 0;
  let o = 0;
  const literals = scratch.literals;
  const distances = scratch.distances;
  const lengths = scratch.lengths;
  const codeLengths = scratch.codeLengths;

  // Past the end the input reads as zeros; whether those were really consumed is checked when a block ends.
  const fill = (n: number) => {
    while (bitCount < n) {
      bitBuf |= (pos < src.length ? src[pos]! : 0) << bitCount;
      pos++;
      bitCount += 8;
    }
  };
  const take = (n: number): number => {
    if (n === 0) return 0;
    fill(n);
    const v = bitBuf & ((1 << n) - 1);
    bitBuf >>>= n;
    bitCount -= n;
    return v;
  };
  const decode = (t: Table): number => {
    fill(t.bits);
    const e = t.entries[bitBuf & ((1 << t.bits) - 1)]!;
    const len = e & 15;
    if (len === 0) return -1;
    bitBuf >>>= len;
    bitCount -= len;
    return e >> 4;
  };
  const overran = () => pos * 8 - bitCount > src.length * 8;

  for (;;) {
    const final = take(1);
    const type = take(2);
    if (type === 0) {
      // Stored: drop to a byte boundary and give back whole bytes already buffered.
      bitBuf >>>= bitCount & 7;
      bitCount -= bitCount & 7;
      pos -= bitCount >> 3;
      bitBuf = 0;
      bitCount = 0;
      if (pos + 4 > src.length) return -1;
      const len = src[pos]! | (src[pos + 1]! << 8);
      const nlen = src[pos + 2]! | (src[pos + 3]! << 8);
      pos += 4;
      if ((len ^ 0xffff) !== nlen || pos + len > src.length || o + len > out.length) return -1;
      out.set(src.subarray(pos, pos + len), o);
      pos += len;
      o += len;
    } else if (type === 1 || type === 2) {
      let lit = fixedLiterals;
      let dist = fixedDistances;
      if (type === 2) {
        const hlit = take(5) + 257;
        const hdist = take(5) + 1;
        const hclen = take(4) + 4;
        codeLengths.fill(0);
        for (let i = 0; i < hclen; i++) codeLengths[CODE_LENGTH_ORDER[i]!] = take(3);
        const lengthTable = scratch.lengthTable;
        if (!build(lengthTable, codeLengths, 19)) return -1;
        for (let n = 0; n < hlit + hdist; ) {
          const sym = decode(lengthTable);
          if (sym < 0) return -1;
          if (sym < 16) lengths[n++] = sym;
          else {
            const [repeat, value] =
              sym === 16
                ? n === 0
                  ? [-1, 0]
                  : [3 + take(2), lengths[n - 1]!]
                : sym === 17
                  ? [3 + take(3), 0]
                  : [11 + take(7), 0];
            if (repeat < 0 || n + repeat > hlit + hdist) return -1;
            lengths.fill(value, n, n + repeat);
            n += repeat;
          }
        }
        if (lengths[256] === 0) return -1; // no end-of-block code
        if (!build(literals, lengths, hlit)) return -1;
        if (!build(distances, lengths.subarray(hlit), hdist)) return -1;
        lit = literals;
        dist = distances;
      }
      for (;;) {
        const sym = decode(lit);
        if (sym < 0) return -1;
        if (sym < 256) {
          if (o >= out.length) return -1;
          out[o++] = sym;
          continue;
        }
        if (sym === 256) break;
        const li = sym - 257;
        if (li >= 29) return -1;
        const len = LENGTH_BASE[li]! + take(LENGTH_EXTRA[li]!);
        const ds = decode(dist);
        if (ds < 0 || ds >= 30) return -1;
        const d = DIST_BASE[ds]! + take(DIST_EXTRA[ds]!);
        if (d > o || o + len > out.length) return -1;
        for (let i = 0; i < len; i++, o++) out[o] = out[o - d]!;
      }
    } else return -1;
    if (overran()) return -1;
    if (final) return o;
  }
};
