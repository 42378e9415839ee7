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

describe("R-D3 moves with the kernels", () => {
  /** Lines of ink of random lengths on a background, a blank band between lines: what a scroll moves. */
  const page = (prng: Prng): Uint8Array => {
    const rgb = new Uint8Array(W * H * 3).fill(240);
    for (let y = 0; y < H; y++) {
      if (y % 9 >= 6) continue;
      const length = prng.int(W);
      for (let x = 0; x < length; x++)
        if (prng.int(3) === 0) rgb.fill(prng.int(120), (y * W + x) * 3, (y * W + x + 1) * 3);
    }
    return rgb;
  };

  it("R-D3: a vertical move damages only what it changed, and painting the damage keeps the canvas the picture", () => {
    const prng = createPrng(52);
    let moved = 0;
    let painted = 0;
    for (let round = 0; round < 60; round++) {
      const canvas = new Uint8ClampedArray(W * H * 4);
      const paint = (pixels: Uint8ClampedArray, w: number, r: Rect) => {
        for (let y = r.y; y < r.y + r.height; y++) {
          const at = (y * w + r.x) * 4;
          canvas.set(pixels.subarray(at, at + r.width * 4), at);
        }
      };
      const wasm = new Display({ kernels, sink: { present: (pixels, w, _h, r) => paint(pixels, w, r) } });
      const ts = new Display();
      const start = page(prng);
      for (const d of [ts, wasm]) {
        d.reset(W, H);
        d.putRgb({ x: 0, y: 0, width: W, height: H }, d === wasm ? inWasm(start) : start);
        d.flip();
      }
      // A scroll by whole lines (up or down, maybe a little sideways; now and then not by whole lines), cut into one
      // to three pieces.
      const lines = prng.int(4) === 0 ? 1 + prng.int(20) : 9 * (1 + prng.int(2));
      const dy = lines * (prng.int(2) === 0 ? -1 : 1);
      const dx = prng.int(3) === 0 ? prng.int(7) - 3 : 0;
      const x = Math.max(0, -dx) + prng.int(10);
      const width = W - Math.abs(dx) - x - prng.int(10);
      const y = Math.max(0, -dy);
      const height = H - Math.abs(dy);
      const pieces = 1 + prng.int(3);
      const sources: Rect[] = [];
      for (let k = 0; k < pieces; k++) {
        const y0 = y + Math.floor((height * k) / pieces);
        const y1 = y + Math.floor((height * (k + 1)) / pieces);
        sources.push({ x, y: y0, width, height: y1 - y0 });
      }
      const before = bytesOf(wasm).slice();
      for (const d of [ts, wasm]) d.moveRects(sources, dx, dy);
      expect(Buffer.compare(bytesOf(ts), bytesOf(wasm)), `round ${round}`).toBe(0);
      const regions = wasm.damagedRegions;
      const after = bytesOf(wasm);
      for (let p = 0; p < W * H; p++) {
        const changed = [0, 1, 2, 3].some((c) => before[p * 4 + c] !== after[p * 4 + c]);
        if (!changed) continue;
        const px = p % W;
        const py = Math.floor(p / W);
        const inside = regions.some(
          (r) => px >= r.x && px < r.x + r.width && py >= r.y && py < r.y + r.height,
        );
        expect(inside, `round ${round}: (${px}, ${py}) changed, not damaged`).toBe(true);
      }
      moved += width * height;
      painted += regions.reduce((sum, r) => sum + r.width * r.height, 0);
      wasm.flip();
      expect(Buffer.compare(Buffer.from(canvas.buffer), Buffer.from(bytesOf(wasm))), `round ${round}`).toBe(
        0,
      );
    }
    // The blank band between lines and the ends of lines stay as they were: far less than the moved area is painted.
    expect(painted).toBeLessThan(moved * 0.8);
  });
});
