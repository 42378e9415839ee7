// R-D3: the pure-TS PNG path reads what pngjs writes, with every filter, bit-exact, and refuses what it cannot read.

import * as Result from "effect/Result";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { createPrng } from "../../../host/capture/prng.ts";
import { decodePng } from "./decodePng.ts";

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

describe("R-D3 PNG tiles", () => {
  for (const colorType of [2, 6] as const) {
    for (const filterType of [0, 1, 2, 3, 4]) {
      it(`R-D3: decodes colour type ${colorType}, filter ${filterType}`, async () => {
        for (const [w, h] of [
          [64, 64],
          [1, 1],
          [17, 5],
          [64, 3],
        ] as const) {
          const data = image(w, h, w * h + filterType);
          const r = await decodePng(encode(w, h, data, filterType, colorType));
          expect(Result.isSuccess(r)).toBe(true);
          if (Result.isFailure(r)) return;
          const rgb = r.success.rgb;
          for (let i = 0; i < w * h; i++)
            expect([rgb[i * 3], rgb[i * 3 + 1], rgb[i * 3 + 2]]).toEqual([
              data[i * 4],
              data[i * 4 + 1],
              data[i * 4 + 2],
            ]);
        }
      });
    }
  }

  it("R-D3: refuses a bad signature, cut data and corrupt deflate with BadPayload", async () => {
    const good = encode(20, 20, image(20, 20, 1), 0, 2);
    const corrupt = good.slice();
    corrupt[good.length - 20] = corrupt[good.length - 20]! ^ 0xff;
    for (const bad of [good.subarray(1), good.subarray(0, 40), corrupt, new Uint8Array(0)]) {
      const r = await decodePng(bad);
      expect(Result.isFailure(r) && r.failure.reason).toBe("BadPayload");
    }
  });
});
