// R-D3: a choice made at a tile is reused for a fixed number of frames, and tiles that changed together (a photo, a
// video) are looked at again in different frames, not all in one.
import { describe, expect, it } from "vitest";
import { KeptChoices } from "./keptChoices.ts";

/** Runs `frames` frames over `tiles` tiles that all change every frame; returns the tiles looked at in each frame. */
const lookedAtPerFrame = (kept: KeptChoices, tiles: number, frames: number): number[][] =>
  Array.from({ length: frames }, () => {
    const looked: number[] = [];
    for (let index = 0; index < tiles; index++) {
      if (kept.canReuse(index)) kept.reused(index);
      else {
        kept.choseAt(index);
        looked.push(index);
      }
    }
    return looked;
  });

describe("R-D3 kept choices", () => {
  it("R-D3: after its first choice, a tile is looked at again every frames + 1 frames", () => {
    const kept = new KeptChoices(7);
    const frames = lookedAtPerFrame(kept, 300, 40);
    for (const index of [0, 1, 6, 7, 150, 299]) {
      const at = frames.flatMap((looked, frame) => (looked.includes(index) ? [frame] : []));
      expect(at[0]).toBe(0);
      expect(at[1]).toBe(2 + (index % 7));
      for (let k = 2; k < at.length; k++) expect(at[k]! - at[k - 1]!).toBe(8);
    }
  });

  it("R-D3: 300 tiles that change together are looked at again spread over the frames, not all in one", () => {
    const kept = new KeptChoices(7);
    const frames = lookedAtPerFrame(kept, 300, 40);
    expect(frames[0]).toHaveLength(300);
    // Every later frame looks at about 300 / 8 tiles; without the spread, one frame in eight would look at all 300.
    for (const looked of frames.slice(1)) expect(looked.length).toBeLessThanOrEqual(Math.ceil(300 / 7));
    const total = frames.slice(1).reduce((sum, looked) => sum + looked.length, 0);
    expect(total / 39).toBeGreaterThan(300 / 8 - 5);
    expect(total / 39).toBeLessThan(300 / 8 + 5);
  });

  it("R-D3: a tile with no choice made, or whose frames are used up, is not reused", () => {
    const kept = new KeptChoices(3);
    expect(kept.canReuse(5)).toBe(false);
    kept.reused(5);
    expect(kept.canReuse(5)).toBe(false);
    kept.choseAt(5);
    kept.choseAt(5);
    const reuse = () => {
      const can = kept.canReuse(5);
      kept.reused(5);
      return can;
    };
    expect(Array.from({ length: 4 }, reuse)).toEqual([true, true, true, false]);
  });
});
