// Merges rectangles into full-width row bands: what the X11 source reads, since a band lands in place in the frame.
import type { Rect } from "../../protocol/frame/index.ts";

export interface RowBand {
  /** First row. */
  readonly y: number;
  readonly height: number;
}

/** The rows that `rects` cover, as sorted, disjoint bands (touching bands are joined). */
export const rowBands = (rects: readonly Rect[]): RowBand[] => {
  const spans = rects
    .filter((r) => r.width > 0 && r.height > 0)
    .map((r) => [r.y, r.y + r.height] as const)
    .sort((a, b) => a[0] - b[0]);
  const out: { y: number; end: number }[] = [];
  for (const [start, end] of spans) {
    const last = out.at(-1);
    if (last !== undefined && start <= last.end) last.end = Math.max(last.end, end);
    else out.push({ y: start, end });
  }
  return out.map(({ y, end }) => ({ y, height: end - y }));
};
