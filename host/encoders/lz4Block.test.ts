// R-D3: a block compressed without its 2 KiB probe, because the same tile compressed well last frame, inflates to the
// same bytes, and is never larger than `compressBlock`'s answer by more than LZ4's own few bytes on noise.
import { describe, expect, it } from "vitest";
import { decompressBlock } from "../../viewer/decoders/lz4Block.ts";
import { createPrng } from "../capture/prng.ts";
import { compressBlock, compressExpecting, storedBlock } from "./lz4Block.ts";

const SLACK = 64;

const inflate = (block: Uint8Array, size: number): Uint8Array => {
  const out = new Uint8Array(size + SLACK);
  expect(decompressBlock(block, out, size)).toBe(true);
  return out.subarray(0, size);
};

/** 12 KiB (a 64×64 tile's packed RGB): repeated stripes, noise, or noise up to `noisyUpTo` then stripes. */
const data = (seed: number, noisyUpTo: number): Uint8Array => {
  const prng = createPrng(seed);
  return new Uint8Array(64 * 64 * 3).map((_, i) => (i < noisyUpTo ? prng.int(256) : (i >> 4) % 7));
};

describe("R-D3 LZ4 blocks", () => {
  it("R-D3: a block compressed as expected from last frame inflates to the same bytes as compressBlock's", () => {
    for (const [seed, noisyUpTo] of [
      [1, 0],
      [2, 12_288],
      [3, 3000],
      [4, 6000],
    ] as const) {
      const input = data(seed, noisyUpTo);
      const probed = compressBlock(input);
      for (const share of [0.1, 0.5, 0.95, 1.01]) {
        const block = compressExpecting(input, share);
        expect(inflate(block, input.length)).toEqual(input);
        // Skipping the probe compresses what the probe would have stored: never more than LZ4's few bytes larger.
        expect(block.length).toBeLessThanOrEqual(Math.max(probed.length, storedBlock(input).length + 64));
      }
      // A share near storing keeps the probe: the answer is compressBlock's.
      expect(compressExpecting(input, 0.95)).toEqual(probed);
    }
  });
});
