// The run decoder's inflater against Node's zlib: every block type, every level, and corrupt or short input refused.
import { constants, deflateRawSync, deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { createPrng } from "../../host/capture/prng.ts";
import { inflateRawInto, inflateZlibInto } from "./inflateRaw.ts";

const samples = (): Uint8Array[] => {
  const prng = createPrng(5);
  const text = new TextEncoder().encode("the quick brown fox jumps over the lazy dog. ".repeat(300));
  const indices = new Uint8Array(64 * 1900).map((_, i) => (i % 1900 < 700 ? 0 : 1 + ((i * 7) % 13)));
  const noise = new Uint8Array(70_000).map(() => prng.int(256));
  const sparse = new Uint8Array(40_000).map(() => (prng.next() < 0.02 ? prng.int(256) : 0));
  return [new Uint8Array(0), Uint8Array.of(42), text, indices, noise, sparse];
};

describe("R-D3 raw inflate", () => {
  it("R-D3: inflates exactly what zlib deflates: stored, fixed and dynamic blocks, levels 0–9", () => {
    for (const data of samples()) {
      for (const options of [
        { level: 0 },
        { level: 1 },
        { level: 4 },
        { level: 9 },
        { level: 6, strategy: constants.Z_FIXED },
        { level: 6, strategy: constants.Z_HUFFMAN_ONLY },
        { level: 6, strategy: constants.Z_RLE },
      ]) {
        const packed = deflateRawSync(data, options);
        const out = new Uint8Array(data.length);
        expect(inflateRawInto(packed, out), JSON.stringify(options)).toBe(data.length);
        expect(Buffer.compare(out, data)).toBe(0);
      }
    }
  });

  it("R-D3: a stream that is cut short, corrupt, or larger than its tile is refused, never thrown", () => {
    const data = samples()[3]!;
    const packed = deflateRawSync(data, { level: 4 });
    expect(inflateRawInto(packed, new Uint8Array(data.length - 1))).toBe(-1);
    expect(inflateRawInto(packed.subarray(0, packed.length - 3), new Uint8Array(data.length))).toBe(-1);
    expect(inflateRawInto(Uint8Array.of(0xff, 0xff, 0xff), new Uint8Array(100))).toBe(-1);
    const prng = createPrng(9);
    for (let i = 0; i < 300; i++) {
      const bad = Uint8Array.from(packed);
      for (let k = 0; k < 1 + prng.int(4); k++) bad[prng.int(bad.length)] = prng.int(256);
      const n = inflateRawInto(bad, new Uint8Array(data.length));
      expect(n === -1 || (n >= 0 && n <= data.length)).toBe(true);
    }
  });

  it("R-D3: zlib streams (PNG image data) inflate with their header and Adler-32 checked", () => {
    for (const data of samples()) {
      const z = deflateSync(data, { level: 6 });
      const out = new Uint8Array(data.length);
      expect(inflateZlibInto(z, out)).toBe(data.length);
      expect(Buffer.compare(out, data)).toBe(0);
    }
    const data = samples()[2]!;
    const z = deflateSync(data);
    const badSum = Uint8Array.from(z);
    badSum[badSum.length - 1]! ^= 1;
    expect(inflateZlibInto(badSum, new Uint8Array(data.length))).toBe(-1);
    const badHeader = Uint8Array.from(z);
    badHeader[0] = 0x79;
    expect(inflateZlibInto(badHeader, new Uint8Array(data.length))).toBe(-1);
    expect(inflateZlibInto(z.subarray(0, 4), new Uint8Array(data.length))).toBe(-1);
  });
});
