// For how many frames a choice made at a tile (its encoding, that it is too colourful for a palette) is reused before
// it is made again. Tiles that changed together — a photo, a video — would all be looked at again in the same frame,
// and that frame would cost about half as much again as the others (a 1280×720 photo redraw: 21–28 ms against 12–20):
// the first choice at a tile is kept for fewer frames, by the tile's place, so that the looks spread over `frames`
// frames and stay spread.

export class KeptChoices {
  /** Per tile index: frames left in which the choice made there may be reused. */
  private left = new Uint8Array(0);
  /** Per tile index: 1 once a choice was made there. */
  private made = new Uint8Array(0);

  /** `frames`: how many frames a choice is reused before it is made again (at most 255). */
  constructor(private readonly frames: number) {}

  /** A choice was just made at `index`: reused for `frames` frames, or 1 to `frames` by its place if it is the first. */
  choseAt(index: number): void {
    if (index >= this.left.length) this.grow(index);
    this.left[index] = this.made[index] === 1 ? this.frames : 1 + (index % this.frames);
    this.made[index] = 1;
  }

  /** Whether the choice at `index` may still be reused. */
  canReuse(index: number): boolean {
    return index < this.left.length && this.left[index]! > 0;
  }

  /** The choice at `index` was reused in this frame. */
  reused(index: number): void {
    if (this.canReuse(index)) this.left[index]!--;
  }

  private grow(index: number): void {
    const length = Math.max(index + 1, this.left.length * 2);
    const left = new Uint8Array(length);
    const made = new Uint8Array(length);
    left.set(this.left);
    made.set(this.made);
    this.left = left;
    this.made = made;
  }
}
