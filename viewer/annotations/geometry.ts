// Geometry of annotations, apart from rendering: straight-line snapping (Shift), point thinning, bounds and hit tests.

export type Point = readonly [number, number];

/** Shift held (R-V4): a stroke becomes the straight line from its first to its last point. */
export function snapStraight(points: readonly number[]): number[] {
  if (points.length <= 4) return [...points];
  return [points[0]!, points[1]!, points.at(-2)!, points.at(-1)!];
}

/** Drops points closer than `minDistance` to the last kept one, keeping the final point: smaller diffs, same look. */
export function thin(points: readonly number[], minDistance: number): number[] {
  if (points.length <= 4) return [...points];
  const out = [points[0]!, points[1]!];
  const min2 = minDistance * minDistance;
  for (let i = 2; i < points.length - 2; i += 2) {
    const dx = points[i]! - out.at(-2)!;
    const dy = points[i + 1]! - out.at(-1)!;
    if (dx * dx + dy * dy >= min2) out.push(points[i]!, points[i + 1]!);
  }
  out.push(points.at(-2)!, points.at(-1)!);
  return out;
}

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function bounds(points: readonly number[], pad = 0): Bounds {
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < points.length; i += 2) {
    minX = Math.min(minX, points[i]!);
    maxX = Math.max(maxX, points[i]!);
    minY = Math.min(minY, points[i + 1]!);
    maxY = Math.max(maxY, points[i + 1]!);
  }
  return { x: minX - pad, y: minY - pad, width: maxX - minX + 2 * pad, height: maxY - minY + 2 * pad };
}

/** Distance from p to the segment a–b. */
export function distanceToSegment(p: Point, a: Point, b: Point): number {
  const [px, py] = p;
  const [ax, ay] = a;
  const dx = b[0] - ax;
  const dy = b[1] - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** Is p within `tolerance` of the stroke? */
export function hitsStroke(points: readonly number[], p: Point, tolerance: number): boolean {
  if (points.length === 2) return Math.hypot(p[0] - points[0]!, p[1] - points[1]!) <= tolerance;
  for (let i = 0; i + 3 < points.length; i += 2) {
    const a: Point = [points[i]!, points[i + 1]!];
    const b: Point = [points[i + 2]!, points[i + 3]!];
    if (distanceToSegment(p, a, b) <= tolerance) return true;
  }
  return false;
}

/** Converts a point on the viewer's canvas to the customer's screen, given the view's scale and scroll (R-V1). */
export function toScreen(
  canvasX: number,
  canvasY: number,
  view: { scale: number; scrollX: number; scrollY: number },
) {
  return [(canvasX + view.scrollX) / view.scale, (canvasY + view.scrollY) / view.scale] as const;
}
