// PALETTE_RUN_DEFLATE: consecutive changed tiles of one tile row as one palette and one deflate stream of indices.
// Per-tile LZ4 cannot see that a line of text repeats the same glyphs tile after tile, nor entropy-code anti-aliased
// edges; deflate over the whole run does both, and index 0 ("keep") makes what did not change nearly free — the
// strip a scroll uncovers costs about what its new text is worth.
// PALETTE_RUN_LZ4: the same run with its indices in one LZ4 block, for frames that change most of the screen: there
// LZ4 encodes ~4× and decodes several times faster than deflate, for ~60 % more bytes.
// PALETTE_RUN_DEFLATED_PALETTE: the deflate run with its palette sorted and inside the stream, as differences: the
// raw palette of anti-aliased text was a fifth of a scrolling terminal's bytes.
import { deflateRawSync } from "node:zlib";
import {
  Encoding,
  paletteRowBytes,
  RUN_COLOURS_MAX,
  RUN_DEFLATED_PALETTE_STREAM_OFFSET,
  RUN_TILES_MAX,
  runBitsPerIndex,
  runIndexOffset,
} from "../../protocol/frame/index.ts";
import { packIndexRow, writePaletteRgb } from "./indexPacking.ts";
import { compressBlock } from "./lz4Block.ts";
import type { TileEncoder } from "./tileEncoder.ts";

const SLOTS = 1024; // a power of two, four times the largest palette, so probes stay short

/** Deflate level: 4 is within ~3 % of 6 on screen text, at two thirds of the time. */
export const RUN_DEFLATE_LEVEL = 4;

export type RunEncoding =
  | typeof Encoding.PALETTE_RUN_DEFLATE
  | typeof Encoding.PALETTE_RUN_LZ4
  | typeof Encoding.PALETTE_RUN_DEFLATED_PALETTE;

/** Builds one run: tiles are added left to right; `finish` writes the payload. */
export class PaletteRunBuilder {
  private readonly keys = new Int32Array(SLOTS);
  private readonly values = new Int32Array(SLOTS);
  private readonly stamps = new Uint32Array(SLOTS);
  private stamp = 0;
  private readonly colours = new Int32Array(RUN_COLOURS_MAX);
  /** `finishDeflatedPalette`'s map from an index to its place in the sorted palette; 0 (keep) stays 0. */
  private readonly renumber = new Uint8Array(256);
  private size = 0;
  /** Indices with a stride of the widest run possible, packed to the run's own width at `finish`. */
  private indices = new Uint8Array(0);
  private stride = 0;
  private rows = 0;
  /** The order `add` visits the rows in (`spreadRows`). */
  private order: Uint16Array = new Uint16Array(0);
  private width = 0;
  /** Tiles in the run so far. */
  tiles = 0;

  /** Pixels in the run so far. */
  get pixels(): number {
    return this.rows * this.width;
  }

  constructor(private readonly level = RUN_DEFLATE_LEVEL) {}

  /** Starts an empty run of `rows` pixel rows, at most `maxWidth` pixels wide. */
  begin(rows: number, maxWidth: number): void {
    if (this.indices.length < rows * maxWidth) this.indices = new Uint8Array(rows * maxWidth);
    this.stride = maxWidth;
    if (this.order.length !== rows) this.order = spreadRows(rows);
    this.rows = rows;
    this.width = 0;
    this.tiles = 0;
    this.size = 0;
    this.stamp = (this.stamp + 1) >>> 0 || this.resetStamps();
  }

  /**
   * Adds the next tile to the right (`pixels`, and `previous`, what the viewer holds there, if anything), its rows
   * `width` words long, the first at `from` and `stride` apart (contiguous by default; the frame encoder reads tiles
   * in place in the screen). False, with the run as it was before, when the run would need more than 255 colours or
   * 255 tiles.
   */
  add(
    pixels: Uint32Array,
    previous: Uint32Array | undefined,
    width: number,
    from = 0,
    stride = width,
  ): boolean {
    if (this.tiles === RUN_TILES_MAX || this.width + width > this.stride) return false;
    const before = this.size;
    let last = -1;
    let lastIndex = 0;
    for (let k = 0; k < this.rows; k++) {
      const y = this.order[k]!;
      const row = from + y * stride;
      const out = y * this.stride + this.width;
      for (let x = 0; x < width; x++) {
        const c = pixels[row + x]! & 0xffffff;
        if (previous !== undefined && (previous[row + x]! & 0xffffff) === c) {
          this.indices[out + x] = 0;
          continue;
        }
        if (c !== last) {
          lastIndex = this.lookup(c);
          if (lastIndex < 0) {
            // The colours this tile added stay in the table but are never used: they are past `size`.
            this.size = before;
            this.stamp = (this.stamp + 1) >>> 0 || this.resetStamps();
            this.rehash();
            return false;
          }
          last = c;
        }
        this.indices[out + x] = lastIndex;
      }
    }
    this.width += width;
    this.tiles++;
    return true;
  }

