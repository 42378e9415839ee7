// R-D3 / R-V6 payload layouts: COPY rectangles and palette index packing.
import * as Result from "effect/Result";
import { describe, expect, it } from "vitest";
import {
  copyTile,
  paletteBitsPerIndex,
  paletteRowBytes,
  readCopyPayload,
  writeCopyPayload,
} from "./payloads.ts";

describe("R-D3 COPY payload", () => {
  it("R-D3: a copy rectangle is filed under the tile of its corner and reads back whole", () => {
    const copy = { dstX: 200, dstY: 70, width: 900, height: 40, srcX: 200, srcY: 110 };
    const { tx, ty } = copyTile(copy, 64);
    expect([tx, ty]).toEqual([3, 1]);
    const r = readCopyPayload(writeCopyPayload(copy, 64), tx, ty, 64);
    expect(Result.isSuccess(r) && r.success).toEqual(copy);
  });

  it("R-D3: an empty rectangle, a corner outside the tile or a wrong length is BadPayload", () => {
    const bytes = writeCopyPayload({ dstX: 0, dstY: 0, width: 1, height: 1, srcX: 0, srcY: 0 }, 64);
    const empty = bytes.slice();
    empty[2] = 0;
    const outside = bytes.slice();
    outside[0] = 64;
    for (const bad of [empty, outside, bytes.subarray(0, 9)]) {
      const r = readCopyPayload(bad, 0, 0, 64);
      expect(Result.isFailure(r) && r.failure.reason).toBe("BadPayload");
    }
  });
});

describe("R-V6 palette packing", () => {
  it("R-V6: uses the fewest bits per index and whole bytes per row", () => {
    expect([1, 2, 3, 4, 5, 16, 17, 256].map(paletteBitsPerIndex)).toEqual([1, 1, 2, 2, 4, 4, 8, 8]);
    expect(paletteRowBytes(64, 1)).toBe(8);
    expect(paletteRowBytes(13, 2)).toBe(4);
    expect(paletteRowBytes(13, 8)).toBe(13);
  });
});
