// Which tiles a frame sent for speed takes as too colourful for a palette run without trying one. Trying scans a
// photo-like tile up to its 256th colour (~1,400 pixels; twice after a run of edge tiles), ~3.5 ms of the bench's
// 1280×720 photo redraw. A tile is skipped only while both hold: the last try, at most KEPT_FRAMES frames ago, found it
// too colourful, and a sample of its changed pixels now is nearly all distinct colours (a photo, a video — not text or
// UI, which a page switch may put where a photo was). A tile's first try is kept for fewer frames (`KeptChoices`).
import { KeptChoices } from "./keptChoices.ts";
import type { TileRows } from "./tileChooser.ts";

/** Frames after a try that found the tile too colourful in which it may be skipped, before it is tried again. */
const KEPT_FRAMES = 7;

/**
 * Pixels sampled, the centres of an 8×8 grid over the tile, and how many distinct changed colours among them count as
 * photo-like: a photo's samples differ (its glyph-like speckle repeats one colour in about an eighth of them), a page
 * of text or a UI repeats its background.
 */
const GRID = 8;
const SAMPLES = GRID * GRID;
const DISTINCT_MIN = 48;

const SLOTS = 256; // a power of two, four times the samples

export class ColourfulTiles {
  /** Per tile index: frames left in which it may be skipped. */
  private readonly kept = new KeptChoices(KEPT_FRAMES);
  private readonly keys = new Int32Array(SLOTS);
  private readonly stamps = new Uint32Array(SLOTS);
  private stamp = 0;

  /** The tile at `index` was just tried and found too colourful for a run. */
  found(index: number): void {
    this.kept.choseAt(index);
  }

  /** Whether the tile at `index` is taken as too colourful without trying a run (and one frame of that is used). */
  skipsRun(index: number, tile: TileRows): boolean {
    if (!this.kept.canReuse(index) || !this.looksPhotoLike(tile)) return false;
    this.kept.reused(index);
    return true;
  }

  /** At least DISTINCT_MIN of the sampled pixels changed, each to a colour no other sample has (small tiles: never). */
  private looksPhotoLike({ pixels, previous, width, height, from, stride }: TileRows): boolean {
    this.stamp = (this.stamp + 1) >>> 0 || this.resetStamps();
    const { keys, stamps, stamp } = this;
    let distinct = 0;
    let missed = 0;
    for (let k = 0; k < SAMPLES && missed <= SAMPLES - DISTINCT_MIN; k++) {
      const x = Math.floor((((k % GRID) * 2 + 1) * width) / (2 * GRID));
      const y = Math.floor(((Math.floor(k / GRID) * 2 + 1) * height) / (2 * GRID));
      const i = from + y * stride + x;
      const c = pixels[i]! & 0xffffff;
      if (previous !== undefined && (previous[i]! & 0xffffff) === c) {
        missed++;
        continue;
      }
      let slot = Math.imul(c, 0x9e3779b1) >>> 24;
      for (;;) {
        if (stamps[slot] !== stamp) {
          stamps[slot] = stamp;
          keys[slot] = c;
          distinct++;
          break;
        }
        if (keys[slot] === c) {
          missed++;
          break;
        }
        slot = (slot + 1) & (SLOTS - 1);
      }
    }
    return distinct >= DISTINCT_MIN;
  }

  private resetStamps(): number {
    this.stamps.fill(0);
    return 1;
  }
}
