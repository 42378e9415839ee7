// R-D3 damage regions: a flip paints a few rectangles that cover every draw since the last one, no more of them than
// allowed, and rows of one window as one rectangle.
import { describe, expect, it } from "vitest";
import type { Rect } from "../../protocol/frame/index.ts";
import { Damage } from "./damage.ts";

const covered = (regions: readonly Rect[], x: number, y: number) =>
  regions.some((r) => x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height);

describe("R-D3 damage regions", () => {
  it("R-D3: a window's rows stack into one rectangle; a far square stays its own", () => {
    const d = new Damage(8);
    d.add({ x: 384, y: 192, width: 128, height: 64 }); // the square's upper tiles
    d.add({ x: 384, y: 256, width: 1472, height: 64 }); // a row with the square's lower tiles and the window
    for (let y = 320; y < 1024; y += 64) d.add({ x: 512, y, width: 1344, height: 64 });
    expect(d.regions).toEqual([
      { x: 384, y: 192, width: 128, height: 64 },
      { x: 384, y: 256, width: 1472, height: 64 },
      { x: 512, y: 320, width: 1344, height: 704 },
    ]);
    expect(d.bounds).toEqual({ x: 384, y: 192, width: 1472, height: 832 });
    d.clear();
    expect(d.empty).toBe(true);
    expect(d.bounds).toBeUndefined();
  });

  it("R-D3: whatever is drawn, the regions cover it, reach no further, and are at most the limit", () => {
    let seed = 11;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return (seed >>> 12) % n;
    };
    for (let trial = 0; trial < 200; trial++) {
      const max = 1 + next(5);
      const d = new Damage(max);
      const drawn: Rect[] = [];
      for (let i = 0, n = 1 + next(12); i < n; i++) {
        const r = { x: next(40), y: next(30), width: next(12), height: next(9) };
        drawn.push(r);
        d.add(r);
      }
      expect(d.regions.length).toBeLessThanOrEqual(max);
      for (const r of drawn)
        for (let y = r.y; y < r.y + r.height; y++)
          for (let x = r.x; x < r.x + r.width; x++) expect(covered(d.regions, x, y)).toBe(true);
      // No region reaches past what was drawn: the bounds are exactly those of the non-empty draws.
      const real = drawn.filter((r) => r.width > 0 && r.height > 0);
      if (real.length > 0) {
        const x0 = Math.min(...real.map((r) => r.x));
        const y0 = Math.min(...real.map((r) => r.y));
        const x1 = Math.max(...real.map((r) => r.x + r.width));
        const y1 = Math.max(...real.map((r) => r.y + r.height));
        expect(d.bounds).toEqual({ x: x0, y: y0, width: x1 - x0, height: y1 - y0 });
      }
      // Nothing drawn but empty rectangles: nothing to paint.
      expect(d.empty).toBe(drawn.every((r) => r.width === 0 || r.height === 0));
    }
  });
});
