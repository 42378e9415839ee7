// The viewer's picture: owns the RGBA back buffer, tracks damage, and hands it to a sink once per animation frame.
import type { Rect } from "../../protocol/frame/index.ts";
import { Damage } from "./damage.ts";
import type { PixelKernels } from "./pixelKernels.ts";

/**
 * Receives the damaged parts of the back buffer (a canvas later: putImageData with a dirty rect), one call for each
 * damaged region of a flip.
 */
export interface DisplaySink {
  present(pixels: Uint8ClampedArray, width: number, height: number, damage: Rect): void;
}

/** Runs a callback before the next paint: `requestAnimationFrame` in a browser, a manual queue in tests. */
export type FrameScheduler = (callback: () => void) => void;

export interface DisplayOptions {
  readonly sink?: DisplaySink;
  readonly schedule?: FrameScheduler;
  /**
   * Damage is kept as at most this many rectangles, each presented on its own: painting costs by the pixel, and a
   * putImageData call of its own next to nothing, so a far-apart small change should not drag the screen between
   * into the paint, nor the blank rows between lines of text (a 1080-pixel page has about 60 lines). Default 64.
   */
  readonly damageRegionsMax?: number;
  /**
   * WebAssembly pixel loops that hold the back buffer in their memory: pixels an inflater left in that memory are
   * drawn there without a copy, ~3× faster than the TS loops (which draw everything else).
   */
  readonly kernels?: PixelKernels;
}

const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

export class Display {
  private buffer: Uint8ClampedArray<ArrayBuffer> = new Uint8ClampedArray(0);
  private words = new Uint32Array(0);
  /** The back buffer as signed words: palette loops store small integers, never unsigned ones past 2³¹. */
  private ints = new Int32Array(0);
  private w = 0;
  private h = 0;
  private readonly damageSet: Damage;
  /** `putPackedIndexed`'s scratch: 1 for each row of the run that drew a pixel. */
  private rowsDrawn = new Uint8Array(64);
  private flipPending = false;

  constructor(private readonly options: DisplayOptions = {}) {
    this.damageSet = new Damage(options.damageRegionsMax ?? 64);
    this.kernels = options.kernels;
    this.kernels?.onMoved(() => this.bind(this.kernels!.backBuffer()));
  }

  private readonly kernels: PixelKernels | undefined;

  private bind(buffer: Uint8ClampedArray<ArrayBuffer>): void {
    this.buffer = buffer;
    this.words = new Uint32Array(buffer.buffer, buffer.byteOffset, buffer.length >>> 2);
    this.ints = new Int32Array(buffer.buffer, buffer.byteOffset, buffer.length >>> 2);
  }

  get width(): number {
    return this.w;
  }
  get height(): number {
    return this.h;
  }
  /** The back buffer, RGBA, row-major. Read-only for everyone but the Display. */
  get pixels(): Uint8ClampedArray {
    return this.buffer;
  }

  /** True when the display's kernels can draw from `bytes` (they lie in their memory). */
  kernelsOwn(bytes: Uint8Array): boolean {
    return this.kernels?.owns(bytes) ?? false;
  }

  /** True when `rect` lies wholly inside the picture. */
  contains(r: Rect): boolean {
    return (
      r.x >= 0 &&
      r.y >= 0 &&
      r.width >= 0 &&
      r.height >= 0 &&
      r.x + r.width <= this.w &&
      r.y + r.height <= this.h
    );
  }

  /** Resizes if needed and clears to opaque black (a key frame starts from here). */
  reset(width: number, height: number): void {
    if (width !== this.w || height !== this.h) {
      if (this.kernels === undefined) this.bind(new Uint8ClampedArray(width * height * 4));
      else {
        this.kernels.allocateBackBuffer(width * height * 4);
        this.bind(this.kernels.backBuffer());
      }
      this.w = width;
      this.h = height;
    }
    this.words.fill(pack(0, 0, 0));
    this.damage({ x: 0, y: 0, width, height });
  }

  fillRgb(r: Rect, red: number, green: number, blue: number): void {
    const word = pack(red, green, blue);
    // A call a row costs more than the row: a screen of SOLID tiles is over 30,000 rows.
    if (this.kernels) this.kernels.fill(r, word, this.w);
    else
      for (let y = r.y; y < r.y + r.height; y++)
        this.words.fill(word, y * this.w + r.x, y * this.w + r.x + r.width);
    this.damage(r);
  }

