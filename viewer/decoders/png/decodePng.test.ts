// R-D3: the PNG reader reads what pngjs writes, with every filter, bit-exact, whether its image data inflates in TS
// or in WebAssembly (in place, in the module's memory), and refuses what it cannot read.

import * as Result from "effect/Result";
import { PNG } from "pngjs";
import { beforeAll, describe, expect, it } from "vitest";
import { createPrng } from "../../../host/capture/prng.ts";
import type { FrameDecodeError } from "../../../protocol/frame/index.ts";
import type { BlockInflater } from "../blockInflater.ts";
import { buildDecodeKernels } from "../wasm/build.ts";
import { WasmKernels } from "../wasm/index.ts";
import { type DecodedImage, decodePng, readPng } from "./decodePng.ts";

let wasm: BlockInflater;
beforeAll(async () => {
  wasm = await WasmKernels.instantiate(await buildDecodeKernels());
}, 120_000);

const readers: [string, (png: Uint8Array) => Result.Result<DecodedImage, FrameDecodeError>][] = [
  ["TS", decodePng],
  ["WebAssembly", (png) => readPng(png, wasm)],
];

const image = (w: number, h: number, seed: number): Buffer => {
  const prng = createPrng(seed);
  const data = Buffer.alloc(w * h * 4);
  for (let i = 0; i < w * h; i++) {
    const smooth = (i % w) * 3 + Math.floor(i / w);
    data[i * 4] = prng.next() < 0.3 ? prng.int(256) : smooth & 0xff;
    data[i * 4 + 1] = (smooth * 2) & 0xff;
    data[i * 4 + 2] = prng.int(4);
    data[i * 4 + 3] = 255;
  }
  return data;
};

const encode = (w: number, h: number, data: Buffer, filterType: number, colorType: 2 | 6): Buffer =>
  PNG.sync.write({ width: w, height: h, data } as unknown as PNG, {
    filterType,
    colorType,
    inputHasAlpha: true,
    deflateLevel: 1,
  });

describe.each(readers)("R-D3 PNG tiles, inflated in %s", (_, read) => {
  for (const colorType of [2, 6] as const) {
    for (const filterType of [0, 1, 2, 3, 4]) {
      it(`R-D3: decodes colour type ${colorType}, filter ${filterType}`, () => {
        for (const [w, h] of [
          [64, 64],
          [1, 1],
          [17, 5],
          [64, 3],
        ] as const) {
          const data = image(w, h, w * h + filterType);
          const r = read(encode(w, h, data, filterType, colorType));
          expect(Result.isSuccess(r)).toBe(true);
          if (Result.isFailure(r)) return;
          const { rgb, rowBytes } = r.success;
          for (let i = 0; i < w * h; i++) {
            const at = Math.floor(i / w) * rowBytes + (i % w) * 3;
            expect([rgb[at], rgb[at + 1], rgb[at + 2]]).toEqual([
              data[i * 4],
              data[i * 4 + 1],
              data[i * 4 + 2],
            ]);
          }
        }
      });
    }
  }

  it("R-D3: refuses a bad signature, cut data and corrupt deflate with BadPayload", () => {
    const good = encode(20, 20, image(20, 20, 1), 0, 2);
    const corrupt = good.slice();
    corrupt[good.length - 20] = corrupt[good.length - 20]! ^ 0xff;
    for (const bad of [good.subarray(1), good.subarray(0, 40), corrupt, new Uint8Array(0)]) {
      const r = read(bad);
      expect(Result.isFailure(r) && r.failure.reason).toBe("BadPayload");
    }
  });
});
