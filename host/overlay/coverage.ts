// Which screen pixels the annotation overlay covers and what lies beneath them: the overlay's shape, its composed
// pixels (translucency blended by hand, as there is no compositor), and the capture's way of seeing past it.
import type { Annotation } from "../../protocol/annotations/index.ts";
import type { RgbaImage } from "../../protocol/frame/index.ts";
import { bounds } from "../../viewer/annotations/index.ts";

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** How far ink reaches past a record's points, by kind: half the widest line plus anti-aliasing; the arrow stamp is 34 px. */
const reachByKind = { pen: 4, highlighter: 10, arrow: 36, laser: 10 } as const;
const LASER_REACH = 8;

export const unionBox = (a: Box | null, b: Box | null): Box | null => {
  if (!a) return b;
  if (!b) return a;
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return {
    x,
    y,
    width: Math.max(a.x + a.width, b.x + b.width) - x,
    height: Math.max(a.y + a.height, b.y + b.height) - y,
  };
};

export const clipBox = (b: Box, width: number, height: number): Box | null => {
  const x = Math.max(0, Math.floor(b.x));
  const y = Math.max(0, Math.floor(b.y));
  const right = Math.min(width, Math.ceil(b.x + b.width));
  const bottom = Math.min(height, Math.ceil(b.y + b.height));
  return right > x && bottom > y ? { x, y, width: right - x, height: bottom - y } : null;
};

/** Everything the scene (and the laser dot) can ink, clipped to the screen; null when nothing would show. */
export const inkBox = (
  annotations: readonly Annotation[],
  laser: readonly [number, number] | undefined,
  width: number,
  height: number,
): Box | null => {
  let box: Box | null = null;
  for (const a of annotations) {
    if (a.kind === "laser" || a.points.length < 2) continue;
    box = unionBox(box, bounds(a.points, reachByKind[a.kind]));
  }
  if (laser) box = unionBox(box, bounds(laser, LASER_REACH));
  return box && clipBox(box, width, height);
};

/**
 * The bounding region of the pixels with any ink (alpha > 0) in `rgba` (the box's pixels), as rectangles in screen
 * coordinates: one per run of inked pixels in a row, with runs repeated on the rows below merged into one taller
 * rectangle (a horizontal stroke is a few rectangles, not one per row).
 */
export const inkRectangles = (
  rgba: Uint8ClampedArray | Uint8Array,
  box: Box,
): [number, number, number, number][] => {
  const out: [number, number, number, number][] = [];
  let open = new Map<string, number>(); // "x0,x1" → index in out of the rectangle growing downwards
  for (let row = 0; row < box.height; row++) {
    const next = new Map<string, number>();
    let col = 0;
    while (col < box.width) {
      if (rgba[(row * box.width + col) * 4 + 3] === 0) {
        col++;
        continue;
      }
      const start = col;
      while (col < box.width && rgba[(row * box.width + col) * 4 + 3] !== 0) col++;
      const key = `${start},${col}`;
      const growing = open.get(key);
      if (growing !== undefined) {
        out[growing]![3]++;
        next.set(key, growing);
      } else {
        next.set(key, out.push([box.x + start, box.y + row, col - start, 1]) - 1);
      }
    }
    open = next;
  }
  return out;
};

/** Per screen pixel: 0 clear, 1 covered by the overlay, 2 uncovered but not yet proven gone from captures. */
const CLEAR = 0;
const COVERED = 1;
const RETIRING = 2;

interface Retirement {
  readonly pixels: Int32Array;
  /** When the X server had processed the request that uncovered them (performance.now()). */
  readonly settledAt: number;
}

/**
 * The overlay's footprint and what lies beneath it, for the whole screen. The capture restores the beneath pixels
 * wherever the overlay covers the screen, so annotations never echo back to the agent as screen content; pixels
 * the overlay stopped covering are still restored in any grab that started before the X server uncovered them.
 */
