// R-D3 property test: random desktop sessions (scrolls, drags, solid fills, noise, resizes) round-trip bit-exact.
import * as Result from "effect/Result";
import { describe, expect, it } from "vitest";
import { createImage, type EncodingName, type RgbaImage } from "../../protocol/frame/index.ts";
import { createFont, fillGradient, fillNoise, fillRect, rgb } from "../capture/paint.ts";
import { createPrng, type Prng } from "../capture/prng.ts";
import {
  createTextWindow,
  renderScene,
  type Scene,
  scrollWindow,
  typeInWindow,
} from "../capture/syntheticScene.ts";
import { firstDifference, TestViewer } from "./codecTesting.ts";
import { FrameEncoder } from "./frameEncoder.ts";

const CASES = 300;
const FRAMES_PER_CASE = 6;

/** Screen sizes biased towards the awkward ones: tiny, exact multiples of 64, and one pixel past them. */
const edge = (prng: Prng, max: number): number => {
  const pick = prng.int(4);
  if (pick === 0) return 1 + prng.int(8);
  if (pick === 1) return 64 * (1 + prng.int(Math.max(1, Math.floor(max / 64))));
  if (pick === 2) return 64 * (1 + prng.int(Math.max(1, Math.floor(max / 64)))) + 1;
  return 1 + prng.int(max);
};

const makeScene = (prng: Prng, width: number, height: number): Scene => {
  const font = createFont(prng, 12);
  const wallpaper = createImage(width, height);
  const kind = prng.int(3);
  if (kind === 0) fillGradient(wallpaper, { x: 0, y: 0, width, height }, prng.int(255));
  else if (kind === 1)
    fillRect(wallpaper, { x: 0, y: 0, width, height }, rgb(prng.int(256), prng.int(256), prng.int(256)));
  else fillNoise(wallpaper, { x: 0, y: 0, width, height }, prng);
  const windows = Array.from({ length: 1 + prng.int(3) }, () => ({
    x: prng.int(width) - 20,
    y: prng.int(height) - 20,
    content: createTextWindow(30 + prng.int(200), 30 + prng.int(150), font, prng),
  }));
  return { wallpaper, windows };
};

/** One random thing a desktop does between frames. */
const step = (prng: Prng, scene: Scene, image: RgbaImage, font: Uint8Array[]): "resize" | undefined => {
  const win = scene.windows[prng.int(scene.windows.length)]!;
  switch (prng.int(8)) {
    case 0:
      scrollWindow(win, (prng.next() < 0.5 ? -1 : 1) * (1 + prng.int(60)), font, prng);
      break;
    case 1:
      win.x += prng.int(121) - 60;
      win.y += prng.int(81) - 40;
      break;
    case 2:
      typeInWindow(win, font, prng, 1 + prng.int(8));
      break;
    case 3:
      fillRect(
        scene.wallpaper,
        { x: prng.int(image.width), y: prng.int(image.height), width: prng.int(150), height: prng.int(150) },
        rgb(prng.int(256), 40, 90),
      );
      break;
    case 4:
      fillNoise(
        scene.wallpaper,
        { x: prng.int(image.width), y: prng.int(image.height), width: prng.int(40), height: prng.int(40) },
        prng,
      );
      break;
    case 5:
      return prng.next() < 0.3 ? "resize" : undefined;
    default:
      break; // nothing changed
  }
  return undefined;
};

describe("R-D3 random sessions", () => {
  it(`R-D3: ${CASES} seeded sessions round-trip bit-exact through the byte stream, every encoding used`, async () => {
    const used = new Map<EncodingName, number>();
    for (let c = 0; c < CASES; c++) {
      const prng = createPrng(9000 + c);
      const font = createFont(prng, 12);
      let width = edge(prng, 260);
      let height = edge(prng, 200);
      let scene = makeScene(prng, width, height);
      const encoder = new FrameEncoder(prng.next() < 0.15 ? { tileSizePx: [16, 32, 100][prng.int(3)]! } : {});
      // Half the sessions on a link measured slow (where frames go for size, and PNG is tried), half not.
      if (prng.next() < 0.5) encoder.linkBitsPerSecond = 10e6;
      const viewer = new TestViewer();
      for (let f = 0; f < FRAMES_PER_CASE; f++) {
        let image = createImage(width, height);
        if (f > 0 && step(prng, scene, image, font) === "resize") {
          width = edge(prng, 260);
          height = edge(prng, 200);
          scene = makeScene(prng, width, height);
          image = createImage(width, height);
        }
        if (f > 0 && prng.next() < 0.05) encoder.requestKeyFrame();
        renderScene(scene, image);
        const encoded = encoder.encode(image);
        if (Result.isFailure(encoded)) throw encoded.failure;
        for (const [name, n] of Object.entries(encoded.success.records))
          used.set(name as EncodingName, (used.get(name as EncodingName) ?? 0) + n);
        const chunks = prng.next() < 0.1 ? [1] : [1 + prng.int(100), 1 + prng.int(5000)];
        const error = await viewer.applyStreamed(encoded.success.bytes, chunks);
        expect(error, `case ${c} frame ${f}`).toBeUndefined();
        const diff = firstDifference(image, viewer.display);
        expect(diff, `case ${c} frame ${f} (${width}×${height}) first wrong pixel`).toBe(-1);
      }
    }
    for (const name of [
      "SOLID",
      "COPY",
      "XOR_DELTA_LZ4",
      "LZ4",
      "PNG",
      "PALETTE256",
      "PALETTE_RUN_DEFLATED_PALETTE",
    ] as const) {
      expect(used.get(name) ?? 0, `${name} never chosen`).toBeGreaterThan(0);
    }
  });
});
