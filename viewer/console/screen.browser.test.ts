// Issue 5 in the console: an agent answers in the real console, opens the shared screen in the chat tab, and sees the
// customer's screen drawn bit-exact on the canvas as the host streams it through the server (R-S8, R-D3, R-V1).

import type { Browser, Page } from "playwright-core";
import { PNG } from "pngjs";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { CapturedFrame, CaptureSource } from "../../host/capture/index.ts";
import { HostSession } from "../../host/cli/hostSession.ts";
import { createImage, type RgbaImage } from "../../protocol/frame/index.ts";
import { type TestServer, testServer } from "../../server/testing.ts";
import { hasChromium, launchChromium } from "../../testing/chromium.ts";
import { openSession } from "./consoleSession.testing.ts";

/** A still screen: four coloured quadrants with some texture, so tiles use several encodings. */
function stillScreen(): RgbaImage {
  const img = createImage(320, 200);
  for (let y = 0; y < 200; y++) {
    for (let x = 0; x < 320; x++) {
      const o = (y * 320 + x) * 4;
      const q = (x < 160 ? 0 : 1) + (y < 100 ? 0 : 2);
      img.data[o] = [200, 30, 60, 240][q]! + ((x * 3 + y) % 8);
      img.data[o + 1] = [40, 180, 90, 210][q]!;
      img.data[o + 2] = [50, 60, 220, 40][q]! + (y % 4);
    }
  }
  return img;
}

const still = stillScreen();
const stillSource: CaptureSource = {
  width: still.width,
  height: still.height,
  monitors: async () => [{ id: 0, name: "screen", x: 0, y: 0, width: 320, height: 200, primary: true }],
  grab: async (): Promise<CapturedFrame> => ({ image: still, seq: 0, dirty: undefined }),
  close: async () => {},
};

let t: TestServer;
let browser: Browser;
let host: HostSession | undefined;

beforeAll(async () => {
  t = await testServer({ alertDisplayMs: 120_000 });
  if (hasChromium) browser = await launchChromium();
}, 30_000);
afterAll(async () => {
  await host?.close();
  await browser?.close();
  await t?.close();
});

async function canvasMatches(page: Page): Promise<number> {
  const shot = PNG.sync.read(await page.locator("canvas.tandem-screen-canvas").screenshot());
  let bad = 0;
  for (let y = 0; y < still.height; y++) {
    for (let x = 0; x < still.width; x++) {
      const a = (y * shot.width + x) * 4;
      const b = (y * still.width + x) * 4;
      if (
        shot.data[a] !== still.data[b] ||
        shot.data[a + 1] !== still.data[b + 1] ||
        shot.data[a + 2] !== still.data[b + 2]
      )
        bad++;
    }
  }
  return bad;
}

test.skipIf(!hasChromium)(
  "R-S8, R-D3: the agent opens the shared screen in the chat tab and sees the customer's screen bit-exact",
  async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.on("pageerror", (e) => console.error("page error:", e));
    const { joined } = await openSession(page, t, "Sam Screen", "odd colours");
    await page.getByRole("button", { name: "Show the customer's screen" }).click();
    await page.getByRole("status").filter({ hasText: "Waiting for the customer" }).waitFor();

    host = new HostSession({
      screenUrl: `${t.wsUrl.replace(/\/ws$/, "/screen")}`,
      sessionId: joined.sessionId,
      key: joined.host.sessionKey,
      source: stillSource,
      consent: async ({ suggested }) => suggested,
      framesPerSecondMax: 10,
    });
    expect(await host.start()).toBe(true);
    await page.getByRole("status").filter({ hasText: "view only" }).waitFor();
    await page.getByRole("button", { name: "Actual size" }).click();
    await page.screenshot({ path: "out/screenshots/console-shared-screen.png" });
    await expect.poll(() => canvasMatches(page), { timeout: 10_000 }).toBe(0);
  },
  60_000,
);