export class Coverage {
  private readonly state: Uint8Array;
  /** RGBA of what was on screen under each covered pixel just before the overlay first covered it. */
  private readonly beneath: Uint32Array;
  private retirements: Retirement[] = [];
  /** Where pixels may be covered or retiring; restoring scans only this. */
  private extent: Box | null = null;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.state = new Uint8Array(width * height);
    this.beneath = new Uint32Array(width * height);
  }

  /** The smallest box around the inked pixels of `rgba` (the box's pixels) that the overlay does not know the beneath of. */
  unknownBeneath(rgba: Uint8ClampedArray, box: Box): Box | null {
    let found: Box | null = null;
    for (let row = 0; row < box.height; row++) {
      let first = -1;
      let last = -1;
      const rowStart = (box.y + row) * this.width + box.x;
      for (let col = 0; col < box.width; col++) {
        if (rgba[(row * box.width + col) * 4 + 3] === 0 || this.state[rowStart + col] !== CLEAR) continue;
        if (first < 0) first = col;
        last = col;
      }
      if (first >= 0)
        found = unionBox(found, { x: box.x + first, y: box.y + row, width: last - first + 1, height: 1 });
    }
    return found;
  }

  /**
   * Marks the inked pixels of `rgba` covered, taking the beneath of newly covered ones from `screen` (RGBA of
   * `screenBox`, read before the overlay drew there), and marks every other pixel of `previous` retiring.
   * Returns the pixels that stopped being covered.
   */
  cover(
    rgba: Uint8ClampedArray | null,
    box: Box | null,
    screen: RgbaImage | null,
    screenBox: Box | null,
    previous: Box | null,
  ): Int32Array {
    const screenWords =
      screen && new Uint32Array(screen.data.buffer, screen.data.byteOffset, screen.width * screen.height);
    const inked = (i: number): boolean => {
      if (!rgba || !box) return false;
      const x = (i % this.width) - box.x;
      const y = Math.floor(i / this.width) - box.y;
      return x >= 0 && y >= 0 && x < box.width && y < box.height && rgba[(y * box.width + x) * 4 + 3] !== 0;
    };
    if (rgba && box) {
      for (let row = 0; row < box.height; row++) {
        for (let col = 0; col < box.width; col++) {
          if (rgba[(row * box.width + col) * 4 + 3] === 0) continue;
          const i = (box.y + row) * this.width + box.x + col;
          if (this.state[i] === CLEAR && screenWords && screenBox) {
            this.beneath[i] =
              screenWords[(box.y + row - screenBox.y) * screenBox.width + box.x + col - screenBox.x]!;
          }
          this.state[i] = COVERED;
        }
      }
    }
    const gone: number[] = [];
    if (previous) {
      for (let y = previous.y; y < previous.y + previous.height; y++) {
        for (let i = y * this.width + previous.x, end = i + previous.width; i < end; i++) {
          if (this.state[i] === COVERED && !inked(i)) {
            this.state[i] = RETIRING;
            gone.push(i);
          }
        }
      }
    }
    this.extent = unionBox(this.extent, box);
    return Int32Array.from(gone);
  }

  /** The X server has uncovered `pixels` (a round trip came back after the request that did it). */
  retired(pixels: Int32Array, settledAt: number): void {
    if (pixels.length > 0) this.retirements.push({ pixels, settledAt });
  }

  /** The composed overlay pixels for `box`: ink blended over what lies beneath, as 32-bit ZPixmap words. */
  compose(rgba: Uint8ClampedArray, box: Box, msbFirst: boolean): Buffer {
    const out = Buffer.alloc(box.width * box.height * 4);
    for (let row = 0; row < box.height; row++) {
      for (let col = 0; col < box.width; col++) {
        const s = (row * box.width + col) * 4;
        const alpha = rgba[s + 3]!;
        if (alpha === 0) continue;
        const under = this.beneath[(box.y + row) * this.width + box.x + col]!; // RGBA little-endian: 0xAABBGGRR
        const mix = (ink: number, shift: number) =>
          Math.round((ink * alpha + ((under >>> shift) & 0xff) * (255 - alpha)) / 255);
        const [r, g, b] = [mix(rgba[s]!, 0), mix(rgba[s + 1]!, 8), mix(rgba[s + 2]!, 16)];
        if (msbFirst) out.set([0, r, g, b], s);
        else out.set([b, g, r, 0], s);
      }
    }
    return out;
  }

  /**
   * Puts back what lies beneath the overlay into a grab of the whole screen that started at `grabStartedAt`, and
   * forgets retirements that this grab proves over (it started after the X server had uncovered them).
   */
  restoreBeneath(image: RgbaImage, grabStartedAt: number): void {
    if (image.width !== this.width || image.height !== this.height || !this.extent) return;
    const words = new Uint32Array(image.data.buffer, image.data.byteOffset, this.width * this.height);
    const e = this.extent;
    for (let y = e.y; y < e.y + e.height; y++) {
      for (let i = y * this.width + e.x, end = i + e.width; i < end; i++) {
        if (this.state[i] !== CLEAR) words[i] = this.beneath[i]!;
      }
    }
    const over = this.retirements.filter((r) => r.settledAt <= grabStartedAt);
    if (over.length === 0) return;
    this.retirements = this.retirements.filter((r) => r.settledAt > grabStartedAt);
    for (const r of over) for (const i of r.pixels) if (this.state[i] === RETIRING) this.state[i] = CLEAR;
  }

  /** Whether a pixel is covered now (for tests and for the shape). */
  covers(x: number, y: number): boolean {
    return this.state[y * this.width + x] === COVERED;
  }
}
