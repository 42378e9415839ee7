// Canvas drawing turned into RGBA sprites once, and the fast copies that compose them into frames every frame.
import { createCanvas, type SKRSContext2D } from "@napi-rs/canvas";
import type { RgbaImage } from "../../protocol/frame/index.ts";
import { registerSceneFonts } from "./fonts.ts";

/**
 * Draws with canvas and reads the result back as an opaque RGBA image. Reading a canvas back is slow (tens of
 * ms for a whole 1080p screen), so scenes rasterise sprites — windows, text lines, the wallpaper — once and
 * compose frames from them with `blit`.
 */
export const rasterize = (width: number, height: number, draw: (ctx: SKRSContext2D) => void): RgbaImage => {
  registerSceneFonts();
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#000";
  ctx.fillRect(0, 0, width, height);
  draw(ctx);
  const pixels = ctx.getImageData(0, 0, width, height).data;
  const data = new Uint8Array(pixels.buffer, pixels.byteOffset, width * height * 4);
  return { width, height, data };
};

export interface Area {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * Copies `src` (or its `from` area) to (dx, dy) of `dst`, clipped to `dst` and to `clip` when given: one
 * native row copy per row.
 */
export const blit = (
  src: RgbaImage,
  dst: RgbaImage,
  dx: number,
  dy: number,
  from: Area = { x: 0, y: 0, width: src.width, height: src.height },
  clip: Area = { x: 0, y: 0, width: dst.width, height: dst.height },
): void => {
  const x0 = Math.max(dx, clip.x, 0);
  const y0 = Math.max(dy, clip.y, 0);
  const x1 = Math.min(dx + from.width, clip.x + clip.width, dst.width);
  const y1 = Math.min(dy + from.height, clip.y + clip.height, dst.height);
  if (x1 <= x0 || y1 <= y0) return;
  const rowBytes = (x1 - x0) * 4;
  for (let y = y0; y < y1; y++) {
    const s = ((from.y + y - dy) * src.width + from.x + (x0 - dx)) * 4;
    dst.data.set(src.data.subarray(s, s + rowBytes), (y * dst.width + x0) * 4);
  }
};

/** Fills an area of `dst` with one colour given as a little-endian RGBA word (0xAABBGGRR). */
export const fill = (dst: RgbaImage, area: Area, rgba: number): void => {
  const words = new Uint32Array(dst.data.buffer, dst.data.byteOffset, dst.width * dst.height);
  const x0 = Math.max(0, area.x);
  const x1 = Math.min(dst.width, area.x + area.width);
  for (let y = Math.max(0, area.y); y < Math.min(dst.height, area.y + area.height); y++) {
    if (x1 > x0) words.fill(rgba, y * dst.width + x0, y * dst.width + x1);
  }
};

/** A CSS hex colour ("#rrggbb") as the little-endian RGBA word `fill` takes. */
export const rgbaWord = (hex: string): number => {
  const v = Number.parseInt(hex.slice(1), 16);
  return (0xff000000 | ((v & 0xff) << 16) | (v & 0xff00) | ((v >>> 16) & 0xff)) >>> 0;
};

const measuring = { ctx: undefined as SKRSContext2D | undefined };

/** The advance width of `text` in a canvas font, in pixels. */
export const textWidth = (font: string, text: string): number => {
  registerSceneFonts();
  measuring.ctx ??= createCanvas(1, 1).getContext("2d");
  measuring.ctx.font = font;
  return measuring.ctx.measureText(text).width;
};