  /** The record's payload for the tiles added since `begin`, its indices compressed as `encoding` says. */
  finish(encoding: RunEncoding): Uint8Array {
    if (encoding === Encoding.PALETTE_RUN_DEFLATED_PALETTE) return this.finishDeflatedPalette();
    const packed = this.packIndices(0);
    const stream =
      encoding === Encoding.PALETTE_RUN_LZ4
        ? compressBlock(packed)
        : deflateRawSync(packed, { level: this.level });
    const head = runIndexOffset(this.size);
    const out = new Uint8Array(head + stream.length);
    out[0] = this.tiles;
    out[1] = this.size;
    writePaletteRgb(this.colours, this.size, out, 2);
    out.set(stream, head);
    return out;
  }

  /**
   * The palette sorted by brightness (a text's anti-aliased ramps become runs of small steps), written as each
   * channel's differences ahead of the indices, which are renumbered to match; one deflate stream for both.
   */
  private finishDeflatedPalette(): Uint8Array {
    const n = this.size;
    const order = Array.from({ length: n }, (_, k) => k).sort(
      (a, b) =>
        brightness(this.colours[a]!) - brightness(this.colours[b]!) || this.colours[a]! - this.colours[b]!,
    );
    const renumber = this.renumber;
    for (let k = 0; k < n; k++) renumber[order[k]! + 1] = k + 1;
    const raw = this.packIndices(3 * n, renumber);
    let r = 0;
    let g = 0;
    let b = 0;
    for (let k = 0; k < n; k++) {
      const c = this.colours[order[k]!]!;
      raw[k] = ((c & 0xff) - r) & 0xff;
      raw[n + k] = (((c >>> 8) & 0xff) - g) & 0xff;
      raw[2 * n + k] = (((c >>> 16) & 0xff) - b) & 0xff;
      r = c & 0xff;
      g = (c >>> 8) & 0xff;
      b = (c >>> 16) & 0xff;
    }
    const stream = deflateRawSync(raw, { level: this.level });
    const out = new Uint8Array(RUN_DEFLATED_PALETTE_STREAM_OFFSET + stream.length);
    out[0] = this.tiles;
    out[1] = n;
    out.set(stream, RUN_DEFLATED_PALETTE_STREAM_OFFSET);
    return out;
  }

  /** The run's indices packed row by row after `head` free bytes, through `renumber` when given. */
  private packIndices(head: number, renumber?: Uint8Array): Uint8Array {
    // Few colours (unsmoothed text, UI): 1, 2 or 4 bits an index, so deflate sees 8, 4 or 2 pixels a symbol.
    const bits = runBitsPerIndex(this.size);
    const rowBytes = paletteRowBytes(this.width, bits);
    const packed = new Uint8Array(head + this.rows * rowBytes);
    for (let y = 0; y < this.rows; y++) {
      packIndexRow(this.indices, y * this.stride, this.width, bits, packed, head + y * rowBytes, renumber);
    }
    return packed;
  }

  /** Index (1-based) of `colour`, adding it; -1 past 255 colours. */
  private lookup(colour: number): number {
    let slot = Math.imul(colour, 0x9e3779b1) >>> 22;
    for (;;) {
      if (this.stamps[slot] !== this.stamp) {
        if (this.size === RUN_COLOURS_MAX) return -1;
        this.stamps[slot] = this.stamp;
        this.keys[slot] = colour;
        this.values[slot] = this.size + 1;
        this.colours[this.size] = colour;
        return ++this.size;
      }
      if (this.keys[slot] === colour) return this.values[slot]!;
      slot = (slot + 1) & (SLOTS - 1);
    }
  }

  /** After a rollback: the table holds exactly the run's colours again. */
  private rehash(): void {
    const n = this.size;
    this.size = 0;
    for (let i = 0; i < n; i++) this.lookup(this.colours[i]!);
  }

  private resetStamps(): number {
    this.stamps.fill(0);
    return 1;
  }
}

/** A colour's (0xBBGGRR) weight for the palette's order: about how bright it looks. */
const brightness = (c: number): number => 2 * (c & 0xff) + 7 * ((c >>> 8) & 0xff) + ((c >>> 16) & 0xff);

/**
 * The rows 0 … rows − 1 in bit-reversed order (0, 32, 16, 48, 8, … for 64): spread over the tile from the start, so
 * a photo-like tile, whose colours change down the tile as well as along it, shows its 256th colour after about a
 * third of the pixels that row order needs (a fifth of a colourful tile's encode time). Which rows come first
 * changes only the palette's order, never what fits.
 */
const spreadRows = (rows: number): Uint16Array => {
  let bits = 0;
  while (1 << bits < rows) bits++;
  const reversed = (y: number) => {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((y >> b) & 1) << (bits - 1 - b);
    return r;
  };
  return Uint16Array.from({ length: rows }, (_, y) => y).sort((a, b) => reversed(a) - reversed(b));
};

/** The one-tile form, for the registry and the codec pair tests; the frame encoder builds longer runs itself. */
export const createPaletteRunEncoder = (tileSizePx: number, encoding: RunEncoding): TileEncoder => {
  const builder = new PaletteRunBuilder();
  return {
    encoding,
    encode: (tile) => {
      builder.begin(tile.height, tileSizePx);
      return builder.add(tile.pixels, tile.previous, tile.width) ? builder.finish(encoding) : undefined;
    },
  };
};
