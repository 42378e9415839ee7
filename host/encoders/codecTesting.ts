// Test support for encoder/decoder pairs: run frames through the viewer and compare pixels exactly.
import * as Result from "effect/Result";
import type { FrameDecodeError, RgbaImage } from "../../protocol/frame/index.ts";
import { FrameDecoder, FrameStreamReader } from "../../viewer/decoders/index.ts";
import { Display } from "../../viewer/display/index.ts";

/** The first pixel index where the display differs from `expected` (alpha forced opaque), or -1. */
export const firstDifference = (expected: RgbaImage, display: Display): number => {
  if (display.width !== expected.width || display.height !== expected.height) return 0;
  const a = expected.data;
  const b = display.pixels;
  for (let i = 0; i < a.length; i += 4) {
    if (a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2] || b[i + 3] !== 255) return i / 4;
  }
  return -1;
};

/** A viewer: Display + FrameDecoder, optionally fed through the stream reader in chunks. */
export class TestViewer {
  readonly display = new Display();
  readonly decoder = new FrameDecoder(this.display);
  private readonly stream = new FrameStreamReader();

  async apply(bytes: Uint8Array): Promise<FrameDecodeError | undefined> {
    const r = await this.decoder.apply(bytes);
    return Result.isFailure(r) ? r.failure : undefined;
  }

  /** Feeds `bytes` in chunks of the given sizes (cycled), applying each frame the stream yields. */
  async applyStreamed(
    bytes: Uint8Array,
    chunkSizes: readonly number[],
  ): Promise<FrameDecodeError | undefined> {
    let at = 0;
    let k = 0;
    let frames = 0;
    while (at < bytes.length) {
      const size = Math.max(1, chunkSizes[k++ % chunkSizes.length]!);
      const r = this.stream.push(bytes.subarray(at, at + size));
      at += size;
      if (Result.isFailure(r)) return r.failure;
      for (const frame of r.success) {
        frames++;
        const applied = await this.decoder.apply(frame);
        if (Result.isFailure(applied)) return applied.failure;
      }
    }
    if (frames !== 1) throw new Error(`stream yielded ${frames} frames for one message`);
    return undefined;
  }
}
