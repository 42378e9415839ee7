// Scene "window-drag": a window is dragged around the desktop over another, uncovering what lies beneath.
import type { RgbaImage } from "../../protocol/frame/index.ts";
import { createPrng } from "../capture/prng.ts";
import { bodyArea, drawBackdrop, drawWindow, TASKBAR_PX } from "./desktop.ts";
import { SANS_FONT } from "./fonts.ts";
import { blit, rasterize } from "./raster.ts";
import type { SceneOptions, SceneScript } from "./sceneScript.ts";
import { sentence } from "./words.ts";

/** Pixels the dragged window moves per frame along x and y (it bounces off the screen edges). */
export const DRAG_STEP_PX = { x: 14, y: 9 } as const;

/** A window sprite with lines of text in its body. */
const textWindow = (w: number, h: number, title: string, seed: number): RgbaImage => {
  const base = drawWindow(w, h, { title, body: "#fbfbfb" });
  const body = bodyArea(w, h);
  const prng = createPrng(seed);
  const text = rasterize(body.width, body.height, (ctx) => {
    ctx.fillStyle = "#fbfbfb";
    ctx.fillRect(0, 0, body.width, body.height);
    ctx.fillStyle = "#333";
    ctx.font = `14px ${SANS_FONT}`;
    for (let y = 24; y < body.height - 8; y += 22) ctx.fillText(sentence(prng, 8 + prng.int(6)), 16, y);
  });
  blit(text, base, body.x, body.y);
  return base;
};

/** Position along a path that bounces between 0 and `span`. */
const bounce = (distance: number, span: number): number => {
  const period = 2 * span;
  const d = ((distance % period) + period) % period;
  return d <= span ? d : period - d;
};

export const windowDrag = (options: SceneOptions): SceneScript => {
  const { width, height, seed } = options;
  const backdrop = drawBackdrop(width, height, seed);
  const still = {
    x: Math.round(width * 0.05),
    y: Math.round(height * 0.08),
    sprite: textWindow(900, 640, "Notes", seed),
  };
  blit(still.sprite, backdrop, still.x, still.y);
  const dragged = textWindow(640, 420, "Printer settings", seed + 1);
  const spanX = width - dragged.width;
  const spanY = height - TASKBAR_PX - dragged.height;
  return {
    name: "window-drag",
    width,
    height,
    render(n: number, out: RgbaImage) {
      out.data.set(backdrop.data);
      const x = Math.round(bounce(200 + n * DRAG_STEP_PX.x, spanX));
      const y = Math.round(bounce(120 + n * DRAG_STEP_PX.y, spanY));
      blit(dragged, out, x, y);
    },
  };
};
