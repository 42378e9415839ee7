// R-V3: screen windows tiled or cascaded over the agent's screen.
import { describe, expect, it } from "vitest";
import { arrangeWindows, CASCADE_STEP_PX, screenWindowTarget, screenWindowUrl } from "./screenWindow.ts";

const area = { left: 0, top: 20, width: 1920, height: 1060 };
const overlap = (a: typeof area, b: typeof area) =>
  a.left < b.left + b.width &&
  b.left < a.left + a.width &&
  a.top < b.top + b.height &&
  b.top < a.top + a.height;

describe("R-V3 screen windows", () => {
  it("R-V3: tiled windows fill the screen without overlapping, in a grid as square as the count allows", () => {
    for (let n = 1; n <= 8; n++) {
      const places = arrangeWindows("tiled", n, area);
      expect(places).toHaveLength(n);
      for (const [i, a] of places.entries()) {
        expect(a.left).toBeGreaterThanOrEqual(area.left);
        expect(a.top + a.height).toBeLessThanOrEqual(area.top + area.height);
        expect(a.left + a.width).toBeLessThanOrEqual(area.left + area.width);
        for (const b of places.slice(i + 1)) expect(overlap(a, b)).toBe(false);
      }
    }
    expect(arrangeWindows("tiled", 4, area).map((p) => [p.left, p.top])).toEqual([
      [0, 20],
      [960, 20],
      [0, 550],
      [960, 550],
    ]);
  });

  it("R-V3: cascaded windows step down and right, and stay on the screen", () => {
    const places = arrangeWindows("cascaded", 8, area);
    expect(places[1]!.left - places[0]!.left).toBe(CASCADE_STEP_PX);
    expect(places[1]!.top - places[0]!.top).toBe(CASCADE_STEP_PX);
    for (const p of places) {
      expect(p.left + p.width).toBeLessThanOrEqual(area.left + area.width);
      expect(p.top + p.height).toBeLessThanOrEqual(area.top + area.height);
    }
    const small = arrangeWindows("cascaded", 30, { left: 0, top: 0, width: 400, height: 300 });
    for (const p of small) expect(p.top + p.height).toBeLessThanOrEqual(300);
  });

  it("R-V3: a screen window's address names its session and customer, whatever characters they hold", () => {
    const url = screenWindowUrl("s-1", "Zoë & Co #2");
    expect(screenWindowTarget(new URL(url, "http://x").hash)).toEqual({
      sessionId: "s-1",
      customer: "Zoë & Co #2",
    });
    expect(screenWindowTarget("#other=1")).toBeNull();
  });
});
