// R-D3: whole frames — every encoding the host writes, then the same frames cut and bent — decode to the same pixels
// and the same typed errors with the WebAssembly kernels as with the pure-TS decoders.
import * as Result from "effect/Result";
import { beforeAll, describe, expect, it } from "vitest";
import { createPrng, type Prng } from "../../../host/capture/prng.ts";
import { FrameEncoder } from "../../../host/encoders/index.ts";
import { createImage, type RgbaImage } from "../../../protocol/frame/index.ts";
import { Display } from "../../display/index.ts";
import { FrameDecoder } from "../frameDecoder.ts";
import { buildDecodeKernels } from "./build.ts";
import { WasmKernels } from "./wasmKernels.ts";

let wasmBytes: Uint8Array<ArrayBuffer>;
beforeAll(async () => {
  wasmBytes = await buildDecodeKernels();
}, 120_000);

const W = 333;
const H = 200;

/** A screen of flat areas, text-like strokes, a gradient window and noise patches, moving from frame to frame. */
const scene = (prng: Prng, previous: RgbaImage | undefined): RgbaImage => {
  const image = createImage(W, H);
  if (previous) image.data.set(previous.data);
  const words = new Uint32Array(image.data.buffer);
  for (let k = prng.int(6); k >= 0; k--) {
    const w = 1 + prng.int(200);
    const h = 1 + prng.int(120);
    const x0 = prng.int(W - w + 1);
    const y0 = prng.int(H - h + 1);
    const kind = prng.int(4);
    const a = prng.int(2 ** 24);
    const b = prng.int(2 ** 24);
    for (let y = y0; y < y0 + h; y++)
      for (let x = x0; x < x0 + w; x++) {
        const c =
          kind === 0
            ? a
            : kind === 1
              ? (x * 7 + y * 3) % 11 < 3
                ? a
                : b
              : kind === 2
                ? ((x * 255) / W) | (((y * 255) / H) << 8) | (a & 0xff0000)
                : prng.int(2 ** 24);
        words[y * W + x] = (0xff000000 | c) >>> 0;
      }
  }
  return image;
};

/** Each decoder pair sees the same bytes; their results and pictures must agree after every frame. */
const twins = async () => {
  const kernels = await WasmKernels.instantiate(wasmBytes);
  const tsDisplay = new Display();
  const wasmDisplay = new Display({ kernels });
  return {
    ts: { display: tsDisplay, decoder: new FrameDecoder(tsDisplay) },
    wasm: { display: wasmDisplay, decoder: new FrameDecoder(wasmDisplay, { inflater: kernels }) },
  };
};

const bytesOf = (d: Display) => new Uint8Array(d.pixels.buffer, d.pixels.byteOffset, d.pixels.byteLength);

const applyBoth = async (t: Awaited<ReturnType<typeof twins>>, bytes: Uint8Array, label: string) => {
  const a = await t.ts.decoder.apply(bytes);
  const b = await t.wasm.decoder.apply(bytes);
  expect(Result.isSuccess(b), label).toBe(Result.isSuccess(a));
  if (Result.isFailure(a) && Result.isFailure(b)) expect(b.failure.reason, label).toBe(a.failure.reason);
  expect(Buffer.compare(bytesOf(t.ts.display), bytesOf(t.wasm.display)), label).toBe(0);
  return Result.isSuccess(a);
};

const encoders = () => {
  const speed = new FrameEncoder({ tileSizePx: 32, speedAboveTileShare: 0 });
  speed.linkBitsPerSecond = 1e9;
  return {
    speed,
    size: new FrameEncoder({ tileSizePx: 48 }),
    palette: new FrameEncoder({ colourMode: "palette256" }),
  };
};

describe("R-D3 WebAssembly kernels, whole frames", () => {
  for (const [name, pick] of Object.entries({
    "for speed (LZ4 runs, XOR deltas)": (e: ReturnType<typeof encoders>) => e.speed,
    "for size (deflate runs, PNG)": (e: ReturnType<typeof encoders>) => e.size,
    "256 colours (PALETTE256)": (e: ReturnType<typeof encoders>) => e.palette,
  })) {
    it(`R-D3: frames sent ${name} decode to the same pictures`, async () => {
      const prng = createPrng(31);
      const t = await twins();
      const e = encoders();
      const encoder = pick(e);
      let image: RgbaImage | undefined;
      for (let i = 0; i < 25; i++) {
        image = scene(prng, image);
        const encoded = encoder.encode(image);
        if (Result.isFailure(encoded)) throw new Error(encoded.failure.message);
        expect(await applyBoth(t, encoded.success.bytes, `frame ${i}`), `frame ${i}`).toBe(true);
        // The 256-colour mode quantises first: only the lossless modes must give back the very picture.
        if (encoder !== e.palette)
          expect(Buffer.compare(bytesOf(t.wasm.display), image.data), `frame ${i} is the picture`).toBe(0);
      }
    });
  }

  it("R-D3: cut and bent frames give the same typed error (or the same picture) as the TS decoders", async () => {
    const prng = createPrng(32);
    const e = encoders();
    let image: RgbaImage | undefined;
    let refused = 0;
    for (let i = 0; i < 60; i++) {
      const t = await twins();
      const encoder = [e.speed, e.size, e.palette][i % 3]!;
      encoder.requestKeyFrame();
      image = scene(prng, image);
      const key = encoder.encode(image);
      image = scene(prng, image);
      const delta = encoder.encode(image);
      if (Result.isFailure(key) || Result.isFailure(delta)) throw new Error("encode failed");
      await applyBoth(t, key.success.bytes, `key ${i}`);
      const bent = delta.success.bytes.slice();
      // Past the header: the records and their payloads.
      for (let k = 1 + prng.int(4); k > 0; k--) {
        const at = 24 + prng.int(bent.length - 24);
        bent[at] = bent[at]! ^ (1 << prng.int(8));
      }
      const ok = await applyBoth(
        t,
        prng.next() < 0.3 ? bent.subarray(0, 24 + prng.int(bent.length - 24)) : bent,
        `bent ${i}`,
      );
      if (!ok) refused++;
    }
    // Most bent frames are refused; a flipped pixel byte in a literal may still decode (to the same picture).
    expect(refused).toBeGreaterThan(30);
  });
});
