// The WebAssembly decode kernels (assembly/, built by build.ts) behind two faces: the inflater (LZ4 blocks, deflate
// and zlib streams) the decoders use, and the pixel loops a Display with its back buffer in the module's memory uses.
// Blocks are copied in once; what they inflate to is drawn from where it lies, into the back buffer, with no copy out.
//
// Memory: [heapBase, back buffer) [palette 1 KiB | row flags | index table | Huffman tables | block | inflated] — the
// scratch after the back buffer.
import type { Rect } from "../../../protocol/frame/index.ts";
import type { PixelKernels } from "../../display/pixelKernels.ts";
import type { BlockInflater } from "../blockInflater.ts";
import { zlibParts } from "../inflateRaw.ts";

interface Exports {
  readonly memory: WebAssembly.Memory;
  readonly SLACK: WebAssembly.Global;
  readonly INFLATE_TABLE_BYTES: WebAssembly.Global;
  heapBase(): number;
  lz4(src: number, srcLength: number, dst: number, expected: number): number;
  inflate(src: number, srcLength: number, dst: number, expected: number, tables: number): number;
  adler32(at: number, length: number): number;
  putRgb(
    src: number,
    srcStride: number,
    dst: number,
    stride: number,
    width: number,
    height: number,
    xor: number,
  ): void;
  fill(dst: number, stride: number, width: number, height: number, word: number): void;
  moveSpan(dst: number, src: number, pixels: number): number;
  putIndexed(...args: [...Rows, palette: number, colours: number, flags: number]): number;
  putPacked(
    ...args: [...Rows, bits: number, palette: number, colours: number, flags: number, table: number]
  ): number;
}

/** Where a record's indices come from and where they are drawn. */
type Rows = [src: number, rowBytes: number, dst: number, stride: number, width: number, height: number];

const PAGE = 65536;
const align16 = (n: number) => (n + 15) & ~15;
const PALETTE_BYTES = 1024;
/**
 * Where the literals start when `block` is one run of exactly `expected` literals and nothing else (LZ4's last
 * sequence alone: a token with no match, the length's extra bytes, the literals); undefined for any other block.
 */
const storedLiterals = (block: Uint8Array, expected: number): number | undefined => {
  const token = block[0];
  if (token === undefined || (token & 15) !== 0) return undefined;
  let length = token >> 4;
  let at = 1;
  if (length === 15) {
    let more: number;
    do {
      more = block[at++] ?? 0;
      length += more;
    } while (more === 255 && at < block.length);
  }
  return length === expected && at + length === block.length ? at : undefined;
};

/** Row flags for one record: a tile is at most 255 rows. */
const ROW_FLAGS = 256;
/** putPacked's table for 1-bit indices (the largest): 256 × (32 + 32 + 2) bytes. */
const TABLE_BYTES = 256 * 66;
const HUFFMAN_TABLES = PALETTE_BYTES + ROW_FLAGS + TABLE_BYTES;

export class WasmKernels implements BlockInflater, PixelKernels {
  private bytes: Uint8Array<ArrayBuffer>;
  private words: Uint32Array<ArrayBuffer>;
  private readonly base: number;
  private readonly slack: number;
  /** Where blocks go, from the scratch's start. */
  private readonly blockAt: number;
  private backBytes = 0;
  private readonly listeners: (() => void)[] = [];

  private constructor(private readonly x: Exports) {
    this.base = x.heapBase();
    this.slack = x.SLACK.value as number;
    this.blockAt = align16(HUFFMAN_TABLES + (x.INFLATE_TABLE_BYTES.value as number));
    this.bytes = new Uint8Array(x.memory.buffer);
    this.words = new Uint32Array(x.memory.buffer);
  }

  static async instantiate(wasm: BufferSource): Promise<WasmKernels> {
    const { instance } = await WebAssembly.instantiate(wasm, {});
    return new WasmKernels(instance.exports as unknown as Exports);
  }

