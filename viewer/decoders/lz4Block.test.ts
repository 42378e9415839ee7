// R-D3: the viewer's pure-TS LZ4 block decoder reads the host's lz4-napi raw blocks exactly and refuses corrupt ones.

import { uncompressSync } from "lz4-napi";
import { describe, expect, it } from "vitest";
import { createPrng } from "../../host/capture/prng.ts";
import { compressBlock, storedBlock } from "../../host/encoders/lz4Block.ts";
import { decompressBlock } from "./lz4Block.ts";

const inputs = (seed: number): Uint8Array[] => {
  const prng = createPrng(seed);
  const out: Uint8Array[] = [new Uint8Array(0), Uint8Array.of(7), new Uint8Array(70000).fill(3)];
  for (let i = 0; i < 200; i++) {
    const n = prng.int(20000);
    const alphabet = 1 + prng.int(prng.next() < 0.5 ? 4 : 256);
    const run = 1 + prng.int(40);
    const data = new Uint8Array(n);
    for (let j = 0; j < n; j++) data[j] = j % run === 0 ? prng.int(alphabet) : data[j - 1]!;
    out.push(data);
  }
  // Long overlapping matches: a short pattern repeated (period 2 … 64) after a few random bytes.
  for (const period of [2, 3, 5, 7, 16, 31, 33, 64]) {
    const data = new Uint8Array(5000 + prng.int(100));
    for (let j = 0; j < data.length; j++) data[j] = j < 11 + period ? prng.int(256) : data[j - period]!;
    out.push(data);
  }
  return out;
};

describe("R-D3 LZ4 raw blocks", () => {
  it("R-D3: decodes every lz4-napi block back to the exact input", () => {
    for (const data of inputs(1)) {
      const block = compressBlock(data);
      const out = new Uint8Array(data.length);
      expect(decompressBlock(block, out, data.length)).toBe(true);
      expect(Buffer.compare(out, data)).toBe(0);
    }
  });

  it("R-D3: short matches overlapping their own output (offsets 1–8) repeat the last bytes, as LZ4 means", () => {
    // Hand-built blocks: 8 literals, one match of `length` from `offset` back, then 5 literals to end the block.
    const literals = [11, 22, 33, 44, 55, 66, 77, 88];
    for (let offset = 1; offset <= 8; offset++) {
      for (let length = 4; length <= 32; length++) {
        const extra = length - 4 >= 15 ? [length - 4 - 15] : [];
        const token = (8 << 4) | Math.min(15, length - 4);
        const block = Uint8Array.of(token, ...literals, offset, 0, ...extra, 5 << 4, 1, 2, 3, 4, 5);
        const expected = [...literals];
        for (let i = 0; i < length; i++) expected.push(expected[expected.length - offset]!);
        expected.push(1, 2, 3, 4, 5);
        const out = new Uint8Array(expected.length);
        expect(decompressBlock(block, out, expected.length), `offset ${offset} length ${length}`).toBe(true);
        expect([...out], `offset ${offset} length ${length}`).toEqual(expected);
      }
    }
  });

  it("R-D3: a wrong expected size, a cut block or flipped bytes fail instead of overrunning", () => {
    const prng = createPrng(2);
    for (const data of inputs(3).slice(3, 80)) {
      const block = compressBlock(data);
      const out = new Uint8Array(data.length + 64);
      expect(decompressBlock(block, out, data.length + 1)).toBe(false);
      if (block.length > 1)
        expect(decompressBlock(block.subarray(0, block.length - 1), out, data.length)).toBe(false);
      const bent = block.slice();
      const at = prng.int(bent.length);
      bent[at] = bent[at]! ^ (1 << prng.int(8));
      decompressBlock(bent, out, data.length); // any answer, but no throw and no write past `out`
    }
    expect(decompressBlock(Uint8Array.of(0x0f, 1, 2), new Uint8Array(100), 100)).toBe(false);
    expect(decompressBlock(Uint8Array.of(0x10, 9, 0, 0), new Uint8Array(100), 100)).toBe(false);
  });

  it("R-D3: stored (literal-only) blocks for noise are valid LZ4 for both decoders, at every length boundary", () => {
    const prng = createPrng(4);
    for (const n of [0, 1, 14, 15, 16, 269, 270, 271, 524, 525, 12288]) {
      const data = new Uint8Array(n).map(() => prng.int(256));
      const block = storedBlock(data);
      const out = new Uint8Array(n);
      expect(decompressBlock(block, out, n), `length ${n}`).toBe(true);
      expect(Buffer.compare(out, data)).toBe(0);
      const prefixed = Buffer.concat([Buffer.from(Uint32Array.of(n).buffer), block]);
      expect(Buffer.compare(uncompressSync(prefixed), data)).toBe(0);
    }
    const noise = new Uint8Array(12288).map(() => prng.int(256));
    expect(compressBlock(noise).length).toBe(storedBlock(noise).length);
  });
});
