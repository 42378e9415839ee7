// Packing of motion vectors (dx, dy) into vote keys, and picking the best-supported candidates.
import type { IntMap } from "./intMap.ts";

export interface Motion {
  /** Content moved right by dx and down by dy: destination = source + (dx, dy). */
  readonly dx: number;
  readonly dy: number;
  readonly votes: number;
}

/** Offsets are in (−width, width) × (−height, height), so the key fits in 32 bits for legal screens. */
export const motionKey = (dx: number, dy: number, width: number, height: number): number =>
  (dx + width) * (2 * height + 1) + (dy + height);

export const motionOf = (key: number, width: number, height: number, votes: number): Motion => {
  const span = 2 * height + 1;
  const dxw = Math.floor(key / span);
  return { dx: dxw - width, dy: key - dxw * span - height, votes };
};

/** Up to `max` motions with at least `minVotes` votes, most-voted first (ties: smaller move first). */
export const topMotions = (
  votes: IntMap,
  width: number,
  height: number,
  minVotes: number,
  max: number,
): Motion[] => {
  const found: Motion[] = [];
  votes.forEach((key, count) => {
    if (count >= minVotes) found.push(motionOf(key, width, height, count));
  });
  found.sort(
    (a, b) =>
      b.votes - a.votes ||
      Math.abs(a.dx) + Math.abs(a.dy) - Math.abs(b.dx) - Math.abs(b.dy) ||
      a.dy - b.dy ||
      a.dx - b.dx,
  );
  return found.slice(0, max);
};
