// What a Display can hand its pixel loops to: WebAssembly that owns the memory the back buffer lives in
// (viewer/decoders/wasm). Without one, the Display's own TS loops draw, into a buffer of its own.
import type { Rect } from "../../protocol/frame/index.ts";

export interface PixelKernels {
  /**
   * A back buffer of `bytes` in the kernels' memory (the last one given is released). Its views die when the memory
   * grows; `onMoved` is then called and the Display takes `backBuffer()` again.
   */
  allocateBackBuffer(bytes: number): void;
  backBuffer(): Uint8ClampedArray<ArrayBuffer>;
  onMoved(listener: () => void): void;
  /** True when `bytes` lies in the kernels' memory (an inflater's output): only then can they draw from it. */
  owns(bytes: Uint8Array): boolean;
  /**
   * Copies `pixels` back-buffer words from index `from` to index `to` (spans that do not overlap); which of them
   * changed, as (first << 16) | end relative to `to`, or 0 when none did (16 bits hold any span: a frame's width is
   * a 16-bit field).
   */
  moveSpan(to: number, from: number, pixels: number): number;
  /** Display.fillRgb on the back buffer, `width` pixels a row; `word` as the back buffer holds it. */
  fill(r: Rect, word: number, width: number): void;
  /** Display.putRgb / xorRgb on the back buffer, `width` pixels a row; `rgb`'s rows are `rowBytes` apart. */
  putRgb(r: Rect, rgb: Uint8Array, rowBytes: number, width: number, xor: boolean): void;
  /**
   * Display.putIndexed / putPackedIndexed: draws, and returns false when an index was past the palette; `rows` gets 1
   * for each row of `r` with a non-zero index.
   */
  putIndexed(
    r: Rect,
    packed: Uint8Array,
    bits: number,
    palette: Uint32Array,
    colours: number,
    width: number,
    rows: Uint8Array,
  ): boolean;
}
