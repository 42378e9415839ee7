// A PNG reader for tiles: 8-bit RGB or RGBA, not interlaced, any filter; returns rows of packed RGB. The image data
// inflates through a `BlockInflater` (WebAssembly in the console's worker), the filters are undone here, in place.
import * as Result from "effect/Result";
import { decodeError, type FrameDecodeError } from "../../../protocol/frame/index.ts";
import { type BlockInflater, createTsInflater } from "../blockInflater.ts";

export interface DecodedImage {
  readonly width: number;
  readonly height: number;
  /** `height` rows of width × 3 bytes, `rowBytes` apart. */
  readonly rgb: Uint8Array;
  readonly rowBytes: number;
}

/** Largest image accepted; tiles are at most 255×255, so this only stops absurd headers. */
export const PNG_MAX_PIXELS = 1 << 24;

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];
const TYPE_IHDR = 0x49484452;
const TYPE_IDAT = 0x49444154;
const TYPE_IEND = 0x49454e44;

interface Parsed {
  width: number;
  height: number;
  channels: 3 | 4;
  idat: Uint8Array;
}

/** Walks the chunks: IHDR first, IDAT concatenated, stops at IEND; CRCs are left to zlib's Adler-32. */
const parse = (png: Uint8Array): Parsed | string => {
  if (png.length < 8 || SIGNATURE.some((b, i) => png[i] !== b)) return "no PNG signature";
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let at = 8;
  let head: Omit<Parsed, "idat"> | undefined;
  const parts: Uint8Array[] = [];
  while (at + 12 <= png.length) {
    const length = view.getUint32(at);
    const type = view.getUint32(at + 4);
    if (at + 12 + length > png.length) return "chunk past the end";
    const data = png.subarray(at + 8, at + 8 + length);
    if (type === TYPE_IHDR) {
      if (length !== 13) return "bad IHDR";
      const [depth, colour, , , interlace] = data.subarray(8);
      if (depth !== 8 || (colour !== 2 && colour !== 6) || interlace !== 0) return "unsupported PNG format";
      head = {
        width: view.getUint32(at + 8),
        height: view.getUint32(at + 12),
        channels: colour === 2 ? 3 : 4,
      };
      if (head.width === 0 || head.height === 0 || head.width * head.height > PNG_MAX_PIXELS)
        return "bad PNG size";
    } else if (type === TYPE_IDAT) parts.push(data);
    else if (type === TYPE_IEND) break;
    at += 12 + length;
  }
  if (head === undefined) return "no IHDR";
  if (parts.length === 1) return { ...head, idat: parts[0]! };
  const idat = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const part of parts) {
    idat.set(part, o);
    o += part.length;
  }
  return { ...head, idat };
};

const paeth = (a: number, b: number, c: number): number => {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
};

/** Undoes one row's filter in place; false for an unknown filter type. */
const unfilterRow = (type: number, row: Uint8Array, prev: Uint8Array, bpp: number): boolean => {
  const n = row.length;
  switch (type) {
    case 0:
      return true;
    case 1:
      for (let i = bpp; i < n; i++) row[i] = (row[i]! + row[i - bpp]!) & 0xff;
      return true;
    case 2:
      for (let i = 0; i < n; i++) row[i] = (row[i]! + prev[i]!) & 0xff;
      return true;
    case 3:
      for (let i = 0; i < n; i++)
        row[i] = (row[i]! + (((i >= bpp ? row[i - bpp]! : 0) + prev[i]!) >>> 1)) & 0xff;
      return true;
    case 4:
      for (let i = 0; i < n; i++) {
        const a = i >= bpp ? row[i - bpp]! : 0;
        const c = i >= bpp ? prev[i - bpp]! : 0;
        row[i] = (row[i]! + paeth(a, prev[i]!, c)) & 0xff;
      }
      return true;
    default:
      return false;
  }
};

/**
 * Undoes the per-row filters of `raw` (rows of a filter byte and the pixels) in place, and packs the pixels as RGB
 * rows from its start: row y lands before where it was read, over rows already used.
 */
const unfilter = (raw: Uint8Array, p: Parsed): Uint8Array | string => {
  const bpp = p.channels;
  const stride = p.width * bpp;
  // An RGBA row is packed over itself: the next row's filter reads a copy. An RGB row is read where it was packed.
  const copy = bpp === 4 ? new Uint8Array(stride) : undefined;
  let prev: Uint8Array = new Uint8Array(stride);
  for (let y = 0; y < p.height; y++) {
    const at = y * (stride + 1);
    const type = raw[at]!;
    const row = raw.subarray(at + 1, at + 1 + stride);
    if (!unfilterRow(type, row, prev, bpp)) return `unknown filter ${type}`;
    const o = y * p.width * 3;
    if (copy === undefined) {
      raw.copyWithin(o, at + 1, at + 1 + stride);
      prev = raw.subarray(o, o + stride);
    } else {
      copy.set(row);
      prev = copy;
      for (let i = 0, k = o; i < stride; i += 4) {
        raw[k++] = copy[i]!;
        raw[k++] = copy[i + 1]!;
        raw[k++] = copy[i + 2]!;
      }
    }
  }
  return raw.subarray(0, p.width * p.height * 3);
};

/** True when every row's filter type is 0 (none). */
const unfiltered = (raw: Uint8Array, rowBytes: number, height: number): boolean => {
  for (let at = 0; at < height * rowBytes; at += rowBytes) if (raw[at] !== 0) return false;
  return true;
};

/**
 * Reads a PNG, its image data inflated by `inflater`: rows of packed RGB as a view of the inflater's output (valid
 * until its next call), `rowBytes` apart.
 */
export const readPng = (
  png: Uint8Array,
  inflater: BlockInflater,
): Result.Result<DecodedImage, FrameDecodeError> => {
  const parsed = parse(png);
  if (typeof parsed === "string") return Result.fail(decodeError("BadPayload", parsed));
  const { width, height, channels } = parsed;
  const raw = inflater.zlib(parsed.idat, height * (width * channels + 1));
  if (raw === undefined) return Result.fail(decodeError("BadPayload", "bad PNG image data"));
  // The host's tiles: RGB rows with no filter (filter type 0) are drawn from where they were inflated.
  if (channels === 3 && unfiltered(raw, width * 3 + 1, height))
    return Result.succeed({ width, height, rgb: raw.subarray(1), rowBytes: width * 3 + 1 });
  const rgb = unfilter(raw, parsed);
  if (typeof rgb === "string") return Result.fail(decodeError("BadPayload", rgb));
  return Result.succeed({ width, height, rgb, rowBytes: width * 3 });
};

/** The pure-TS reader, its own inflater behind each picture: for tests and the full-frame PNG baseline. */
export const decodePng = (png: Uint8Array): Result.Result<DecodedImage, FrameDecodeError> =>
  readPng(png, createTsInflater());
