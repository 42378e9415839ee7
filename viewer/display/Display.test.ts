// R-D3 Display: owns the pixels, tracks the damaged rectangle, and flips it to the sink once per animation frame.
import { describe, expect, it } from "vitest";
import type { Rect } from "../../protocol/frame/index.ts";
import { canvasSink } from "./canvasSink.ts";
import { Display } from "./Display.ts";

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
  it("R-D3: many draws between animation frames flip once, with the union of their damage", () => {
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
    frames.run();
    expect(flips[1]).toEqual({ x: 10, y: 20, width: 92, height: 31 });
    frames.run();
    expect(flips.length).toBe(2);
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
});
