// AssemblyScript: Display's pixel loops (../../../display/Display.ts) for a back buffer that lives in this module's
// memory: packed RGB put or XOR-ed as RGBA words (SIMD, four pixels a step), solid fills, and palette indices (1, 2, 4 or 8 bits)
// drawn with 0 meaning "keep". Same pixels as the TS loops; those stay the reference and the fallback.

/** R0 G0 B0 R1 G1 B1 … → R G B 0 per pixel (lane index ≥ 16 gives 0). */
const SPREAD = i8x16(0, 1, 2, -1, 3, 4, 5, -1, 6, 7, 8, -1, 9, 10, 11, -1);
const ALPHA = i32x4.splat(0xff000000);

/**
 * Draws `height` rows of `width` packed RGB pixels from `src` (rows `srcStride` bytes apart) at `dst` (rows `stride`
 * bytes apart), opaque; or, with `xor`, XORs the colour bits onto what is there. Reads up to 4 bytes past a row.
 */
export function putRgb(
  src: usize,
  srcStride: usize,
  dst: usize,
  stride: usize,
  width: usize,
  height: usize,
  xor: bool,
): void {
  for (let y: usize = 0; y < height; y++) {
    let o = dst + y * stride;
    let s = src + y * srcStride;
    const end = o + width * 4;
    const quads = o + (width & ~3) * 4;
    if (xor) {
      for (; o < quads; o += 16, s += 12) {
        v128.store(o, v128.xor(v128.load(o), i8x16.swizzle(v128.load(s), SPREAD)));
      }
      for (; o < end; o += 4, s += 3) store<u32>(o, load<u32>(o) ^ (load<u32>(s) & 0xffffff));
    } else {
      for (; o < quads; o += 16, s += 12) {
        v128.store(o, v128.or(i8x16.swizzle(v128.load(s), SPREAD), ALPHA));
      }
      for (; o < end; o += 4, s += 3) store<u32>(o, (load<u32>(s) & 0xffffff) | 0xff000000);
    }
  }
}

/**
 * Copies `pixels` words from `src` to `dst` (which must not overlap: rows of a vertical move), storing only those that
 * differ, and says which of them it changed: (first << 16) | end, in pixels from `dst`, or 0 when `dst` already held
 * them all. A scroll leaves most of a moved row as it was (the background between lines, past a line's end): only
 * what changed need be painted.
 */
export function moveSpan(dst: usize, src: usize, pixels: usize): u32 {
  const end = dst + pixels * 4;
  let o = dst;
  let s = src;
  let first: usize = end;
  let last: usize = dst;
  // 64 bytes a step, one branch for them: changed or not is decided 16 pixels at a time, which paints no more.
  for (; o + 64 <= end; o += 64, s += 64) {
    const a = v128.load(s);
    const b = v128.load(s, 16);
    const c = v128.load(s, 32);
    const d = v128.load(s, 48);
    const x = v128.or(
      v128.or(v128.xor(a, v128.load(o)), v128.xor(b, v128.load(o, 16))),
      v128.or(v128.xor(c, v128.load(o, 32)), v128.xor(d, v128.load(o, 48))),
    );
    // What is already there is not stored again: a line the CPU need not write back to memory.
    if (v128.any_true(x)) {
      if (first == end) first = o;
      last = o + 64;
      v128.store(o, a);
      v128.store(o, b, 16);
      v128.store(o, c, 32);
      v128.store(o, d, 48);
    }
  }
  for (; o + 16 <= end; o += 16, s += 16) {
    const v = v128.load(s);
    if (v128.any_true(v128.xor(v, v128.load(o)))) {
      if (first == end) first = o;
      last = o + 16;
      v128.store(o, v);
    }
  }
  for (; o < end; o += 4, s += 4) {
    const v = load<u32>(s);
    if (v != load<u32>(o)) {
      if (first == end) first = o;
      last = o + 4;
      store<u32>(o, v);
    }
  }
  return first == end ? 0 : (<u32>((first - dst) >> 2) << 16) | <u32>((last - dst) >> 2);
}

