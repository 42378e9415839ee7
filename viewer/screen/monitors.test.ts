// R-V2: moving between the customer's monitors and showing one of them, with the pointer still on the whole desktop.
import { describe, expect, test } from "vitest";
import { fromHost, stepMonitor } from "./monitors.ts";
import { shownRect, viewportToScreen } from "./viewMath.ts";

// Xinerama-style: a 1920×1080 primary and a 1280×1024 to its right; the captured desktop is their bounding box.
const reported = [
  { id: 1, name: "DP-2", x: 1920, y: 0, width: 1280, height: 1024, primary: false },
  { id: 0, name: "DP-1", x: 0, y: 0, width: 1920, height: 1080, primary: true },
];
const desktop = { width: 3200, height: 1080 };

describe("R-V2 one monitor at a time", () => {
  test("R-V2: the host's monitors become the viewer's, ids as strings, nothing else carried", () => {
    expect(fromHost(reported)).toEqual([
      { id: "1", x: 1920, y: 0, width: 1280, height: 1024, primary: false },
      { id: "0", x: 0, y: 0, width: 1920, height: 1080, primary: true },
    ]);
  });

  test("R-V2: from all monitors the arrows go to the first or the last in reading order, then wrap", () => {
    const monitors = fromHost(reported);
    expect(stepMonitor(monitors, null, 1)?.id).toBe("0");
    expect(stepMonitor(monitors, null, -1)?.id).toBe("1");
    expect(stepMonitor(monitors, "0", 1)?.id).toBe("1");
    expect(stepMonitor(monitors, "1", 1)?.id).toBe("0");
    expect(stepMonitor(monitors, "gone", 1)?.id).toBe("0");
    expect(stepMonitor([], null, 1)).toBeUndefined();
  });

  test("R-V2: a shown monitor is its rectangle of the picture, clipped; none or one outside shows it all", () => {
    expect(shownRect({ x: 1920, y: 0, width: 1280, height: 1024 }, desktop)).toEqual({
      x: 1920,
      y: 0,
      width: 1280,
      height: 1024,
    });
    expect(shownRect(null, desktop)).toEqual({ x: 0, y: 0, width: 3200, height: 1080 });
    // A layout reported before the frames caught up with it: what there is of the monitor.
    expect(shownRect({ x: 1920, y: 0, width: 1920, height: 1200 }, desktop)).toEqual({
      x: 1920,
      y: 0,
      width: 1280,
      height: 1080,
    });
    expect(shownRect({ x: 4000, y: 0, width: 800, height: 600 }, desktop)).toEqual({
      x: 0,
      y: 0,
      width: 3200,
      height: 1080,
    });
  });

  test("R-V2: a point on the shown monitor maps to the whole desktop's pixel, at any zoom and scroll", () => {
    const second = { x: 1920, y: 0 };
    expect(viewportToScreen({ x: 10, y: 20 }, { x: 0, y: 0 }, 1, second)).toEqual({ x: 1930, y: 20 });
    expect(viewportToScreen({ x: 10, y: 20 }, { x: 0, y: 0 }, 0.5, second)).toEqual({ x: 1940, y: 40 });
    expect(viewportToScreen({ x: 10, y: 20 }, { x: 100, y: 40 }, 2, second)).toEqual({ x: 1975, y: 30 });
  });
});
