// R-V6 "forward system keys": when the keyboard is handed to the customer.
import { describe, expect, test } from "vitest";
import { systemKeysWanted } from "./systemKeys.ts";

/** Elements as a tree of names: `contains` is all the rule needs. */
const node = (name: string, parent?: { path: string[] }) => {
  const path = [...(parent?.path ?? []), name];
  return { path, contains: (o: { path: string[] }) => path.every((p, i) => o.path[i] === p) };
};
const panel = node("panel");
const screen = node("screen", panel);
const chat = node("chat");
const as = (e: ReturnType<typeof node> | null) => e as unknown as Element | null;

describe("R-V6 forward system keys", () => {
  test("R-V6: only with the preference on, shared control, and the shared screen in full screen — whichever element is", () => {
    const want = (enabled: boolean, inControl: boolean, full: ReturnType<typeof node> | null) =>
      systemKeysWanted({ enabled, inControl, fullScreen: as(full), screen: as(screen) });
    expect(want(true, true, panel)).toBe(true);
    expect(want(true, true, screen)).toBe(true);
    expect(want(true, true, node("canvas", screen))).toBe(true);
    expect(want(false, true, panel)).toBe(false);
    expect(want(true, false, panel)).toBe(false);
    expect(want(true, true, null)).toBe(false);
    expect(want(true, true, chat)).toBe(false);
    expect(systemKeysWanted({ enabled: true, inControl: true, fullScreen: as(panel), screen: null })).toBe(
      false,
    );
  });
});