/** Fills `height` rows of `width` pixels at `dst` (rows `stride` bytes apart) with `word`: a SOLID tile. */
export function fill(dst: usize, stride: usize, width: usize, height: usize, word: u32): void {
  const four = i32x4.splat(word);
  for (let y: usize = 0; y < height; y++) {
    let o = dst + y * stride;
    const end = o + width * 4;
    for (; o + 16 <= end; o += 16) v128.store(o, four);
    for (; o < end; o += 4) store<u32>(o, word);
  }
}

/**
 * Draws `height` rows of 8-bit indices (rows `rowBytes` apart) at `dst`: 0 keeps the pixel, 1…colours is the word at
 * `palette` + 4k, a larger index is not drawn. Sets `rows[y]` to 1 when row y has a non-zero index, and returns the
 * largest index seen (the caller checks it against the palette). Narrower indices go to `putPacked`.
 */
export function putIndexed(
  src: usize,
  rowBytes: usize,
  dst: usize,
  stride: usize,
  width: usize,
  height: usize,
  palette: usize,
  colours: u32,
  rows: usize,
): u32 {
  let largest: u32 = 0;
  const zero = i8x16.splat(0);
  const last = i8x16.splat(<i8>colours);
  // The largest index of the groups of eight, kept lane-wise and reduced once at the end.
  let most = zero;
  for (let y: usize = 0; y < height; y++) {
    let o = dst + y * stride;
    let p = src + y * rowBytes;
    const stop = p + width;
    let any: u32 = 0;
    // Eight pixels at a time, from one 8-byte read, unrolled; eight of "keep" at once: the blank between lines of
    // text, the unchanged part of a tile.
    for (; p + 8 <= stop; p += 8, o += 32) {
      const w = load<u64>(p);
      if (w == 0) continue;
      any = 1;
      const v = v128.load64_splat(p);
      most = i8x16.max_u(most, v);
      if (!v128.any_true(v128.or(i8x16.eq(v, zero), i8x16.gt_u(v, last)))) {
        // Eight colours, none "keep" and none past the palette (a photo's run, mostly): stored without reading what
        // they replace — the back buffer is the frame's largest traffic.
        store<u32>(o, load<u32>(palette + ((<usize>w & 0xff) << 2)));
        store<u32>(o, load<u32>(palette + ((<usize>(w >> 8) & 0xff) << 2)), 4);
        store<u32>(o, load<u32>(palette + ((<usize>(w >> 16) & 0xff) << 2)), 8);
        store<u32>(o, load<u32>(palette + ((<usize>(w >> 24) & 0xff) << 2)), 12);
        store<u32>(o, load<u32>(palette + ((<usize>(w >> 32) & 0xff) << 2)), 16);
        store<u32>(o, load<u32>(palette + ((<usize>(w >> 40) & 0xff) << 2)), 20);
        store<u32>(o, load<u32>(palette + ((<usize>(w >> 48) & 0xff) << 2)), 24);
        store<u32>(o, load<u32>(palette + ((<usize>(w >> 56) & 0xff) << 2)), 28);
        continue;
      }
      // Otherwise no branch on each index: in a photo-like run "keep" and colours alternate in no pattern a predictor
      // learns. Index 0, or one past the palette, keeps the pixel (k - 1 wraps around for 0).
      keepOrPut(o, palette, colours, <u32>w & 0xff);
      keepOrPut(o + 4, palette, colours, <u32>(w >> 8) & 0xff);
      keepOrPut(o + 8, palette, colours, <u32>(w >> 16) & 0xff);
      keepOrPut(o + 12, palette, colours, <u32>(w >> 24) & 0xff);
      keepOrPut(o + 16, palette, colours, <u32>(w >> 32) & 0xff);
      keepOrPut(o + 20, palette, colours, <u32>(w >> 40) & 0xff);
      keepOrPut(o + 24, palette, colours, <u32>(w >> 48) & 0xff);
      keepOrPut(o + 28, palette, colours, <u32>(w >> 56) & 0xff);
    }
    for (; p < stop; p++, o += 4) {
      const k = <u32>load<u8>(p);
      keepOrPut(o, palette, colours, k);
      any |= k;
      largest = max(largest, k);
    }
    store<u8>(rows + y, <u8>(any != 0));
  }
  // Lanes 0–7 (a group's eight indices; 8–15 repeat them): halved three times.
  most = i8x16.max_u(most, i8x16.shuffle(most, most, 4, 5, 6, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
  most = i8x16.max_u(most, i8x16.shuffle(most, most, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
  most = i8x16.max_u(most, i8x16.shuffle(most, most, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
  return max(largest, <u32>i8x16.extract_lane_u(most, 0));
}

@inline
function keepOrPut(o: usize, palette: usize, colours: u32, k: u32): void {
  store<u32>(o, select<u32>(load<u32>(palette + (k << 2)), load<u32>(o), k - 1 < colours));
}

/**
 * `putIndexed` for 1-, 2- and 4-bit indices, a byte at a time without a branch per pixel: a table built for this
 * palette gives, for each byte value, the words its pixels draw and a mask of the pixels drawn (0 keeps the pixel, as
 * does an index past the palette), and the set of indices in it. Text runs alternate ink and background in no
 * pattern a branch predictor learns. `table` needs 256 × (2 × 4 × 8 / bits + 2) bytes. Returns the set of indices
 * seen (bit k for index k).
 */
export function putPacked(
  src: usize,
  rowBytes: usize,
  dst: usize,
  stride: usize,
  width: usize,
  height: usize,
  bits: u32,
  palette: usize,
  colours: u32,
  rows: usize,
  table: usize,
): u32 {
  const perByte: usize = 8 / bits;
  const entry = perByte * 4;
  const masks = table + 256 * entry;
  const sets = masks + 256 * entry;
  const mask: u32 = (1 << bits) - 1;
  for (let b: u32 = 0; b < 256; b++) {
    let set: u32 = 0;
    for (let i: usize = 0; i < perByte; i++) {
      const k = (b >> (8 - bits * (<u32>i + 1))) & mask;
      set |= 1 << k;
      const drawn = k - 1 < colours;
      store<u32>(table + b * entry + i * 4, drawn ? load<u32>(palette + (k << 2)) : 0);
      store<u32>(masks + b * entry + i * 4, drawn ? 0xffffffff : 0);
    }
    store<u16>(sets + b * 2, <u16>set);
  }
  const whole = width / perByte;
  let seen: u32 = 0;
  for (let y: usize = 0; y < height; y++) {
    let o = dst + y * stride;
    let p = src + y * rowBytes;
    const stop = p + whole;
    let any: u32 = 0;
    for (; p < stop; ) {
      if (p + 8 <= stop && load<u64>(p) == 0) {
        p += 8;
        o += entry * 8;
        continue;
      }
      const byte = <usize>load<u8>(p++);
      if (byte == 0) {
        o += entry;
        continue;
      }
      any = 1;
      seen |= <u32>load<u16>(sets + byte * 2);
      const c = table + byte * entry;
      const m = masks + byte * entry;
      if (bits == 4) {
        const keep = ~load<u64>(m);
        store<u64>(o, (load<u64>(o) & keep) | load<u64>(c));
      } else {
        v128.store(o, v128.bitselect(v128.load(c), v128.load(o), v128.load(m)));
        if (bits == 1) v128.store(o, v128.bitselect(v128.load(c, 16), v128.load(o, 16), v128.load(m, 16)), 16);
      }
      o += entry;
    }
    // The row's last byte, when its padding follows some pixels.
    const end = dst + y * stride + width * 4;
    if (o < end) {
      const byte = <u32>load<u8>(p);
      for (let shift = <i32>(8 - bits); o < end; shift -= bits, o += 4) {
        const k = (byte >> shift) & mask;
        seen |= 1 << k;
        if (k != 0) any = 1;
        if (k - 1 < colours) store<u32>(o, load<u32>(palette + (k << 2)));
      }
    }
    store<u8>(rows + y, any);
  }
  return seen;
}