  /** Draws rows of packed R, G, B (3 bytes per pixel), `rowBytes` apart, into `r`. */
  putRgb(r: Rect, rgb: Uint8Array, rowBytes = r.width * 3): void {
    if (this.kernels?.owns(rgb)) {
      this.kernels.putRgb(r, rgb, rowBytes, this.w, false);
      this.damage(r);
      return;
    }
    const { words, w } = this;
    const packed = packedWords(rgb);
    for (let y = r.y; y < r.y + r.height; y++) {
      let o = y * w + r.x;
      const end = o + r.width;
      let i = (y - r.y) * rowBytes;
      if (packed !== undefined && (i & 3) === 0) {
        // Four pixels from three words (bytes R0 G0 B0 R1 | G1 B1 R2 G2 | B2 R3 G3 B3): a third of the reads.
        let k = i >>> 2;
        for (; o + 4 <= end; o += 4) {
          const a = packed[k++]!;
          const b = packed[k++]!;
          const c = packed[k++]!;
          words[o] = (a | ALPHA) >>> 0;
          words[o + 1] = ((a >>> 24) | (b << 8) | ALPHA) >>> 0;
          words[o + 2] = ((b >>> 16) | (c << 16) | ALPHA) >>> 0;
          words[o + 3] = ((c >>> 8) | ALPHA) >>> 0;
        }
        i = k << 2;
      }
      for (; o < end; o++, i += 3) words[o] = pack(rgb[i]!, rgb[i + 1]!, rgb[i + 2]!);
    }
    this.damage(r);
  }

  /** The back buffer's word for an opaque colour (what `putIndexed` palettes hold). */
  wordOf(red: number, green: number, blue: number): number {
    return pack(red, green, blue);
  }

  /**
   * Draws one index a pixel into `r`: 0 keeps the pixel, k (1…colours) is `palette[k]`. False, having drawn part,
   * when an index is past the palette.
   */
  putIndexed(r: Rect, indices: Uint8Array, palette: Uint32Array, colours: number): boolean {
    if (this.kernels?.owns(indices)) {
      const ok = this.kernels.putIndexed(r, indices, 8, palette, colours, this.w, this.rowFlags(r.height));
      this.damage(r);
      return ok;
    }
    const { words, w } = this;
    let i = 0;
    let ok = true;
    for (let y = r.y; y < r.y + r.height; y++) {
      const end = y * w + r.x + r.width;
      for (let o = y * w + r.x; o < end; o++, i++) {
        const k = indices[i]!;
        if (k === 0) continue;
        if (k > colours) ok = false;
        else words[o] = palette[k]!;
      }
    }
    this.damage(r);
    return ok;
  }

  /**
   * `putIndexed` straight from rows of `bits`-bit indices, most significant first, each row padded to a whole byte:
   * no unpacked copy, and a byte of "keep" (0) skips its pixels at once — text and UI runs are mostly such bytes.
   */
  putPackedIndexed(
    r: Rect,
    packed: Uint8Array,
    bits: 1 | 2 | 4,
    palette: Uint32Array,
    colours: number,
  ): boolean {
    const rows = this.rowFlags(r.height);
    let ok: boolean;
    if (this.kernels?.owns(packed)) {
      ok = this.kernels.putIndexed(r, packed, bits, palette, colours, this.w, rows);
    } else {
      const seen =
        bits === 2
          ? putTwoBit(this.ints, this.w, r, packed, palette, colours, rows)
          : putPacked(this.ints, this.w, r, packed, bits, palette, colours, rows);
      ok = seen >>> (colours + 1) === 0;
    }
    // Damage only the rows that drew something: between lines of text every index is "keep".
    for (let y = 0; y < r.height; ) {
      if (rows[y] === 0) {
        y++;
        continue;
      }
      const from = y;
      while (y < r.height && rows[y] !== 0) y++;
      this.damage({ x: r.x, y: r.y + from, width: r.width, height: y - from });
    }
    return ok;
  }

  private rowFlags(height: number): Uint8Array {
    if (this.rowsDrawn.length < height) this.rowsDrawn = new Uint8Array(height);
    return this.rowsDrawn;
  }

