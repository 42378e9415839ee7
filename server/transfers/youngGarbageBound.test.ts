// R-T1 memory: the relay asks for a young-generation collection once per `everyBytes` relayed, and never without gc.
import { describe, expect, test } from "vitest";
import { YoungGarbageBound } from "./youngGarbageBound.ts";

describe("YoungGarbageBound", () => {
  test("one minor collection per 8 MiB relayed, counted across chunks of any size", () => {
    const calls: unknown[] = [];
    const bound = new YoungGarbageBound(8 * 1024 * 1024, (o) => calls.push(o));
    for (let i = 0; i < 15; i++) bound.add(512 * 1024);
    expect(calls).toEqual([]);
    bound.add(512 * 1024);
    expect(calls).toEqual([{ type: "minor" }]);
    for (let i = 0; i < 48; i++) bound.add(512 * 1024);
    expect(calls).toHaveLength(4);
  });

  test("without --expose-gc it does nothing", () => {
    const bound = new YoungGarbageBound(1, undefined);
    expect(() => bound.add(1 << 20)).not.toThrow();
  });
});
