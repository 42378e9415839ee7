// R-D3 copy planning: each changed tile is assigned the first candidate motion that explains it bit-exactly, whether
// its run of tiles was compared whole or tile by tile.
import { describe, expect, it } from "vitest";
import { tileGrid } from "../../protocol/frame/index.ts";
import { createPrng } from "../capture/prng.ts";
import { planCopies, verifyMotions } from "./copyPlanner.ts";
import type { Motion } from "./motionVotes.ts";

const [W, H, TILE] = [200, 90, 16];
const grid = tileGrid(W, H, TILE);

/** The first of `motions` whose moved previous frame equals `cur` over tile t (source on screen), tile by tile. */
const reference = (cur: Uint32Array, ref: Uint32Array, t: number, motions: readonly Motion[]): number => {
  const x0 = (t % grid.cols) * TILE;
  const y0 = Math.floor(t / grid.cols) * TILE;
  const [w, h] = [Math.min(TILE, W - x0), Math.min(TILE, H - y0)];
  for (let k = 0; k < motions.length; k++) {
    const { dx, dy } = motions[k]!;
    if (x0 - dx < 0 || y0 - dy < 0 || x0 + w - dx > W || y0 + h - dy > H) continue;
    let same = true;
    for (let y = y0; y < y0 + h && same; y++)
      for (let x = x0; x < x0 + w && same; x++) same = cur[y * W + x] === ref[(y - dy) * W + x - dx];
    if (same) return k + 1;
  }
  return 0;
};

describe("R-D3 copy planning", () => {
  it("R-D3: every changed tile gets the first motion that explains it, runs compared whole or tile by tile", () => {
    const prng = createPrng(11);
    for (let trial = 0; trial < 200; trial++) {
      const ref = Uint32Array.from({ length: W * H }, () => prng.u32());
      // A scroll (and sometimes a second candidate), with some tiles drawn over afterwards and some left as they were.
      const motions: Motion[] = [{ dx: prng.int(5) - 2, dy: prng.int(41) - 20, votes: 20 }];
      if (trial % 3 === 0) motions.push({ dx: 0, dy: prng.int(21) - 10, votes: 10 });
      const cur = ref.slice();
      const m = motions[0]!;
      for (let y = 0; y < H; y++)
        for (let x = 0; x < W; x++) {
          const [sx, sy] = [x - m.dx, y - m.dy];
          if (sx >= 0 && sy >= 0 && sx < W && sy < H) cur[y * W + x] = ref[sy * W + sx]!;
        }
      for (let n = prng.int(6); n > 0; n--) cur[prng.int(W * H)] = prng.u32();
      const dirty = Uint8Array.from({ length: grid.cols * grid.rows }, () => (prng.int(8) === 0 ? 0 : 1));
      const assigned = Uint8Array.from(dirty, (d) => (d !== 0 && prng.int(10) === 0 ? 9 : 0));
      const before = assigned.slice();
      const found = verifyMotions({ width: W, height: H, grid, cur, ref, dirty, assigned }, motions, 1);
      let expected = 0;
      for (let t = 0; t < dirty.length; t++) {
        const want = dirty[t] === 0 || before[t] !== 0 ? before[t]! : reference(cur, ref, t, motions);
        if (dirty[t] !== 0 && before[t] === 0 && want !== 0) expected++;
        expect(assigned[t], `trial ${trial} tile ${t}`).toBe(want);
      }
      expect(found).toBe(expected);
    }
  });

  it("R-D3: a copy widens to the exact edge of what moved, the narrowest of its rows, within the screen", () => {
    const prng = createPrng(5);
    for (const { dx, dy, left, right, short, x0 = 48, x1 = 144, widened = right } of [
      { dx: 0, dy: -7, left: 5, right: 9, short: 2 },
      { dx: -3, dy: 4, left: 15, right: 0, short: 0 },
      { dx: 6, dy: 0, left: 9, right: 12, short: 7 },
      { dx: -2, dy: -3, left: 14, right: 15, short: 14 },
      // At the screen's right edge, moved left by 5: columns 195 and on have no source on screen.
      { dx: -5, dy: 2, left: 3, right: 8, short: 1, x0: 128, x1: 192, widened: 3 },
    ]) {
      const ref = Uint32Array.from({ length: W * H }, () => prng.u32());
      // Everything moved by (dx, dy) over columns [48 − left, 144 + right), rows 32–63; new noise elsewhere. One row
      // (40) moved only from column 48 − left + short: the copy's left edge is that row's.
      const cur = Uint32Array.from({ length: W * H }, () => prng.u32());
      for (let y = 32; y < 64; y++) {
        const from = x0 - left + (y === 40 ? short : 0);
        for (let x = from; x < x1 + right; x++) cur[y * W + x] = ref[(y - dy) * W + x - dx]!;
      }
      const dirty = new Uint8Array(grid.cols * grid.rows).fill(1);
      const assigned = new Uint8Array(dirty.length);
      const input = { width: W, height: H, grid, cur, ref, dirty, assigned };
      verifyMotions(input, [{ dx, dy, votes: 20 }], 1);
      const copies = planCopies(input, () => ({ dx, dy, votes: 20 }));
      expect(copies).toEqual([
        {
          dstX: x0 - left + short,
          dstY: 32,
          width: x1 - x0 + left - short + widened,
          height: 32,
          srcX: x0 - left + short - dx,
          srcY: 32 - dy,
        },
      ]);
    }
  });
});
