// Hashes of every tile-wide row segment (one per pixel row per tile column), kept for the previous frame.
import { blockRect, type TileGrid } from "../../protocol/frame/index.ts";

/** Marks a segment of one colour: it matches everywhere, so it never votes for a scroll. */
export const UNIFORM = 0;

/**
 * FNV-1a over RGB words in two interleaved lanes (even and odd pixels: each multiply waits only for its own lane's,
 * which halves the time of this hottest loop of a full-screen change), with a final mix; UNIFORM when all pixels are
 * the same colour. Matches are verified.
 */
const hashSegment = (px: Uint32Array, from: number, length: number): number => {
  const first = px[from]! & 0xffffff;
  const end = from + length;
  let differs = 0;
  let even = 0x811c9dc5 | 0;
  let odd = 0x050c5d1f | 0;
  let i = from;
  for (; i + 1 < end; i += 2) {
    const p = px[i]! & 0xffffff;
    const q = px[i + 1]! & 0xffffff;
    differs |= (p ^ first) | (q ^ first);
    even = Math.imul(even ^ p, 0x01000193);
    odd = Math.imul(odd ^ q, 0x01000193);
  }
  if (i < end) {
    const p = px[i]! & 0xffffff;
    differs |= p ^ first;
    even = Math.imul(even ^ p, 0x01000193);
  }
  if (differs === 0) return UNIFORM;
  let h = Math.imul(even ^ ((odd << 13) | (odd >>> 19)), 0x01000193);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h >>> 0 || 1;
};

/** `hashes[y * cols + tx]` is the hash of pixel row y inside tile column tx. */
export class SegmentHashes {
  readonly hashes: Uint32Array;

  constructor(
    private readonly width: number,
    private readonly height: number,
    private readonly grid: TileGrid,
  ) {
    this.hashes = new Uint32Array(height * grid.cols);
  }

  /** Recomputes the segments of tile (tx, ty) from the screen `px`. */
  hashTile(px: Uint32Array, tx: number, ty: number): void {
    const r = blockRect(this.width, this.height, this.grid.tileSize, tx, ty);
    for (let y = r.y; y < r.y + r.height; y++) {
      this.hashes[y * this.grid.cols + tx] = hashSegment(px, y * this.width + r.x, r.width);
    }
  }

  /** Takes tile (tx, ty)'s segments from `other` (the frame just encoded becomes the previous one). */
  copyTile(other: SegmentHashes, tx: number, ty: number): void {
    const r = blockRect(this.width, this.height, this.grid.tileSize, tx, ty);
    const cols = this.grid.cols;
    for (let y = r.y; y < r.y + r.height; y++) this.hashes[y * cols + tx] = other.hashes[y * cols + tx]!;
  }
}