  /** XORs packed R, G, B rows onto `r` (alpha stays opaque). */
  xorRgb(r: Rect, rgb: Uint8Array): void {
    if (this.kernels?.owns(rgb)) {
      this.kernels.putRgb(r, rgb, r.width * 3, this.w, true);
      this.damage(r);
      return;
    }
    const { words, w } = this;
    const packed = packedWords(rgb);
    let i = 0;
    for (let y = r.y; y < r.y + r.height; y++) {
      let o = y * w + r.x;
      const end = o + r.width;
      if (packed !== undefined && (i & 3) === 0) {
        // As in `putRgb`: four pixels from three words.
        let k = i >>> 2;
        for (; o + 4 <= end; o += 4) {
          const a = packed[k++]!;
          const b = packed[k++]!;
          const c = packed[k++]!;
          words[o] = words[o]! ^ (a & 0xffffff);
          words[o + 1] = words[o + 1]! ^ (((a >>> 24) | (b << 8)) & 0xffffff);
          words[o + 2] = words[o + 2]! ^ (((b >>> 16) | (c << 16)) & 0xffffff);
          words[o + 3] = words[o + 3]! ^ (c >>> 8);
        }
        i = k << 2;
      }
      for (; o < end; o++, i += 3)
        words[o] = (words[o]! ^ packColour(rgb[i]!, rgb[i + 1]!, rgb[i + 2]!)) >>> 0;
    }
    this.damage(r);
  }

  /**
   * Moves every rectangle of `sources` (inside the picture, as are their destinations) by (dx, dy) at once, with no
   * copy of the old picture: destination rows are visited in the order that reads each source row before anything
   * writes over it (down the picture when moving up, up it when moving down), and in each row the rectangles' spans,
   * merged where they overlap, move as memmoves — left to right when moving left. Rectangles that overlap each
   * other or their own destinations (a scroll cut into pieces) move as the one motion they are.
   *
   * With kernels and a vertical component (a row never reads itself), only what the move changed is damaged: rows
   * that were already what moved onto them (the blank between lines) and a row's ends that were (past a line's end)
   * are not painted again. On the bench's scrolls that is a third of the moved area.
   */
  moveRects(sources: readonly Rect[], dx: number, dy: number): void {
    if (sources.length === 0) return;
    const byX = [...sources].sort((a, b) => a.x - b.x);
    const top = Math.min(...sources.map((r) => r.y)) + dy;
    const bottom = Math.max(...sources.map((r) => r.y + r.height)) + dy;
    const shift = dy * this.w + dx;
    const kernels = dy === 0 ? undefined : this.kernels;
    const changed = new ChangedRows((r) => this.damage(r));
    const moveSpan = (y: number, x0: number, x1: number) => {
      const to = y * this.w + x0;
      if (kernels === undefined) {
        this.buffer.copyWithin(to * 4, (to - shift) * 4, (to - shift + x1 - x0) * 4);
        return;
      }
      const span = kernels.moveSpan(to, to - shift, x1 - x0);
      if (span !== 0) changed.add(y, x0 + (span >>> 16), x0 + (span & 0xffff));
    };
    for (let k = 0; k < bottom - top; k++) {
      const y = dy > 0 ? bottom - 1 - k : top + k;
      const sy = y - dy;
      // This row's spans in destination x, sorted, merged where they overlap or touch.
      const spans: [number, number][] = [];
      for (const r of byX) {
        if (sy < r.y || sy >= r.y + r.height) continue;
        const last = spans[spans.length - 1];
        if (last !== undefined && r.x + dx <= last[1]) last[1] = Math.max(last[1], r.x + r.width + dx);
        else spans.push([r.x + dx, r.x + r.width + dx]);
      }
      if (dx > 0) spans.reverse();
      for (const [x0, x1] of spans) moveSpan(y, x0, x1);
    }
    if (kernels !== undefined) changed.flush();
    else for (const r of sources) this.damage({ x: r.x + dx, y: r.y + dy, width: r.width, height: r.height });
  }

  /** Copies `r` out as RGBA rows into `out` (which must hold r.width × r.height × 4 bytes). */
  readRgba(r: Rect, out: Uint8Array): void {
    for (let row = 0; row < r.height; row++) {
      const from = ((r.y + row) * this.w + r.x) * 4;
      out.set(this.buffer.subarray(from, from + r.width * 4), row * r.width * 4);
    }
  }