  lz4(block: Uint8Array, expected: number): Uint8Array | undefined {
    const literals = storedLiterals(block, expected);
    if (literals !== undefined) {
      // A block that is one run of literals (the host's for data LZ4 cannot shrink: photos, video, their XOR
      // deltas) is its own output: placed so that the literals start aligned, drawn from there, copied once.
      const { src } = this.place(block, 0, literals);
      return this.bytes.subarray(src + literals, src + literals + expected);
    }
    const { src, dst } = this.place(block, expected);
    return this.x.lz4(src, block.length, dst, expected) === 1
      ? this.bytes.subarray(dst, dst + expected)
      : undefined;
  }

  deflate(stream: Uint8Array, expected: number): Uint8Array | undefined {
    const { src, dst } = this.place(stream, expected);
    return this.x.inflate(src, stream.length, dst, expected, this.scratch + HUFFMAN_TABLES) === expected
      ? this.bytes.subarray(dst, dst + expected)
      : undefined;
  }

  zlib(stream: Uint8Array, expected: number): Uint8Array | undefined {
    const parts = zlibParts(stream);
    const out = parts && this.deflate(parts.deflate, expected);
    return out && this.x.adler32(out.byteOffset, expected) >>> 0 === parts.adler32 ? out : undefined;
  }

  /**
   * Copies `block` into the scratch, `skew` bytes before a 16-byte boundary; where it lies, and where what it inflates
   * to goes (with the slack after both).
   */
  private place(block: Uint8Array, expected: number, skew = 0): { src: number; dst: number } {
    const src = this.scratch + this.blockAt + ((16 - skew) & 15);
    const dst = src + align16(block.length + this.slack);
    this.reserve(dst + expected + this.slack);
    this.bytes.set(block, src);
    return { src, dst };
  }

  allocateBackBuffer(bytes: number): void {
    this.backBytes = bytes;
    this.reserve(this.scratch + this.blockAt);
  }

  backBuffer(): Uint8ClampedArray<ArrayBuffer> {
    return new Uint8ClampedArray(this.x.memory.buffer, this.base, this.backBytes);
  }

  onMoved(listener: () => void): void {
    this.listeners.push(listener);
  }

  owns(bytes: Uint8Array): boolean {
    return bytes.buffer === this.x.memory.buffer;
  }

  moveSpan(to: number, from: number, pixels: number): number {
    return this.x.moveSpan(this.base + to * 4, this.base + from * 4, pixels) >>> 0;
  }

  fill(r: Rect, word: number, width: number): void {
    this.x.fill(this.pixel(r, width), width * 4, r.width, r.height, word);
  }

  putRgb(r: Rect, rgb: Uint8Array, rowBytes: number, width: number, xor: boolean): void {
    // The SIMD loop reads a few bytes past the last pixel: inflated blocks have their slack after them.
    this.x.putRgb(rgb.byteOffset, rowBytes, this.pixel(r, width), width * 4, r.width, r.height, xor ? 1 : 0);
  }

  putIndexed(
    r: Rect,
    packed: Uint8Array,
    bits: number,
    palette: Uint32Array,
    colours: number,
    width: number,
    rows: Uint8Array,
  ): boolean {
    const at = this.scratch;
    this.words.set(palette.subarray(0, colours + 1), at >>> 2);
    const flags = at + PALETTE_BYTES;
    const rowBytes = Math.ceil((r.width * bits) / 8);
    const where: Rows = [packed.byteOffset, rowBytes, this.pixel(r, width), width * 4, r.width, r.height];
    const ok =
      bits === 8
        ? this.x.putIndexed(...where, at, colours, flags) <= colours
        : this.x.putPacked(...where, bits, at, colours, flags, flags + ROW_FLAGS) >>> (colours + 1) === 0;
    rows.set(this.bytes.subarray(flags, flags + r.height));
    return ok;
  }

  /** Address of the back buffer's pixel at the rectangle's top left. */
  private pixel(r: Rect, width: number): number {
    return this.base + (r.y * width + r.x) * 4;
  }

  private get scratch(): number {
    return align16(this.base + this.backBytes);
  }

  private reserve(end: number): void {
    if (end <= this.bytes.length) return;
    this.x.memory.grow(Math.ceil((end - this.bytes.length) / PAGE));
    this.bytes = new Uint8Array(this.x.memory.buffer);
    this.words = new Uint32Array(this.x.memory.buffer);
    for (const listener of this.listeners) listener();
  }
}
