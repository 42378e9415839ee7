// The desktop every scene starts from: a wallpaper with a taskbar, and window frames (title bar, border, body).
import type { SKRSContext2D } from "@napi-rs/canvas";
import type { RgbaImage } from "../../protocol/frame/index.ts";
import { createPrng } from "../capture/prng.ts";
import { SANS_BOLD_FONT, SANS_FONT } from "./fonts.ts";
import { rasterize } from "./raster.ts";

export const TASKBAR_PX = 40;
export const TITLE_BAR_PX = 30;
/** Border around a window's body. */
export const FRAME_PX = 1;

/** The wallpaper (seeded gradient with soft shapes) and a taskbar with app icons and a clock that never ticks. */
export const drawBackdrop = (width: number, height: number, seed: number): RgbaImage =>
  rasterize(width, height, (ctx) => {
    const prng = createPrng(seed ^ 0x5eed);
    const hue = prng.int(360);
    const sky = ctx.createLinearGradient(0, 0, width, height);
    sky.addColorStop(0, `hsl(${hue}, 45%, 28%)`);
    sky.addColorStop(1, `hsl(${(hue + 50) % 360}, 50%, 55%)`);
    ctx.fillStyle = sky;
    ctx.fillRect(0, 0, width, height);
    for (let i = 0; i < 6; i++) {
      ctx.fillStyle = `hsla(${(hue + prng.int(90)) % 360}, 60%, 70%, 0.12)`;
      ctx.beginPath();
      ctx.arc(prng.int(width), prng.int(height), 80 + prng.int(300), 0, Math.PI * 2);
      ctx.fill();
    }
    drawTaskbar(ctx, width, height);
  });

const drawTaskbar = (ctx: SKRSContext2D, width: number, height: number): void => {
  const top = height - TASKBAR_PX;
  ctx.fillStyle = "#1f2329";
  ctx.fillRect(0, top, width, TASKBAR_PX);
  const icons = ["#3d7fd9", "#e0a030", "#4caf50", "#c0504d", "#8e6fc9"];
  icons.forEach((colour, i) => {
    ctx.fillStyle = colour;
    ctx.beginPath();
    ctx.roundRect(12 + i * 44, top + 6, 28, 28, 6);
    ctx.fill();
  });
  ctx.fillStyle = "#e8e8e8";
  ctx.font = `14px ${SANS_FONT}`;
  ctx.fillText("14:32", width - 60, top + 25);
};

export interface WindowLook {
  readonly title: string;
  readonly body: string;
  readonly active?: boolean;
}

/** A whole window as one sprite: title bar with its buttons, a 1 px border, and an empty body. */
export const drawWindow = (width: number, height: number, look: WindowLook): RgbaImage =>
  rasterize(width, height, (ctx) => {
    ctx.fillStyle = "#5a5f66";
    ctx.fillRect(0, 0, width, height);
    ctx.fillStyle = look.active === false ? "#d8dadd" : "#e9ecef";
    ctx.fillRect(FRAME_PX, FRAME_PX, width - 2 * FRAME_PX, TITLE_BAR_PX);
    ctx.fillStyle = "#222";
    ctx.font = `13px ${SANS_BOLD_FONT}`;
    ctx.fillText(look.title, 12, 20);
    ["#ff5f57", "#febc2e", "#28c840"].forEach((colour, i) => {
      ctx.fillStyle = colour;
      ctx.beginPath();
      ctx.arc(width - 20 - i * 22, 16, 6, 0, Math.PI * 2);
      ctx.fill();
    });
    ctx.fillStyle = look.body;
    ctx.fillRect(
      FRAME_PX,
      FRAME_PX + TITLE_BAR_PX,
      width - 2 * FRAME_PX,
      height - 2 * FRAME_PX - TITLE_BAR_PX,
    );
  });

/** Where a window's body starts and how big it is, relative to the window. */
export const bodyArea = (width: number, height: number) => ({
  x: FRAME_PX,
  y: FRAME_PX + TITLE_BAR_PX,
  width: width - 2 * FRAME_PX,
  height: height - 2 * FRAME_PX - TITLE_BAR_PX,
});
