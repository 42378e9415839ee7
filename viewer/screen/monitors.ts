// The customer's monitors (R-V2): their layout with resolutions, moving between them, and a mini-map of the desktop.

export interface Monitor {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
  primary?: boolean;
}

export interface MapRect {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
  label: string;
}

/** The bounding box of all monitors (the virtual desktop the host captures). */
export function desktopBounds(monitors: readonly Monitor[]) {
  const x0 = Math.min(...monitors.map((m) => m.x));
  const y0 = Math.min(...monitors.map((m) => m.y));
  const x1 = Math.max(...monitors.map((m) => m.x + m.width));
  const y1 = Math.max(...monitors.map((m) => m.y + m.height));
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** Monitors in reading order (top to bottom, left to right): the order the arrows move through. */
export function ordered(monitors: readonly Monitor[]): Monitor[] {
  return [...monitors].sort((a, b) => a.y - b.y || a.x - b.x);
}

export function neighbour(
  monitors: readonly Monitor[],
  currentId: string,
  direction: 1 | -1,
): Monitor | undefined {
  const list = ordered(monitors);
  const i = list.findIndex((m) => m.id === currentId);
  if (list.length === 0) return undefined;
  return list[(i + direction + list.length) % list.length];
}

/** Scales the layout into a mini-map of at most `maxWidth` × `maxHeight`, each monitor labelled with its resolution. */
export function miniMap(monitors: readonly Monitor[], maxWidth: number, maxHeight: number): MapRect[] {
  if (monitors.length === 0) return [];
  const b = desktopBounds(monitors);
  const k = Math.min(maxWidth / b.width, maxHeight / b.height);
  return ordered(monitors).map((m) => ({
    id: m.id,
    x: Math.round((m.x - b.x) * k),
    y: Math.round((m.y - b.y) * k),
    width: Math.max(1, Math.round(m.width * k)),
    height: Math.max(1, Math.round(m.height * k)),
    label: `${m.width}×${m.height}${m.primary ? " ★" : ""}`,
  }));
}

/** A monitor as the host reports it on the screen channel (X RandR / Xinerama: numeric ids). */
export interface HostMonitor {
  id: number;
  x: number;
  y: number;
  width: number;
  height: number;
  primary: boolean;
}

export function fromHost(list: readonly HostMonitor[]): Monitor[] {
  return list.map(({ id, x, y, width, height, primary }) => ({
    id: String(id),
    x,
    y,
    width,
    height,
    primary,
  }));
}

/**
 * The arrows' target (R-V2): from one monitor to the next in reading order, wrapping; from "all monitors" (null)
 * forward to the first and back to the last.
 */
export function stepMonitor(
  monitors: readonly Monitor[],
  currentId: string | null,
  direction: 1 | -1,
): Monitor | undefined {
  const list = ordered(monitors);
  if (currentId === null || !list.some((m) => m.id === currentId)) {
    return direction > 0 ? list[0] : list.at(-1);
  }
  return neighbour(list, currentId, direction);
}
