// Where a captured frame's pixels live and what turns X's ZPixmap words into RGBA there: plain memory and the TS loop,
// or a WebAssembly module's memory and its SIMD kernel (`wasm/captureKernels.ts`).
import type { RgbaImage } from "../../protocol/frame/index.ts";
import { type ZPixmapLayout, zPixmapRowsToRgba } from "./zPixmap.ts";

export interface FrameMemory {
  /** Zeroed bytes for one frame (4-aligned). */
  allocate(bytes: number): Uint8Array<ArrayBuffer>;
  /** Rewrites rows [y0, y1) of `image`, raw ZPixmap words, as RGBA with alpha 255 (see `zPixmapRowsToRgba`). */
  toRgba(image: RgbaImage, y0: number, y1: number, layout: ZPixmapLayout): void;
}

export const plainFrameMemory: FrameMemory = {
  allocate: (bytes) => new Uint8Array(bytes),
  toRgba: zPixmapRowsToRgba,
};
