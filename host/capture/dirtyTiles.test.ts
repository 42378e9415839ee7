// Damage rectangles become few tile-aligned reads, and reads become full-width row bands (R-D3).
import { describe, expect, it } from "vitest";
import { DirtyTiles } from "./dirtyTiles.ts";
import { rowBands } from "./rowBands.ts";
import { zPixmapRowsToRgba } from "./zPixmap.ts";

describe("DirtyTiles", () => {
  it("R-D3: snaps damage to 64-pixel tiles, joins runs and stacks equal runs", () => {
    const t = new DirtyTiles(1920, 1080);
    t.add({ x: 70, y: 10, width: 100, height: 100 }); // tiles (1..2, 0..1)
    t.add({ x: 1900, y: 1070, width: 50, height: 50 }); // the clipped bottom-right tile
    expect(t.take()).toEqual([
      { x: 64, y: 0, width: 128, height: 128 },
      { x: 1856, y: 1024, width: 64, height: 56 },
    ]);
    expect(t.isEmpty).toBe(true);
    expect(t.take()).toEqual([]);
  });

  it("ignores rectangles outside the screen", () => {
    const t = new DirtyTiles(100, 100);
    t.add({ x: 200, y: 0, width: 10, height: 10 });
    t.add({ x: -20, y: -20, width: 10, height: 10 });
    expect(t.take()).toEqual([]);
  });
});

describe("rowBands", () => {
  it("merges overlapping and touching rows into sorted bands", () => {
    expect(
      rowBands([
        { x: 0, y: 128, width: 64, height: 64 },
        { x: 500, y: 0, width: 64, height: 64 },
        { x: 900, y: 64, width: 64, height: 64 },
        { x: 0, y: 400, width: 64, height: 64 },
      ]),
    ).toEqual([
      { y: 0, height: 192 },
      { y: 400, height: 64 },
    ]);
  });
});

describe("zPixmapRowsToRgba", () => {
  it("turns B, G, R, X bytes into R, G, B, 255 (and X, R, G, B on MSB-first servers)", () => {
    const lsb = { width: 2, height: 1, data: Uint8Array.from([0x30, 0x20, 0x10, 0x00, 3, 2, 1, 0x77]) };
    zPixmapRowsToRgba(lsb, 0, 1, { bitsPerPixel: 32, msbFirst: false });
    expect(Array.from(lsb.data)).toEqual([0x10, 0x20, 0x30, 255, 1, 2, 3, 255]);
    const msb = { width: 1, height: 1, data: Uint8Array.from([0x00, 0x10, 0x20, 0x30]) };
    zPixmapRowsToRgba(msb, 0, 1, { bitsPerPixel: 32, msbFirst: true });
    expect(Array.from(msb.data)).toEqual([0x10, 0x20, 0x30, 255]);
  });
});
