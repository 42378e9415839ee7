// R-D3: the guess at how much of a tile stayed (which encodings are worth trying) looks at pixels across the tile.
import { describe, expect, test } from "vitest";
import { sampleSame, sampleSameRows } from "./pixels.ts";

describe("R-D3: sampling how much of a tile stayed", () => {
  test("64 samples of a 64×64 tile reach every column, not only the first", () => {
    const before = new Uint32Array(64 * 64);
    const after = before.slice();
    // Only the first column stayed: every other pixel changed.
    for (let i = 0; i < after.length; i++) if (i % 64 !== 0) after[i] = 0xffffff;
    const same = sampleSame(after, before, 64, 64, 64);
    expect(same).toBeLessThan(8);
  });

  test("a tile read in place in the screen samples the same pixels as the tile gathered", () => {
    const width = 64;
    const height = 64;
    const stride = 200;
    const screen = new Uint32Array(stride * 100);
    const previous = new Uint32Array(stride * 100);
    const tile = new Uint32Array(width * height);
    const tilePrevious = new Uint32Array(width * height);
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) >>> 0);
    const from = 10 * stride + 30;
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const changed = random() % 3 === 0;
        const value = random() & 0xffffff;
        screen[from + y * stride + x] = tile[y * width + x] = value;
        previous[from + y * stride + x] = tilePrevious[y * width + x] = changed ? value ^ 1 : value;
      }
    for (const samples of [16, 64, 100])
      expect(sampleSameRows(screen, previous, from, stride, width, height, samples)).toBe(
        sampleSame(tile, tilePrevious, width, height, samples),
      );
  });
});
