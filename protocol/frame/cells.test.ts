// R-D3 cell lists: entries round-trip; a slot past the cache or an empty or oversized cell is BadPayload.
import * as Result from "effect/Result";
import { describe, expect, it } from "vitest";
import {
  CELL_EDGE_MAX_PX,
  CELL_SLOTS,
  packCellDraws,
  packCellStores,
  unpackCellDraws,
  unpackCellStores,
} from "./cells.ts";

const reason = <A>(r: Result.Result<A, { reason: string }>) =>
  Result.isFailure(r) ? r.failure.reason : "ok";

describe("R-D3 cell lists", () => {
  it("R-D3: draws and stores read back as written", () => {
    const draws = [
      { slot: 0, x: 0, y: 0 },
      { slot: CELL_SLOTS - 1, x: 65535, y: 1079 },
    ];
    const stores = [
      { x: 3, y: 4, width: 1, height: CELL_EDGE_MAX_PX },
      { x: 1919, y: 0, width: CELL_EDGE_MAX_PX, height: 1 },
    ];
    expect(Result.getOrThrow(unpackCellDraws(packCellDraws(draws)))).toEqual(draws);
    expect(Result.getOrThrow(unpackCellStores(packCellStores(stores)))).toEqual(stores);
  });

  it("R-D3: a slot past the cache, or an empty or oversized cell, is BadPayload", () => {
    expect(reason(unpackCellDraws(packCellDraws([{ slot: CELL_SLOTS, x: 0, y: 0 }])))).toBe("BadPayload");
    for (const [width, height] of [
      [0, 5],
      [5, 0],
      [CELL_EDGE_MAX_PX + 1, 5],
      [5, CELL_EDGE_MAX_PX + 1],
    ] as const) {
      expect(reason(unpackCellStores(packCellStores([{ x: 0, y: 0, width, height }])))).toBe("BadPayload");
    }
  });
});
