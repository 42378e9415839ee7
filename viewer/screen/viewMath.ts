// How the remote screen sits in the viewer (R-V1): actual size, fit, zoom presets, scroll limits and edge auto-scroll.

export type ViewMode = { kind: "actual" } | { kind: "fit" } | { kind: "zoom"; percent: number };

/** Zoom presets offered in the menu (R-V1); any other percentage is a custom zoom. */
export const zoomPresets = [25, 50, 75, 100, 125, 150, 200] as const;
export const zoomPercentMin = 10;
export const zoomPercentMax = 400;

export interface Size {
  width: number;
  height: number;
}

/** Screen pixels → CSS pixels for a mode. Fit never enlarges: a small screen stays crisp at 100 %. */
export function scaleFor(mode: ViewMode, screen: Size, viewport: Size): number {
  switch (mode.kind) {
    case "actual":
      return 1;
    case "fit":
      if (screen.width === 0 || screen.height === 0) return 1;
      return Math.min(1, viewport.width / screen.width, viewport.height / screen.height);
    case "zoom":
      return Math.min(zoomPercentMax, Math.max(zoomPercentMin, mode.percent)) / 100;
  }
}

/** The next preset up or down from a scale, for zoom in / zoom out. */
export function stepZoom(scale: number, direction: 1 | -1): number {
  const percent = Math.round(scale * 100);
  const presets = direction > 0 ? zoomPresets : [...zoomPresets].reverse();
  return (
    presets.find((p) => (direction > 0 ? p > percent : p < percent)) ??
    (direction > 0 ? zoomPresets.at(-1)! : zoomPresets[0])
  );
}

export interface Scroll {
  x: number;
  y: number;
}

export function clampScroll(scroll: Scroll, screen: Size, viewport: Size, scale: number): Scroll {
  const maxX = Math.max(0, screen.width * scale - viewport.width);
  const maxY = Math.max(0, screen.height * scale - viewport.height);
  return { x: Math.min(maxX, Math.max(0, scroll.x)), y: Math.min(maxY, Math.max(0, scroll.y)) };
}

/** Auto-scroll at the edges (R-V1): the pointer within `edgePx` of a border scrolls that way, faster nearer the edge. */
export function edgeScroll(pointer: Scroll, viewport: Size, edgePx = 24, maxStepPx = 24): Scroll {
  const step = (pos: number, size: number) => {
    if (pos < edgePx) return -Math.ceil(((edgePx - pos) / edgePx) * maxStepPx);
    if (pos > size - edgePx) return Math.ceil(((pos - (size - edgePx)) / edgePx) * maxStepPx);
    return 0;
  };
  return { x: step(pointer.x, viewport.width), y: step(pointer.y, viewport.height) };
}

/** Arrow keys scroll when hotkeys are on (R-V1): one tenth of the viewport per press. */
export function arrowScroll(key: string, viewport: Size): Scroll | null {
  const dx = Math.round(viewport.width / 10);
  const dy = Math.round(viewport.height / 10);
  const moves: Record<string, Scroll> = {
    ArrowLeft: { x: -dx, y: 0 },
    ArrowRight: { x: dx, y: 0 },
    ArrowUp: { x: 0, y: -dy },
    ArrowDown: { x: 0, y: dy },
  };
  return moves[key] ?? null;
}

/**
 * A point on the viewer (CSS pixels inside the viewport) → the customer's screen pixel. `origin` is where the shown
 * part starts on the captured screen (one monitor of several, R-V2): the host expects whole-desktop coordinates.
 */
export function viewportToScreen(
  p: Scroll,
  scroll: Scroll,
  scale: number,
  origin: Scroll = { x: 0, y: 0 },
): Scroll {
  return {
    x: origin.x + Math.floor((p.x + scroll.x) / scale),
    y: origin.y + Math.floor((p.y + scroll.y) / scale),
  };
}

/** A typed zoom percentage (R-V1 "Zoom to … custom") as a whole percent within the range, or null if not a number. */
export function clampZoomPercent(value: number): number | null {
  if (!Number.isFinite(value)) return null;
  return Math.min(zoomPercentMax, Math.max(zoomPercentMin, Math.round(value)));
}

export interface Rect extends Size {
  x: number;
  y: number;
}

/**
 * The part of the captured screen the view shows: all of it, or one monitor's rectangle (R-V2) clipped to the
 * picture. A monitor wholly outside the picture (a layout not yet matched by the frames) shows all of it.
 */
export function shownRect(region: Rect | null, screen: Size): Rect {
  const all = { x: 0, y: 0, width: screen.width, height: screen.height };
  if (!region) return all;
  const x = Math.max(0, region.x);
  const y = Math.max(0, region.y);
  const width = Math.min(screen.width, region.x + region.width) - x;
  const height = Math.min(screen.height, region.y + region.height) - y;
  return width > 0 && height > 0 ? { x, y, width, height } : all;
}
