// Rasterised lines of text, cached by content, so a scene redraws a screenful of text as a few dozen row copies.
import type { RgbaImage } from "../../protocol/frame/index.ts";
import { rasterize } from "./raster.ts";

export interface LineStyle {
  readonly width: number;
  readonly height: number;
  /** A canvas font string, e.g. `14px TandemSceneMono`. */
  readonly font: string;
  readonly ink: string;
  readonly paper: string;
  /** Distance from the top of the strip to the text baseline. */
  readonly baseline: number;
  readonly indent: number;
}

/** One styled run of a line; runs are drawn left to right. */
export interface Run {
  readonly text: string;
  readonly ink?: string;
  readonly font?: string;
}

/** Keeps at most `capacity` strips; a screenful of lines is far below it, so steady scenes never re-rasterise. */
export class LineCache {
  private readonly strips = new Map<string, RgbaImage>();

  constructor(
    private readonly style: LineStyle,
    private readonly capacity = 512,
  ) {}

  get(runs: readonly Run[]): RgbaImage {
    const key = JSON.stringify(runs);
    const hit = this.strips.get(key);
    if (hit !== undefined) {
      // refresh its place in the insertion order, which is the eviction order
      this.strips.delete(key);
      this.strips.set(key, hit);
      return hit;
    }
    const strip = this.draw(runs);
    if (this.strips.size >= this.capacity) this.strips.delete(this.strips.keys().next().value!);
    this.strips.set(key, strip);
    return strip;
  }

  private draw(runs: readonly Run[]): RgbaImage {
    const s = this.style;
    return rasterize(s.width, s.height, (ctx) => {
      ctx.fillStyle = s.paper;
      ctx.fillRect(0, 0, s.width, s.height);
      let x = s.indent;
      for (const run of runs) {
        ctx.font = run.font ?? s.font;
        ctx.fillStyle = run.ink ?? s.ink;
        ctx.fillText(run.text, x, s.baseline);
        x += ctx.measureText(run.text).width;
      }
    });
  }
}
