// Scene "idle-cursor": nothing moves but a text caret blinking in an editor, on for half a second and off for half.
import type { RgbaImage } from "../../protocol/frame/index.ts";
import { createPrng } from "../capture/prng.ts";
import { bodyArea, drawBackdrop, drawWindow } from "./desktop.ts";
import { SANS_FONT } from "./fonts.ts";
import { blit, fill, rasterize, rgbaWord } from "./raster.ts";
import type { SceneOptions, SceneScript } from "./sceneScript.ts";
import { sentence } from "./words.ts";

/** Frames the caret stays on, then off: 15 is the usual 500 ms at 30 frames per second. */
export const CARET_BLINK_FRAMES = 15;

export const idleCursor = (options: SceneOptions): SceneScript => {
  const { width, height, seed } = options;
  const win = { x: Math.round(width * 0.2), y: Math.round(height * 0.12), width: 1000, height: 600 };
  const body = bodyArea(win.width, win.height);
  const backdrop = drawBackdrop(width, height, seed);
  blit(
    drawWindow(win.width, win.height, { title: "Untitled — Text editor", body: "#ffffff" }),
    backdrop,
    win.x,
    win.y,
  );
  const prng = createPrng(seed);
  const text = rasterize(body.width, body.height, (ctx) => {
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, body.width, body.height);
    ctx.fillStyle = "#222";
    ctx.font = `15px ${SANS_FONT}`;
    for (let y = 28; y < 300; y += 24) ctx.fillText(sentence(prng, 9 + prng.int(5)), 20, y);
  });
  blit(text, backdrop, win.x + body.x, win.y + body.y);
  // The caret sits inside one 64×64 tile so that a blink changes exactly one tile.
  const caret = {
    x: Math.floor((win.x + body.x + 340) / 64) * 64 + 20,
    y: Math.floor((win.y + body.y + 310) / 64) * 64 + 20,
  };
  const ink = rgbaWord("#000000");
  return {
    name: "idle-cursor",
    width,
    height,
    render(n: number, out: RgbaImage) {
      out.data.set(backdrop.data);
      if (Math.floor(n / CARET_BLINK_FRAMES) % 2 === 0) fill(out, { ...caret, width: 2, height: 18 }, ink);
    },
  };
};
