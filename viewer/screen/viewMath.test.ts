// R-V1 view modes and scrolling, R-V2 monitors and mini-map.
import { describe, expect, test } from "vitest";
import { miniMap, neighbour } from "./monitors.ts";
import {
  arrowScroll,
  clampScroll,
  clampZoomPercent,
  edgeScroll,
  scaleFor,
  stepZoom,
  viewportToScreen,
} from "./viewMath.ts";

const fullHd = { width: 1920, height: 1080 };
const window = { width: 960, height: 720 };

describe("R-V1 view", () => {
  test("R-V1: actual size is 1:1, fit shrinks to the window and never enlarges, zoom clamps to 10–400 %", () => {
    expect(scaleFor({ kind: "actual" }, fullHd, window)).toBe(1);
    expect(scaleFor({ kind: "fit" }, fullHd, window)).toBe(0.5);
    expect(scaleFor({ kind: "fit" }, { width: 800, height: 600 }, window)).toBe(1);
    expect(scaleFor({ kind: "zoom", percent: 150 }, fullHd, window)).toBe(1.5);
    expect(scaleFor({ kind: "zoom", percent: 1000 }, fullHd, window)).toBe(4);
  });

  test("R-V1: zoom in and out step through the presets", () => {
    expect(stepZoom(1, 1)).toBe(125);
    expect(stepZoom(1, -1)).toBe(75);
    expect(stepZoom(0.6, -1)).toBe(50);
    expect(stepZoom(2, 1)).toBe(200);
  });

  test("R-V1: a custom zoom is a whole percentage within 10–400 %; anything not a number is refused", () => {
    expect(clampZoomPercent(130)).toBe(130);
    expect(clampZoomPercent(133.6)).toBe(134);
    expect(clampZoomPercent(5)).toBe(10);
    expect(clampZoomPercent(1000)).toBe(400);
    expect(clampZoomPercent(Number.NaN)).toBeNull();
    expect(scaleFor({ kind: "zoom", percent: clampZoomPercent(130)! }, fullHd, window)).toBe(1.3);
  });

  test("R-V1: scrolling stays within the picture; edges auto-scroll; arrow keys scroll a tenth", () => {
    expect(clampScroll({ x: -5, y: 9999 }, fullHd, window, 1)).toEqual({ x: 0, y: 360 });
    expect(edgeScroll({ x: 2, y: 360 }, window)).toEqual({ x: -22, y: 0 });
    expect(edgeScroll({ x: 480, y: 719 }, window).y).toBeGreaterThan(0);
    expect(edgeScroll({ x: 480, y: 360 }, window)).toEqual({ x: 0, y: 0 });
    expect(arrowScroll("ArrowRight", window)).toEqual({ x: 96, y: 0 });
    expect(arrowScroll("a", window)).toBeNull();
    expect(viewportToScreen({ x: 10, y: 10 }, { x: 100, y: 50 }, 0.5)).toEqual({ x: 220, y: 120 });
  });
});

describe("R-V2 monitors", () => {
  const monitors = [
    { id: "right", x: 1920, y: 0, width: 1280, height: 1024 },
    { id: "main", x: 0, y: 0, width: 1920, height: 1080, primary: true },
  ];

  test("R-V2: arrows move between monitors in reading order and wrap", () => {
    expect(neighbour(monitors, "main", 1)?.id).toBe("right");
    expect(neighbour(monitors, "right", 1)?.id).toBe("main");
    expect(neighbour(monitors, "main", -1)?.id).toBe("right");
  });

  test("R-V2: the mini-map keeps the layout and labels each monitor with its resolution", () => {
    const map = miniMap(monitors, 200, 100);
    expect(map).toEqual([
      { id: "main", x: 0, y: 0, width: 120, height: 68, label: "1920×1080 ★" },
      { id: "right", x: 120, y: 0, width: 80, height: 64, label: "1280×1024" },
    ]);
  });
});
