// R-D3: a Display whose back buffer lives in the WebAssembly kernels' memory draws the same pixels, the same damage
// and the same palette verdicts as the TS loops, for every index width, tile width and palette size.
import { beforeAll, describe, expect, it } from "vitest";
import { createPrng, type Prng } from "../../../host/capture/prng.ts";
import { storedBlock } from "../../../host/encoders/lz4Block.ts";
import type { Rect } from "../../../protocol/frame/index.ts";
import { Display } from "../../display/index.ts";
import { buildDecodeKernels } from "./build.ts";
import { WasmKernels } from "./wasmKernels.ts";

let kernels: WasmKernels;
beforeAll(async () => {
  kernels = await WasmKernels.instantiate(await buildDecodeKernels());
}, 120_000);

const W = 301;
const H = 97;

/** Two displays with the same random picture: the TS one and the one in WebAssembly memory. */
const pair = (prng: Prng) => {
  const ts = new Display();
  const wasm = new Display({ kernels });
  const start = new Uint8Array(W * H * 3).map(() => prng.int(256));
  for (const d of [ts, wasm]) {
    d.reset(W, H);
    d.putRgb({ x: 0, y: 0, width: W, height: H }, start);
    d.flip();
  }
  return { ts, wasm };
};

/** `bytes` where the kernels can draw from: in their memory, as an inflated block is. */
const inWasm = (bytes: Uint8Array): Uint8Array => {
  const out = kernels.lz4(storedBlock(bytes), bytes.length);
  if (out === undefined) throw new Error("stored block refused");
  return out;
};

const randomRect = (prng: Prng): Rect => {
  const width = 1 + prng.int(W - 1);
  const height = 1 + prng.int(Math.min(H, 64) - 1);
  return { x: prng.int(W - width + 1), y: prng.int(H - height + 1), width, height };
};

const bytesOf = (d: Display) => new Uint8Array(d.pixels.buffer, d.pixels.byteOffset, d.pixels.byteLength);

const expectSame = (ts: Display, wasm: Display, label: string) => {
  expect(Buffer.compare(bytesOf(ts), bytesOf(wasm)), label).toBe(0);
  expect(wasm.damagedRegions, label).toEqual(ts.damagedRegions);
  ts.flip();
  wasm.flip();
};

describe("R-D3 WebAssembly pixel kernels", () => {
  it("R-D3: packed RGB put (rows apart or not, as a PNG's are) and XOR-ed at every width give the TS loops' pixels", () => {
    const prng = createPrng(21);
    const { ts, wasm } = pair(prng);
    for (let i = 0; i < 300; i++) {
      const r = randomRect(prng);
      const xor = prng.next() < 0.5;
      const rowBytes = r.width * 3 + (xor ? 0 : prng.int(3));
      const rgb = new Uint8Array(rowBytes * r.height).map(() => prng.int(256));
      const view = inWasm(rgb);
      expect(wasm.kernelsOwn(view)).toBe(true);
      if (xor) {
        ts.xorRgb(r, rgb);
        wasm.xorRgb(r, view);
      } else {
        ts.putRgb(r, rgb, rowBytes);
        wasm.putRgb(r, view, rowBytes);
      }
      expectSame(ts, wasm, `${xor ? "xor" : "put"} ${i} ${JSON.stringify(r)}`);
    }
  });

  it("R-D3: solid fills at every width and colour give the TS loops' pixels", () => {
    const prng = createPrng(23);
    const { ts, wasm } = pair(prng);
    for (let i = 0; i < 300; i++) {
      const r = randomRect(prng);
      const [red, green, blue] = [prng.int(256), prng.int(256), prng.int(256)];
      ts.fillRgb(r, red, green, blue);
      wasm.fillRgb(r, red, green, blue);
      expectSame(ts, wasm, `fill ${i} ${JSON.stringify(r)}`);
    }
  });

  it("R-D3: 1-, 2-, 4- and 8-bit indices (keep, colours, past the palette) give the same pixels, damage and verdict", () => {
    const prng = createPrng(22);
    const { ts, wasm } = pair(prng);
    for (let i = 0; i < 600; i++) {
      const r = randomRect(prng);
      const bits = ([1, 2, 4, 8] as const)[prng.int(4)]!;
      const colours = prng.int(Math.min(255, 2 ** bits)); // sometimes fewer than the indices can name
      const palette = new Uint32Array(256).map(() => prng.int(2 ** 32));
      const rowBytes = Math.ceil((r.width * bits) / 8);
      // Mostly "keep", some blank rows, some bytes of anything (padding bits too).
      const packed = new Uint8Array(rowBytes * r.height);
      const blankRows = prng.next() < 0.5;
      for (let y = 0; y < r.height; y++) {
        if (blankRows && y % 3 === 0) continue;
        for (let b = 0; b < rowBytes; b++) {
          const roll = prng.next();
          packed[y * rowBytes + b] = roll < 0.5 ? 0 : roll < 0.97 ? prng.int(256) & 0x55 : prng.int(256);
        }
      }
      const view = inWasm(packed);
      const label = `${bits} bits, ${colours} colours, ${JSON.stringify(r)}`;
      if (bits === 8) {
        expect(wasm.putIndexed(r, view, palette, colours), label).toBe(
          ts.putIndexed(r, packed, palette, colours),
        );
      } else {
        expect(wasm.putPackedIndexed(r, view, bits, palette, colours), label).toBe(
          ts.putPackedIndexed(r, packed, bits, palette, colours),
        );
      }
      expectSame(ts, wasm, label);
    }
  });

  it("R-D3: 8-bit indices that are mostly colours (a photo's run), now and then a keep or one past the palette, agree", () => {
    const prng = createPrng(24);
    const { ts, wasm } = pair(prng);
    for (let i = 0; i < 300; i++) {
      const r = randomRect(prng);
      const colours = 1 + prng.int(255);
      const palette = new Uint32Array(256).map(() => prng.int(2 ** 32));
      const odd = prng.next() < 0.5 ? 0.002 : 0.05;
      const indices = new Uint8Array(r.width * r.height).map(() => {
        const roll = prng.next();
        return roll < odd
          ? 0
          : roll < 2 * odd
            ? colours + 1 + prng.int(255 - colours)
            : 1 + prng.int(colours);
      });
      const label = `${colours} colours, ${JSON.stringify(r)}`;
      expect(wasm.putIndexed(r, inWasm(indices), palette, colours), label).toBe(
        ts.putIndexed(r, indices, palette, colours),
      );
      expectSame(ts, wasm, label);
    }
  });

  it("R-D3: the back buffer follows the kernels' memory when it grows, and a new size starts black", () => {
    const display = new Display({ kernels });
    display.reset(64, 64);
    display.fillRgb({ x: 0, y: 0, width: 64, height: 64 }, 9, 8, 7);
    // A block larger than the memory left: the memory grows, the display's views are made again.
    const big = new Uint8Array(8 << 20).fill(5);
    expect(kernels.lz4(storedBlock(big), big.length)?.[123]).toBe(5);
    expect([...display.pixels.subarray(0, 4)]).toEqual([9, 8, 7, 255]);
    display.reset(1920, 1080);
    expect(display.pixels.length).toBe(1920 * 1080 * 4);
    expect([...display.pixels.subarray(-4)]).toEqual([0, 0, 0, 255]);
  });
});
