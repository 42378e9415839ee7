// R-D3 Display: owns the pixels, tracks the damaged rectangles, and flips them to the sink once per animation frame.
import { describe, expect, it } from "vitest";
import { createPrng } from "../../host/capture/prng.ts";
import { paletteRowBytes, type Rect } from "../../protocol/frame/index.ts";
import { canvasSink } from "./canvasSink.ts";
import { Display } from "./Display.ts";

/** The reference for packed index rows: one byte an index, the plain way (most significant first, rows padded). */
const unpackIndexRows = (packed: Uint8Array, rect: Rect, bits: number, out: Uint8Array): Uint8Array => {
  const rowBytes = paletteRowBytes(rect.width, bits);
  const mask = (1 << bits) - 1;
  let o = 0;
  for (let y = 0; y < rect.height; y++) {
    for (let x = 0; x < rect.width; x++) {
      const bit = x * bits;
      out[o++] = (packed[y * rowBytes + (bit >>> 3)]! >>> (8 - bits - (bit & 7))) & mask;
    }
  }
  return out;
};

const fakeAnimationFrames = () => {
  const queue: (() => void)[] = [];
  return {
    schedule: (cb: () => void) => {
      queue.push(cb);
    },
    run: () => {
      for (const cb of queue.splice(0)) cb();
    },
    get pending() {
      return queue.length;
    },
  };
};

