// R-D3, R-V1, R-V4 in a real browser: frames encoded by the host's encoder are decoded in the viewer's worker and
// drawn on the canvas bit-exact; a delta out of sequence asks for a key frame; a pen stroke becomes an annotation diff.
import * as Result from "effect/Result";
import type { Browser, Page } from "playwright-core";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { WebSocket } from "ws";
import { FrameEncoder } from "../../host/encoders/index.ts";
import { createImage, type RgbaImage } from "../../protocol/frame/index.ts";
import { differingPixels } from "../../testing/canvasPixels.ts";
import { hasChromium, launchChromium } from "../../testing/chromium.ts";
import { type Harness, nextMessage, serveHarness } from "./harness/serve.ts";

const W = 200;
const H = 150;

function scene(shift: number): RgbaImage {
  const img = createImage(W, H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const o = (y * W + x) * 4;
      const sy = y + shift;
      const quadrant = (x < W / 2 ? 0 : 1) + (sy % 100 < 50 ? 0 : 2);
      const base = [
        [220, 40, 40],
        [40, 200, 60],
        [30, 60, 230],
        [240, 220, 30],
      ][quadrant]!;
      // a little texture so that tiles are not all solid
      img.data[o] = (base[0]! + ((x * 7 + sy * 3) % 16)) & 255;
      img.data[o + 1] = base[1]!;
      img.data[o + 2] = (base[2]! + (sy % 8)) & 255;
      img.data[o + 3] = 255;
    }
  }
  return img;
}

describe.skipIf(!hasChromium)("screen view in Chromium", () => {
  let browser: Browser;
  let harness: Harness;
  let page: Page;
  let socket: WebSocket;

  beforeAll(async () => {
    harness = await serveHarness();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 400, height: 300 }, deviceScaleFactor: 1 });
    await page.goto(harness.url);
    socket = await harness.page;
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await harness?.close();
  });

  test("R-D3: a key frame then a scrolled delta frame are drawn bit-exact on the canvas, and acknowledged", async () => {
    const encoder = new FrameEncoder();
    const first = encoder.encode(scene(0));
    if (Result.isFailure(first)) throw new Error(first.failure.message);
    expect(first.success.key).toBe(true);
    let ack = nextMessage<{ seq: number }>(socket, "ack");
    socket.send(first.success.bytes);
    expect((await ack).seq).toBe(first.success.seq);
    await page.waitForFunction(
      () => document.querySelector(".tandem-screen")?.getAttribute("data-frame") !== null,
    );
    // The worker decodes with the WebAssembly kernels, not the TS fallback (R-D3: decode + paint under 4 ms).
    expect(await page.locator(".tandem-screen").getAttribute("data-decoders")).toBe("wasm");
    await expect
      .poll(async () => differingPixels(page.locator("canvas.tandem-screen-canvas"), scene(0)), {
        timeout: 5_000,
      })
      .toBe(0);

    const second = encoder.encode(scene(20));
    if (Result.isFailure(second)) throw new Error(second.failure.message);
    expect(second.success.key).toBe(false);
    ack = nextMessage<{ seq: number }>(socket, "ack");
    socket.send(second.success.bytes);
    expect((await ack).seq).toBe(second.success.seq);
    await expect
      .poll(async () => differingPixels(page.locator("canvas.tandem-screen-canvas"), scene(20)), {
        timeout: 5_000,
      })
      .toBe(0);
  });

  test("R-D3: a delta frame out of sequence is refused and the viewer asks for a key frame", async () => {
    const other = new FrameEncoder();
    for (const shift of [0, 3, 5]) other.encode(scene(shift));
    // The viewer holds frame 2 and expects 3; this delta is frame 4.
    const stray = other.encode(scene(7));
    if (Result.isFailure(stray)) throw new Error(stray.failure.message);
    const needKey = nextMessage<{ reason: string }>(socket, "needKey");
    socket.send(stray.success.bytes);
    expect((await needKey).reason).toMatch(/sequence|expected/i);
  });

  test("R-V4: with the pen, a drag over the screen becomes a committed annotation in screen pixels", async () => {
    socket.send(JSON.stringify({ type: "tool", tool: "pen" }));
    await page.waitForFunction(
      () => document.querySelector(".tandem-screen")?.getAttribute("data-tool") === "pen",
    );
    const diff = nextMessage<{ diff: { added: Array<{ kind: string; points: number[]; colour: string }> } }>(
      socket,
      "annotations",
    );
    const box = (await page.locator("canvas.tandem-screen-overlay").boundingBox())!;
    await page.mouse.move(box.x + 20, box.y + 30);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + 20 + i * 8, box.y + 30 + i * 3);
    await page.mouse.up();
    const added = (await diff).diff.added[0]!;
    expect(added).toMatchObject({ kind: "pen", colour: "#1e5bff" });
    expect(added.points.slice(0, 2)).toEqual([20, 30]);
    expect(added.points.slice(-2)).toEqual([100, 60]);
  });

  test("R-V4: the sharing side's laser shows as a red dot where it points, then goes", async () => {
    socket.send(JSON.stringify({ type: "tool", tool: "mouse" }));
    const redAt = (png: PNG, x: number, y: number) => {
      const o = (y * png.width + x) * 4;
      return png.data[o]! > 200 && png.data[o + 1]! < 80 && png.data[o + 2]! < 80;
    };
    const overlay = page.locator("canvas.tandem-screen-overlay");
    const before = PNG.sync.read(await overlay.screenshot({ omitBackground: true }));
    expect(redAt(before, 150, 40)).toBe(false);
    socket.send(JSON.stringify({ type: "laser", x: 150, y: 40 }));
    await page.waitForFunction(
      () => document.querySelector(".tandem-screen")?.getAttribute("data-laser") === "150,40",
    );
    const shown = PNG.sync.read(await overlay.screenshot({ omitBackground: true }));
    expect(redAt(shown, 150, 40)).toBe(true);
    expect(redAt(shown, 180, 40)).toBe(false);
    await page.waitForFunction(
      () => !document.querySelector(".tandem-screen")?.hasAttribute("data-laser"),
      null,
      {
        timeout: 5000,
      },
    );
    const gone = PNG.sync.read(await overlay.screenshot({ omitBackground: true }));
    expect(redAt(gone, 150, 40)).toBe(false);
  });
});
