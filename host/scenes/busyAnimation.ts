// Scene "busy-animation": a video-like region inside a player window changes every pixel on every frame.
import type { RgbaImage } from "../../protocol/frame/index.ts";
import { bodyArea, drawBackdrop, drawWindow } from "./desktop.ts";
import { blit, fill, rgbaWord } from "./raster.ts";
import type { SceneOptions, SceneScript } from "./sceneScript.ts";

/** Size of the animated picture, like a small video: 640×360. */
export const ANIMATION_SIZE_PX = { width: 640, height: 360 } as const;

/** 256-entry sine table in 0..255, so the plasma uses integer arithmetic only (same bits everywhere). */
const SINE = Uint8Array.from({ length: 256 }, (_, i) =>
  Math.round(127.5 + 127.5 * Math.sin((i / 256) * 2 * Math.PI)),
);

/** A plasma: every pixel depends on its position, the frame and the seed. */
const plasma = (out: RgbaImage, left: number, top: number, n: number, seed: number): void => {
  const words = new Uint32Array(out.data.buffer, out.data.byteOffset, out.width * out.height);
  const { width, height } = ANIMATION_SIZE_PX;
  const phase = (seed * 37 + n * 5) & 0xff;
  for (let y = 0; y < height; y++) {
    const sy = SINE[(y + phase) & 0xff]!;
    const row = (top + y) * out.width + left;
    for (let x = 0; x < width; x++) {
      const v = (SINE[(x * 2 + phase) & 0xff]! + sy + SINE[(((x + y) >> 1) + n * 3) & 0xff]!) & 0xff;
      words[row + x] =
        (0xff000000 | (SINE[(v + 170) & 0xff]! << 16) | (SINE[(v + 85) & 0xff]! << 8) | SINE[v]!) >>> 0;
    }
  }
};

export const busyAnimation = (options: SceneOptions): SceneScript => {
  const { width, height, seed } = options;
  const { width: aw, height: ah } = ANIMATION_SIZE_PX;
  const win = {
    x: Math.round(width * 0.3),
    y: Math.round(height * 0.2),
    width: aw + 2,
    height: ah + 31 + 2 + 24,
  };
  const body = bodyArea(win.width, win.height);
  const backdrop = drawBackdrop(width, height, seed);
  blit(drawWindow(win.width, win.height, { title: "Video player", body: "#111111" }), backdrop, win.x, win.y);
  const bar = { x: win.x + body.x + 8, y: win.y + body.y + ah + 10, width: aw - 16, height: 4 };
  const played = rgbaWord("#e53935");
  return {
    name: "busy-animation",
    width,
    height,
    render(n: number, out: RgbaImage) {
      out.data.set(backdrop.data);
      plasma(out, win.x + body.x, win.y + body.y, n, seed);
      fill(out, { ...bar, width: Math.round(bar.width * (((n % 900) + 1) / 900)) }, played);
    },
  };
};
