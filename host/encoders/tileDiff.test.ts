// R-D3 change detection: exactly the 64×64 tiles that differ, edge tiles included.
import { describe, expect, it } from "vitest";
import { tileGrid } from "../../protocol/frame/index.ts";
import { createPrng } from "../capture/prng.ts";
import { diffTiles } from "./tileDiff.ts";

describe("R-D3 tile change detection", () => {
  it("R-D3: finds exactly the changed tiles, one pixel is enough, on screens of any size", () => {
    const prng = createPrng(5);
    for (let round = 0; round < 200; round++) {
      const width = 1 + prng.int(300);
      const height = 1 + prng.int(200);
      const grid = tileGrid(width, height, 64);
      const prev = new Uint32Array(width * height).map(() => prng.u32());
      const cur = prev.slice();
      const expected = new Uint8Array(grid.cols * grid.rows);
      for (let k = prng.int(6); k > 0; k--) {
        const x = prng.int(width);
        const y = prng.int(height);
        cur[y * width + x] = cur[y * width + x]! ^ (1 << prng.int(32));
        expected[Math.floor(y / 64) * grid.cols + Math.floor(x / 64)] = 1;
      }
      const dirty = new Uint8Array(grid.cols * grid.rows).fill(7);
      const count = diffTiles(cur, prev, width, height, grid, dirty);
      expect([...dirty]).toEqual([...expected]);
      expect(count).toBe(expected.reduce((a, b) => a + b, 0));
    }
  });
});
