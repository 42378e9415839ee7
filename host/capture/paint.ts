// Drawing primitives for synthetic screens: solid rectangles, gradients, text-like glyph rows and noise.
import type { RgbaImage } from "../../protocol/frame/index.ts";
import type { Prng } from "./prng.ts";

/** An opaque colour as a little-endian RGBA word (0xAABBGGRR). */
export const rgb = (r: number, g: number, b: number): number => (0xff000000 | (b << 16) | (g << 8) | r) >>> 0;

const words = (image: RgbaImage): Uint32Array =>
  new Uint32Array(image.data.buffer, image.data.byteOffset, image.width * image.height);

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const clip = (image: RgbaImage, box: Box): Box => {
  const x = Math.max(0, box.x);
  const y = Math.max(0, box.y);
  return {
    x,
    y,
    width: Math.max(0, Math.min(image.width, box.x + box.width) - x),
    height: Math.max(0, Math.min(image.height, box.y + box.height) - y),
  };
};

export const fillRect = (image: RgbaImage, box: Box, colour: number): void => {
  const c = clip(image, box);
  const px = words(image);
  for (let y = c.y; y < c.y + c.height; y++) {
    px.fill(colour, y * image.width + c.x, y * image.width + c.x + c.width);
  }
};

/** A smooth two-axis gradient, like a wallpaper. */
export const fillGradient = (image: RgbaImage, box: Box, seed: number): void => {
  const c = clip(image, box);
  const px = words(image);
  for (let y = c.y; y < c.y + c.height; y++) {
    for (let x = c.x; x < c.x + c.width; x++) {
      const r = (x * 255) / Math.max(1, image.width) + seed;
      const g = (y * 255) / Math.max(1, image.height);
      px[y * image.width + x] = rgb(r & 0xff, g & 0xff, ((x + y) >> 3) & 0xff);
    }
  }
};

/** Uniform random pixels: the worst case for every lossless encoding. */
export const fillNoise = (image: RgbaImage, box: Box, prng: Prng): void => {
  const c = clip(image, box);
  const px = words(image);
  for (let y = c.y; y < c.y + c.height; y++) {
    for (let x = c.x; x < c.x + c.width; x++) px[y * image.width + x] = (prng.u32() | 0xff000000) >>> 0;
  }
};

export const GLYPH_WIDTH = 7;
export const GLYPH_HEIGHT = 14;

/** A font of random glyph bitmaps, so that text repeats the way real text does. */
export const createFont = (prng: Prng, glyphs = 48): Uint8Array[] =>
  Array.from({ length: glyphs }, () => {
    const g = new Uint8Array(GLYPH_WIDTH * GLYPH_HEIGHT);
    for (let i = 0; i < g.length; i++) {
      const row = Math.floor(i / GLYPH_WIDTH);
      g[i] = row > 2 && row < 12 && i % GLYPH_WIDTH < 6 && prng.next() < 0.35 ? 1 : 0;
    }
    return g;
  });

/** Writes one line of random words at (x, y), clipped to `box`. */
export const drawTextLine = (
  image: RgbaImage,
  box: Box,
  x: number,
  y: number,
  font: Uint8Array[],
  prng: Prng,
  ink: number,
): void => {
  const c = clip(image, box);
  const px = words(image);
  for (let gx = x; gx + GLYPH_WIDTH <= c.x + c.width; gx += GLYPH_WIDTH) {
    if (prng.next() < 0.15) continue; // a space
    const glyph = font[prng.int(font.length)]!;
    for (let i = 0; i < glyph.length; i++) {
      const py = y + Math.floor(i / GLYPH_WIDTH);
      const pxx = gx + (i % GLYPH_WIDTH);
      if (glyph[i] && py >= c.y && py < c.y + c.height && pxx >= c.x) px[py * image.width + pxx] = ink;
    }
  }
};

/** Fills `box` with paper and lines of text. */
export const fillText = (image: RgbaImage, box: Box, font: Uint8Array[], prng: Prng): void => {
  fillRect(image, box, rgb(250, 250, 250));
  for (let y = box.y + 2; y + GLYPH_HEIGHT <= box.y + box.height; y += GLYPH_HEIGHT + 2) {
    drawTextLine(image, box, box.x + 4, y, font, prng, rgb(20, 20, 30));
  }
};