  /**
   * Draws several RGBA rectangles (cells from the viewer's cache) and damages their bounding box once: a line of
   * glyphs paints as one strip, not as a region a glyph.
   */
  putRgbaAll(pieces: readonly { readonly rect: Rect; readonly rgba: Uint8Array }[]): void {
    if (pieces.length === 0) return;
    let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const { rect: r, rgba } of pieces) {
      this.putRgbaRows(r, rgba);
      [x0, y0] = [Math.min(x0, r.x), Math.min(y0, r.y)];
      [x1, y1] = [Math.max(x1, r.x + r.width), Math.max(y1, r.y + r.height)];
    }
    this.damage({ x: x0, y: y0, width: x1 - x0, height: y1 - y0 });
  }

  /** Draws RGBA rows (as read by `readRgba`) into `r`. */
  putRgba(r: Rect, rgba: Uint8Array): void {
    this.putRgbaRows(r, rgba);
    this.damage(r);
  }

  private putRgbaRows(r: Rect, rgba: Uint8Array): void {
    for (let row = 0; row < r.height; row++) {
      this.buffer.set(
        rgba.subarray(row * r.width * 4, (row + 1) * r.width * 4),
        ((r.y + row) * this.w + r.x) * 4,
      );
    }
  }

  /** The bounding box of the damage since the last flip, or `undefined` when nothing changed. */
  get damaged(): Rect | undefined {
    return this.damageSet.bounds;
  }

  /** The damage since the last flip as the rectangles a flip presents. */
  get damagedRegions(): readonly Rect[] {
    return this.damageSet.regions;
  }

  /**
   * Hands each damaged region to the sink and starts a new damage set; returns the bounding box of what was flipped.
   */
  flip(): Rect | undefined {
    this.flipPending = false;
    const bounds = this.damageSet.bounds;
    if (bounds === undefined) return undefined;
    const regions = this.damageSet.regions;
    this.damageSet.clear();
    const sink = this.options.sink;
    if (sink !== undefined) for (const r of regions) sink.present(this.buffer, this.w, this.h, r);
    return bounds;
  }

  private damage(r: Rect): void {
    if (r.width <= 0 || r.height <= 0) return;
    this.damageSet.add(r);
    const schedule = this.options.schedule;
    if (schedule !== undefined && !this.flipPending) {
      this.flipPending = true;
      schedule(() => this.flip());
    }
  }
}

/**
 * What a move changed, row by row, as rectangles: rows next to each other that changed make one rectangle (the
 * union of their changed spans), a row that did not change ends it. Rows may come down or up the picture.
 */
class ChangedRows {
  private x0 = 0;
  private x1 = 0;
  private y0 = 0;
  private y1 = 0;

  constructor(private readonly damage: (r: Rect) => void) {}

  add(y: number, x0: number, x1: number): void {
    if (this.y1 > this.y0 && y >= this.y0 - 1 && y <= this.y1) {
      // A row of the rectangle again (another span of it), or the next one either way.
      this.y0 = Math.min(this.y0, y);
      this.y1 = Math.max(this.y1, y + 1);
      this.x0 = Math.min(this.x0, x0);
      this.x1 = Math.max(this.x1, x1);
      return;
    }
    this.flush();
    [this.x0, this.x1, this.y0, this.y1] = [x0, x1, y, y + 1];
  }

  flush(): void {
    if (this.y1 > this.y0)
      this.damage({ x: this.x0, y: this.y0, width: this.x1 - this.x0, height: this.y1 - this.y0 });
    this.y1 = this.y0;
  }
}

/**
 * Draws 2-bit indices (the usual text run: background, ink, one more): each byte is four pixels, unrolled. Returns
 * the set of indices that occur (bit k for index k), for the caller to check against the palette; an index past the
 * palette is not drawn. Whether a pixel is kept is a branch (it skips the store); which colour it gets is not: ink
 * and background alternate in no pattern a branch predictor learns, so the colour is c1, with c1 ^ c2 xor'd in for
 * index 2 or 3 and c2 ^ c3 for index 3.
 */
