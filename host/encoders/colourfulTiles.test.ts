// R-D3: a tile of a frame sent for speed skips the palette-run try only when a try found it too colourful at most 7
// frames ago and it still looks photo-like; text, a tile that barely changed and a tile too small to sample are tried.
import { describe, expect, it } from "vitest";
import { createPrng } from "../capture/prng.ts";
import { ColourfulTiles } from "./colourfulTiles.ts";
import type { TileRows } from "./tileChooser.ts";

const WIDTH = 64;

/** Gradients across each other with stripes and glyph-like speckle, as the screen-latency bench's photo redraw. */
const photo = (phase: number): Uint32Array =>
  new Uint32Array(WIDTH * WIDTH).map((_, i) => {
    const [x, y] = [i % WIDTH, Math.floor(i / WIDTH)];
    const u = x + phase * 5;
    const glyph = (u >> 3) % 3 !== 2 && (y >> 4) % 2 === 0 && ((u * 7 + y * 13) ^ (u >> 2)) % 5 < 2;
    const r = glyph ? 30 : (u + y) % 16 < 8 ? 200 : 90;
    const g = glyph ? 20 : ((y + phase * 11) * 255) / WIDTH;
    const b = glyph ? 20 : (x * 255) / WIDTH;
    return (0xff000000 | (b << 16) | (g << 8) | r) >>> 0;
  });

/** Dark glyph-like cells on white: two colours. */
const text = (seed: number): Uint32Array => {
  const prng = createPrng(seed);
  return new Uint32Array(WIDTH * WIDTH).map(() => (prng.int(5) === 0 ? 0xff202020 : 0xffffffff));
};

const rows = (pixels: Uint32Array, previous: Uint32Array | undefined, size = WIDTH): TileRows => ({
  pixels,
  previous,
  width: size,
  height: size,
  from: 0,
  stride: WIDTH,
});

describe("R-D3 colourful tiles", () => {
  it("R-D3: a photo-like tile skips the run try only after a try found it too colourful, for at most 7 frames", () => {
    const tiles = new ColourfulTiles();
    const next = rows(photo(1), photo(0));
    expect(tiles.skipsRun(3, next)).toBe(false);
    tiles.found(3);
    expect(tiles.skipsRun(2, next)).toBe(false);
    // After its first try a tile skips fewer frames, by its place (1 + 3 % 7), so that a photo's tiles are tried again
    // in different frames; after the next tries, 7.
    expect(Array.from({ length: 5 }, () => tiles.skipsRun(3, next))).toEqual([true, true, true, true, false]);
    tiles.found(3);
    expect(Array.from({ length: 8 }, () => tiles.skipsRun(3, next))).toEqual([...Array(7).fill(true), false]);
    tiles.found(3);
    expect(tiles.skipsRun(3, rows(photo(2), photo(1)))).toBe(true);
  });

  it("R-D3: text, a tile that barely changed, and a tile too small to sample are tried, whatever was found before", () => {
    const tiles = new ColourfulTiles();
    tiles.found(7);
    tiles.found(7);
    expect(tiles.skipsRun(7, rows(text(1), photo(0)))).toBe(false);
    const edited = photo(0).map((p, i) => (i % 9 === 0 ? p ^ 0x0f0f0f : p));
    expect(tiles.skipsRun(7, rows(edited, photo(0)))).toBe(false);
    expect(tiles.skipsRun(7, rows(photo(1), photo(0), 7))).toBe(false);
    // None of that used up the frames the photo may skip.
    expect(Array.from({ length: 7 }, () => tiles.skipsRun(7, rows(photo(1), photo(0))))).toEqual(
      Array(7).fill(true),
    );
  });

  it("R-D3: a key frame's tile (nothing held before) is judged on all its sampled pixels", () => {
    const tiles = new ColourfulTiles();
    tiles.found(5);
    expect(tiles.skipsRun(5, rows(text(2), undefined))).toBe(false);
    expect(tiles.skipsRun(5, rows(photo(0), undefined))).toBe(true);
  });
});
