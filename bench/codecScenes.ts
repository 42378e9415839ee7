// Fixed synthetic 1920×1080 frame sequences for the codec benchmark, named by size and kind.
import {
  createFont,
  createPrng,
  createTextWindow,
  drawTextLine,
  fillGradient,
  fillNoise,
  fillRect,
  renderScene,
  rgb,
  type Scene,
  scrollWindow,
} from "../host/capture/index.ts";
import { cloneImage, createImage, type RgbaImage } from "../protocol/frame/index.ts";

export const WIDTH = 1920;
export const HEIGHT = 1080;

export interface BenchCase {
  readonly name: string;
  /** The first frame (sent as the key frame, not measured) followed by the measured frames. */
  readonly frames: (count: number) => RgbaImage[];
}

/** A desktop: gradient wallpaper, a large browser-like text window and a smaller one on top. */
const desktop = (seed: number) => {
  const prng = createPrng(seed);
  const font = createFont(prng);
  const wallpaper = createImage(WIDTH, HEIGHT);
  fillGradient(wallpaper, { x: 0, y: 0, width: WIDTH, height: HEIGHT }, 17);
  fillRect(wallpaper, { x: 0, y: HEIGHT - 40, width: WIDTH, height: 40 }, rgb(30, 30, 36));
  const browser = { x: 150, y: 30, content: createTextWindow(1500, 980, font, prng) };
  const dialog = { x: 1000, y: 420, content: createTextWindow(720, 480, font, prng) };
  const scene: Scene = { wallpaper, windows: [browser, dialog] };
  return { prng, font, scene, browser, dialog };
};

const sequence = (count: number, step: (i: number) => void, draw: (out: RgbaImage) => void): RgbaImage[] => {
  const out: RgbaImage[] = [];
  for (let i = 0; i <= count; i++) {
    if (i > 0) step(i);
    const frame = createImage(WIDTH, HEIGHT);
    draw(frame);
    out.push(frame);
  }
  return out;
};

/** Redraws a short run of text inside `tiles` random 64×64 tiles per frame (cursor, clock, typing). */
const dirtyTiles = (share: number): BenchCase => ({
  name: `1920×1080, ${Math.round(share * 100)}% tiles dirty`,
  frames: (count) => {
    const { prng, font, scene } = desktop(1);
    const first = createImage(WIDTH, HEIGHT);
    renderScene(scene, first);
    const tiles = Math.round(30 * 17 * share);
    const out = [first];
    for (let i = 0; i < count; i++) {
      const next = cloneImage(out[out.length - 1]!);
      for (let k = 0; k < tiles; k++) {
        const box = { x: prng.int(30) * 64 + 8, y: prng.int(16) * 64 + 20, width: 48, height: 16 };
        fillRect(next, box, rgb(250, 250, 250));
        drawTextLine(next, box, box.x, box.y + 1, font, prng, rgb(20, 20, 30));
      }
      out.push(next);
    }
    return out;
  },
});

export const benchCases: readonly BenchCase[] = [
  {
    name: "1920×1080 key frame (desktop)",
    frames: (count) => {
      const { scene } = desktop(1);
      return sequence(
        count,
        () => undefined,
        (out) => renderScene(scene, out),
      );
    },
  },
  dirtyTiles(0.03),
  {
    name: "1920×1080 scroll by 40px",
    frames: (count) => {
      const { prng, font, scene, browser } = desktop(2);
      scene.windows.pop();
      return sequence(
        count,
        () => scrollWindow(browser, 40, font, prng),
        (out) => renderScene(scene, out),
      );
    },
  },
  {
    name: "1920×1080 window drag",
    frames: (count) => {
      const { scene, dialog } = desktop(3);
      dialog.x = 200;
      dialog.y = 150;
      const step = () => {
        dialog.x += 23;
        dialog.y += 9;
      };
      return sequence(count, step, (out) => renderScene(scene, out));
    },
  },
  {
    name: "1920×1080 full change noise",
    frames: (count) => {
      const prng = createPrng(4);
      return sequence(
        count,
        () => undefined,
        (out) => fillNoise(out, { x: 0, y: 0, width: WIDTH, height: HEIGHT }, prng),
      );
    },
  },
  {
    name: "idle",
    frames: (count) => {
      const { scene } = desktop(5);
      const first = createImage(WIDTH, HEIGHT);
      renderScene(scene, first);
      return Array.from({ length: count + 1 }, () => first);
    },
  },
];