const putTwoBit = (
  ints: Int32Array,
  w: number,
  r: Rect,
  packed: Uint8Array,
  palette: Uint32Array,
  colours: number,
  rowsDrawn: Uint8Array,
): number => {
  const c1 = palette[1]! | 0;
  const d12 = (palette[1]! ^ palette[2]!) | 0;
  const d23 = (palette[2]! ^ palette[3]!) | 0;
  const rowBytes = (r.width + 3) >>> 2;
  const whole = r.width >>> 2;
  let seen = 0;
  for (let y = 0; y < r.height; y++) {
    let o = (r.y + y) * w + r.x;
    let p = y * rowBytes;
    const stop = p + whole;
    let any = 0;
    for (; p < stop; p++, o += 4) {
      const b = packed[p]!;
      if (b === 0) continue;
      any = 1;
      seen |= INDICES_IN_2[b]!;
      let k = b >>> 6;
      if (k !== 0 && k <= colours) ints[o] = c1 ^ (d12 & -(k >>> 1)) ^ (d23 & -(k & (k >>> 1)));
      k = (b >>> 4) & 3;
      if (k !== 0 && k <= colours) ints[o + 1] = c1 ^ (d12 & -(k >>> 1)) ^ (d23 & -(k & (k >>> 1)));
      k = (b >>> 2) & 3;
      if (k !== 0 && k <= colours) ints[o + 2] = c1 ^ (d12 & -(k >>> 1)) ^ (d23 & -(k & (k >>> 1)));
      k = b & 3;
      if (k !== 0 && k <= colours) ints[o + 3] = c1 ^ (d12 & -(k >>> 1)) ^ (d23 & -(k & (k >>> 1)));
    }
    // The row's last byte, when its padding follows some pixels.
    const end = (r.y + y) * w + r.x + r.width;
    for (let shift = 6; o < end; shift -= 2, o++) {
      const k = (packed[p]! >>> shift) & 3;
      seen |= 1 << k;
      any |= k;
      if (k !== 0 && k <= colours) ints[o] = c1 ^ (d12 & -(k >>> 1)) ^ (d23 & -(k & (k >>> 1)));
    }
    rowsDrawn[y] = any;
  }
  return seen;
};

/** `putTwoBit` for 1- and 4-bit indices, a pixel at a time. */
const putPacked = (
  ints: Int32Array,
  w: number,
  r: Rect,
  packed: Uint8Array,
  bits: 1 | 4,
  palette: Uint32Array,
  colours: number,
  rowsDrawn: Uint8Array,
): number => {
  const rowBytes = Math.ceil((r.width * bits) / 8);
  const perByte = 8 / bits;
  const whole = Math.floor(r.width / perByte);
  const mask = (1 << bits) - 1;
  const indicesIn = INDICES_IN[bits];
  let seen = 0;
  for (let y = 0; y < r.height; y++) {
    let o = (r.y + y) * w + r.x;
    let p = y * rowBytes;
    const stop = p + whole;
    let any = 0;
    for (; p < stop; p++) {
      const byte = packed[p]!;
      if (byte === 0) {
        o += perByte;
        continue;
      }
      any = 1;
      seen |= indicesIn[byte]!;
      for (let shift = 8 - bits; shift >= 0; shift -= bits, o++) {
        const k = (byte >>> shift) & mask;
        if (k !== 0 && k <= colours) ints[o] = palette[k]! | 0;
      }
    }
    // The row's last byte, when its padding follows some pixels.
    const end = (r.y + y) * w + r.x + r.width;
    for (let shift = 8 - bits; o < end; shift -= bits, o++) {
      const k = (packed[p]! >>> shift) & mask;
      seen |= 1 << k;
      any |= k;
      if (k !== 0 && k <= colours) ints[o] = palette[k]! | 0;
    }
    rowsDrawn[y] = any;
  }
  return seen;
};

/** For 1-, 2- and 4-bit indices: for each byte, the set of indices in it (bit k for index k). */
const INDICES_IN = { 1: indexSets(1), 4: indexSets(4) } as const;
const INDICES_IN_2 = indexSets(2);

function indexSets(bits: number): Uint16Array {
  const sets = new Uint16Array(256);
  for (let b = 0; b < 256; b++)
    for (let shift = 0; shift < 8; shift += bits)
      sets[b] = sets[b]! | (1 << ((b >>> shift) & ((1 << bits) - 1)));
  return sets;
}

/** The colour bits of a pixel as a native-endian word, alpha bits zero (what XOR deltas touch). */
const packColour = LITTLE_ENDIAN
  ? (r: number, g: number, b: number): number => (b << 16) | (g << 8) | r
  : (r: number, g: number, b: number): number => ((r << 24) | (g << 16) | (b << 8)) >>> 0;
const ALPHA = LITTLE_ENDIAN ? 0xff000000 : 0xff;

/** One opaque pixel as a native-endian word. */
const pack = (r: number, g: number, b: number): number => (packColour(r, g, b) | ALPHA) >>> 0;

/**
 * The packed RGB bytes as little-endian words, when they start 4-aligned on a little-endian machine (decoder scratch
 * does): then a pixel's colour bits are 0xBBGGRR, as in the back buffer's words.
 */
const packedWords = (rgb: Uint8Array): Uint32Array | undefined =>
  LITTLE_ENDIAN && (rgb.byteOffset & 3) === 0
    ? new Uint32Array(rgb.buffer, rgb.byteOffset, rgb.length >>> 2)
    : undefined;
