// A synthetic desktop (wallpaper plus windows) that can type, scroll and be dragged: the test and bench source.
import { createImage, type RgbaImage } from "../../protocol/frame/index.ts";
import { drawTextLine, fillRect, fillText, GLYPH_HEIGHT, rgb } from "./paint.ts";
import type { Prng } from "./prng.ts";

export interface SceneWindow {
  x: number;
  y: number;
  readonly content: RgbaImage;
}

export interface Scene {
  readonly wallpaper: RgbaImage;
  readonly windows: SceneWindow[];
}

/** Title bar height of synthetic windows; the body below it scrolls. */
export const TITLE_BAR_PX = 24;

/** A window with a title bar and a text body. */
export const createTextWindow = (
  width: number,
  height: number,
  font: Uint8Array[],
  prng: Prng,
): RgbaImage => {
  const content = createImage(width, height);
  fillRect(content, { x: 0, y: 0, width, height: TITLE_BAR_PX }, rgb(40, 90, 160));
  drawTextLine(content, { x: 0, y: 0, width, height: TITLE_BAR_PX }, 8, 5, font, prng, rgb(255, 255, 255));
  fillText(content, { x: 0, y: TITLE_BAR_PX, width, height: height - TITLE_BAR_PX }, font, prng);
  return content;
};

/** Draws the wallpaper and then every window in order (later windows on top), clipped to the screen. */
export const renderScene = (scene: Scene, out: RgbaImage): void => {
  out.data.set(scene.wallpaper.data);
  for (const win of scene.windows) blit(win.content, out, win.x, win.y);
};

const blit = (src: RgbaImage, dst: RgbaImage, dx: number, dy: number): void => {
  const x0 = Math.max(0, dx);
  const x1 = Math.min(dst.width, dx + src.width);
  if (x1 <= x0) return;
  for (let y = Math.max(0, dy); y < Math.min(dst.height, dy + src.height); y++) {
    const from = ((y - dy) * src.width + (x0 - dx)) * 4;
    dst.data.set(src.data.subarray(from, from + (x1 - x0) * 4), (y * dst.width + x0) * 4);
  }
};

/** Scrolls a window's body up by `dy` pixels (down when negative) and writes new text where it opened. */
export const scrollWindow = (win: SceneWindow, dy: number, font: Uint8Array[], prng: Prng): void => {
  const { content } = win;
  const rowBytes = content.width * 4;
  const top = TITLE_BAR_PX;
  const bodyRows = content.height - top;
  const step = Math.min(Math.abs(dy), bodyRows);
  if (step === 0) return;
  const data = content.data;
  if (dy > 0) data.copyWithin(top * rowBytes, (top + step) * rowBytes, content.height * rowBytes);
  else data.copyWithin((top + step) * rowBytes, top * rowBytes, (content.height - step) * rowBytes);
  const bandY = dy > 0 ? content.height - step : top;
  const band = { x: 0, y: bandY, width: content.width, height: step };
  fillRect(content, band, rgb(250, 250, 250));
  for (let y = bandY - GLYPH_HEIGHT; y < bandY + step; y += GLYPH_HEIGHT + 2) {
    drawTextLine(content, band, 4, y, font, prng, rgb(20, 20, 30));
  }
};

/** Types a few characters: one short text change inside a window body. */
export const typeInWindow = (win: SceneWindow, font: Uint8Array[], prng: Prng, chars = 6): void => {
  const { content } = win;
  if (content.height <= TITLE_BAR_PX + GLYPH_HEIGHT || content.width < 16) return;
  const y = TITLE_BAR_PX + prng.int(content.height - TITLE_BAR_PX - GLYPH_HEIGHT);
  const x = prng.int(Math.max(1, content.width - 8 * chars));
  const box = { x, y, width: 7 * chars, height: GLYPH_HEIGHT };
  fillRect(content, box, rgb(250, 250, 250));
  drawTextLine(content, box, x, y, font, prng, rgb(prng.int(80), prng.int(80), prng.int(200)));
};