describe("R-D3 Display", () => {
  it("R-D3: many draws between animation frames flip once, with all of their damage", () => {
    const frames = fakeAnimationFrames();
    const flips: Rect[] = [];
    const display = new Display({
      schedule: frames.schedule,
      sink: { present: (_p, _w, _h, r) => flips.push(r) },
    });
    display.reset(200, 100);
    frames.run();
    expect(flips).toEqual([{ x: 0, y: 0, width: 200, height: 100 }]);
    display.fillRgb({ x: 10, y: 20, width: 5, height: 5 }, 1, 2, 3);
    display.putRgb({ x: 100, y: 50, width: 2, height: 1 }, Uint8Array.of(1, 2, 3, 4, 5, 6));
    expect(frames.pending).toBe(1);
    expect(display.damaged).toEqual({ x: 10, y: 20, width: 92, height: 31 });
    frames.run();
    // One flip presents each damaged region: here two far apart, not the box around them.
    expect(flips.slice(1)).toEqual([
      { x: 10, y: 20, width: 5, height: 5 },
      { x: 100, y: 50, width: 2, height: 1 },
    ]);
    frames.run();
    expect(flips.length).toBe(3);
    expect(display.flip()).toBeUndefined();
  });

  it("R-D3: pixels are opaque RGBA; XOR keeps alpha; rectangles copy out and back", () => {
    const display = new Display();
    display.reset(4, 2);
    expect([...display.pixels.subarray(0, 4)]).toEqual([0, 0, 0, 255]);
    display.putRgb({ x: 1, y: 0, width: 2, height: 1 }, Uint8Array.of(10, 20, 30, 40, 50, 60));
    display.xorRgb({ x: 1, y: 0, width: 1, height: 1 }, Uint8Array.of(0xff, 0, 1));
    expect([...display.pixels.subarray(4, 12)]).toEqual([245, 20, 31, 255, 40, 50, 60, 255]);
    const out = new Uint8Array(2 * 4);
    display.readRgba({ x: 1, y: 0, width: 2, height: 1 }, out);
    display.putRgba({ x: 2, y: 1, width: 2, height: 1 }, out);
    expect([...display.pixels.subarray(24, 32)]).toEqual([...out]);
    expect(display.contains({ x: 3, y: 1, width: 1, height: 1 })).toBe(true);
    expect(display.contains({ x: 3, y: 1, width: 2, height: 1 })).toBe(false);
  });

  it("R-D3: rectangles moved together by one motion land as if read from a copy of the old picture, however they overlap", () => {
    const prng = createPrng(7);
    const [w, h] = [37, 29];
    for (let trial = 0; trial < 400; trial++) {
      const display = new Display();
      display.reset(w, h);
      display.putRgb(
        { x: 0, y: 0, width: w, height: h },
        Uint8Array.from({ length: w * h * 3 }, () => prng.int(256)),
      );
      const before = display.pixels.slice();
      const dx = prng.int(17) - 8;
      const dy = trial % 4 === 0 ? 0 : prng.int(17) - 8;
      // 1–6 rectangles whose sources and destinations lie inside: overlapping each other and themselves, as the
      // pieces of a scroll or a dragged window do.
      const sources = Array.from({ length: 1 + prng.int(6) }, (): Rect => {
        const width = 1 + prng.int(w - Math.abs(dx));
        const height = 1 + prng.int(h - Math.abs(dy));
        const x = Math.max(0, -dx) + prng.int(w - Math.abs(dx) - width + 1);
        const y = Math.max(0, -dy) + prng.int(h - Math.abs(dy) - height + 1);
        return { x, y, width, height };
      });
      display.flip();
      display.moveRects(sources, dx, dy);
      const expected = before.slice();
      for (const r of sources)
        for (let y = r.y; y < r.y + r.height; y++)
          for (let x = r.x; x < r.x + r.width; x++)
            for (let c = 0; c < 4; c++)
              expected[((y + dy) * w + x + dx) * 4 + c] = before[(y * w + x) * 4 + c]!;
      expect(Buffer.from(display.pixels).equals(Buffer.from(expected))).toBe(true);
      const damaged = display.damaged!;
      for (const r of sources) {
        expect(damaged.x <= r.x + dx && damaged.y <= r.y + dy).toBe(true);
        expect(damaged.x + damaged.width >= r.x + dx + r.width).toBe(true);
        expect(damaged.y + damaged.height >= r.y + dy + r.height).toBe(true);
      }
    }
  });

  it("R-D3: cells drawn together land where they belong and damage one rectangle around them", () => {
    const display = new Display();
    display.reset(40, 20);
    display.flip();
    const cell = (w: number, h: number, v: number) =>
      Uint8Array.from({ length: w * h * 4 }, (_, i) => (i % 4 === 3 ? 255 : v));
    display.putRgbaAll([
      { rect: { x: 2, y: 3, width: 4, height: 5 }, rgba: cell(4, 5, 7) },
      { rect: { x: 30, y: 10, width: 3, height: 2 }, rgba: cell(3, 2, 9) },
    ]);
    expect(display.damagedRegions).toEqual([{ x: 2, y: 3, width: 31, height: 9 }]);
    expect([...display.pixels.subarray((3 * 40 + 2) * 4, (3 * 40 + 2) * 4 + 4)]).toEqual([7, 7, 7, 255]);
    expect([...display.pixels.subarray((11 * 40 + 32) * 4, (11 * 40 + 32) * 4 + 4)]).toEqual([9, 9, 9, 255]);
    expect([...display.pixels.subarray((12 * 40 + 32) * 4, (12 * 40 + 32) * 4 + 4)]).toEqual([0, 0, 0, 255]);
  });

  it("R-D3: packed RGB rows draw and XOR the same, word by word or byte by byte, at any width and alignment", () => {
    // Widths that are and are not multiples of 4 (rows that start 4-aligned in the packed bytes, or not), and
    // packed bytes that start 4-aligned (the decoders' scratch) or not.
    for (const width of [1, 3, 4, 8, 13]) {
      for (const offset of [0, 1]) {
        const rect = { x: 2, y: 1, width, height: 3 };
        const bytes = width * 3 * 3;
        const buffer = new Uint8Array(bytes + offset).map((_, i) => (i * 37 + width) & 0xff);
        const rgb = buffer.subarray(offset);
        const mask = rgb.map((b, i) => (b * 7 + i) & 0xff);
        const display = new Display();
        display.reset(20, 5);
        const expectPixels = (expected: (p: number, c: number) => number, what: string) => {
          for (let p = 0; p < width * 3; p++) {
            const [x, y] = [rect.x + (p % width), rect.y + Math.floor(p / width)];
            const at = (y * 20 + x) * 4;
            const want = [0, 1, 2].map((c) => expected(p, c));
            expect(
              [...display.pixels.subarray(at, at + 4)],
              `${what}: width ${width} offset ${offset} pixel ${p}`,
            ).toEqual([...want, 255]);
          }
        };
        display.putRgb(rect, rgb);
        expectPixels((p, c) => rgb[p * 3 + c]!, "put");
        display.xorRgb(rect, mask);
        expectPixels((p, c) => rgb[p * 3 + c]! ^ mask[p * 3 + c]!, "xor");
        expect(display.pixels[(1 * 20 + 2 + width) * 4], "the pixel right of the rect stays black").toBe(0);
      }
    }
  });

  it("R-D3: the canvas sink paints only the damaged rectangle", () => {
    const calls: number[][] = [];
    const sink = canvasSink(
      { putImageData: (_img, dx, dy, x, y, w, h) => calls.push([dx, dy, x, y, w, h]) },
      (px, w, h) => ({ data: px, width: w, height: h, colorSpace: "srgb" }) as ImageData,
    );
    const display = new Display({ sink });
    display.reset(50, 40);
    display.flip();
    display.fillRgb({ x: 3, y: 4, width: 5, height: 6 }, 9, 9, 9);
    display.flip();
    expect(calls).toEqual([
      [0, 0, 0, 0, 50, 40],
      [0, 0, 3, 4, 5, 6],
    ]);
  });

  it("R-D3: packed 1-, 2- and 4-bit indices draw exactly what the same indices unpacked draw", () => {
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return (seed >>> 12) % n;
    };
    for (let trial = 0; trial < 300; trial++) {
      const bits = ([1, 2, 4] as const)[trial % 3]!;
      const values = 1 << bits;
      // Full palettes, short ones (indices past them are refused), and every width's padding.
      const colours = 1 + next(values - 1);
      const rect = { x: next(5), y: next(3), width: 1 + next(37), height: 1 + next(4) };
      const palette = new Uint32Array(256);
      for (let k = 0; k < 256; k++) palette[k] = (0xff000000 | (k * 0x10305 + trial * 0x701)) >>> 0;
      const rowBytes = Math.ceil((rect.width * bits) / 8);
      const packed = new Uint8Array(rowBytes * rect.height);
      // Mostly "keep" bytes and mixed ones, as in text; now and then an index past the palette.
      const bad = trial % 5 === 0;
      for (let i = 0; i < packed.length; i++) {
        const roll = next(4);
        let byte = 0;
        for (let s = 0; s < 8; s += bits) byte |= (roll === 0 ? 0 : next(bad ? values : colours + 1)) << s;
        packed[i] = byte;
      }
      const expected = new Display();
      const actual = new Display();
      for (const d of [expected, actual]) {
        d.reset(48, 8);
        d.fillRgb({ x: 0, y: 0, width: 48, height: 8 }, 10, 20, 30);
      }
      const indices = unpackIndexRows(packed, rect, bits, new Uint8Array(rect.width * rect.height));
      const ok = expected.putIndexed(rect, indices, palette, colours);
      expect(actual.putPackedIndexed(rect, packed, bits, palette, colours)).toBe(ok);
      expect(actual.pixels.findIndex((v, i) => v !== expected.pixels[i])).toBe(-1);
      // Every pixel the draw changed is in a damaged region.
      const regions = actual.damagedRegions;
      for (let i = 0; i < 48 * 8; i++) {
        const [x, y] = [i % 48, Math.floor(i / 48)];
        if (actual.pixels[i * 4] === 10 && actual.pixels[i * 4 + 1] === 20) continue;
        expect(regions.some((d) => x >= d.x && x < d.x + d.width && y >= d.y && y < d.y + d.height)).toBe(
          true,
        );
      }
      if (bad && indices.some((k) => k > colours)) expect(ok).toBe(false);
    }
  });

  it("R-D3: a packed run damages the rows it drew, not its rows of nothing but keep", () => {
    const palette = Uint32Array.of(0, 0xff0000ff, 0xff00ff00, 0xffff0000);
    // 9 pixels a row: 2-bit rows are 3 bytes, the last holding pixel 8 and 6 bits of padding.
    const rows = [
      [0x40, 0, 0], // pixel 0
      [0, 0, 0x80], // pixel 8, in the padded byte
      [0, 0, 0],
      [0, 0x0c, 0], // pixel 5
      [0, 0, 0x3f], // padding only: nothing drawn
      [0, 0, 0],
    ];
    const display = new Display();
    display.reset(16, 8);
    display.flip();
    expect(
      display.putPackedIndexed(
        { x: 2, y: 1, width: 9, height: 6 },
        Uint8Array.from(rows.flat()),
        2,
        palette,
        3,
      ),
    ).toBe(true);
    expect(display.damagedRegions).toEqual([
      { x: 2, y: 1, width: 9, height: 2 },
      { x: 2, y: 4, width: 9, height: 1 },
    ]);
    display.flip();
    // 4-bit rows: 5 bytes; one row drawn.
    const four = new Uint8Array(5 * 3);
    four[5 + 4] = 0x30; // row 1, pixel 8
    display.putPackedIndexed({ x: 0, y: 0, width: 9, height: 3 }, four, 4, palette, 3);
    expect(display.damagedRegions).toEqual([{ x: 0, y: 1, width: 9, height: 1 }]);
  });
});
