// R-V2, R-V1 and the R-V6 notice preference in the real console (headless Chromium, the real server, a real
// HostSession): a customer with two monitors of different sizes side by side, shown one at a time or all together,
// clicks still reaching the right desktop pixel; "Zoom to" a custom percentage; full screen.
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  type CapturedFrame,
  type CaptureSource,
  type Monitor,
  singleMonitor,
} from "../../host/capture/index.ts";
import { HostSession } from "../../host/cli/hostSession.ts";
import type { InputSink, RemoteInputEvent } from "../../host/input/index.ts";
import { createImage, type RgbaImage } from "../../protocol/frame/index.ts";
import { type TestServer, testServer } from "../../server/testing.ts";
import { differingPixels } from "../../testing/canvasPixels.ts";
import { hasChromium, launchChromium } from "../../testing/chromium.ts";
import { openSession } from "./consoleSession.testing.ts";

/** A 320×200 primary on the left and a 240×160 monitor to its right: a 560×200 desktop, black below the second. */
const W = 560;
const H = 200;
const twoMonitors: Monitor[] = [
  { id: 0, name: "DP-1", x: 0, y: 0, width: 320, height: 200, primary: true },
  { id: 1, name: "HDMI-1", x: 320, y: 0, width: 240, height: 160, primary: false },
];

function desktop(): RgbaImage {
  const img = createImage(W, H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const o = (y * W + x) * 4;
      const onSecond = x >= 320 && y < 160;
      const onFirst = x < 320;
      // Each monitor its own colours and texture, so a shifted or wrong region cannot match by chance.
      img.data[o] = onFirst ? 200 + ((x + y) % 40) : onSecond ? 30 + (x % 16) : 0;
      img.data[o + 1] = onFirst ? 40 + (y % 8) : onSecond ? 170 + ((x * 3 + y) % 50) : 0;
      img.data[o + 2] = onFirst ? 60 : onSecond ? 90 + (y % 32) : 0;
      img.data[o + 3] = 255;
    }
  }
  return img;
}

function crop(img: RgbaImage, x0: number, y0: number, w: number, h: number): RgbaImage {
  const out = createImage(w, h);
  for (let y = 0; y < h; y++) {
    const from = ((y0 + y) * img.width + x0) * 4;
    out.data.set(img.data.subarray(from, from + w * 4), y * w * 4);
  }
  return out;
}

const picture = desktop();
let monitors: readonly Monitor[] = twoMonitors;
const source: CaptureSource = {
  width: W,
  height: H,
  monitors: async () => monitors,
  grab: async (): Promise<CapturedFrame> => ({ image: picture, seq: 0, dirty: undefined }),
  close: async () => {},
};

/** The customer's machine: the pointer events the agent's clicks became. */
const applied: RemoteInputEvent[] = [];
const sink: InputSink = {
  apply: async (e) => void applied.push(e),
  releaseAll: async () => {},
  close: async () => {},
};

let t: TestServer;
let browser: Browser;
let page: Page;
let host: HostSession;
let panel: Locator;

beforeAll(async () => {
  if (!hasChromium) return;
  t = await testServer({ alertDisplayMs: 120_000 });
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  page.on("pageerror", (e) => console.error("page error:", e));
  const { joined } = await openSession(page, t, "Max Monitors", "two screens");
  panel = page.locator(".session:not([hidden]) .viewer");
  await panel.getByRole("button", { name: "Show the customer's screen" }).click();
  host = new HostSession({
    screenUrl: t.screenUrl,
    sessionId: joined.sessionId,
    key: joined.host.sessionKey,
    source,
    consent: async ({ suggested }) => suggested,
    input: sink,
    level: "control",
    framesPerSecondMax: 10,
  });
  expect(await host.start()).toBe(true);
  await status("shared control");
}, 60_000);

afterAll(async () => {
  await host?.close();
  await browser?.close();
  await t?.close();
});

const status = (text: string) =>
  panel.locator(".screen-status").filter({ hasText: text }).waitFor({ timeout: 10_000 });
const screen = () => panel.locator(".tandem-screen");
const region = () => screen().getAttribute("data-region");
const overlay = () => panel.locator("canvas.tandem-screen-overlay");
const bar = () => panel.getByRole("group", { name: "Customer's monitors" });
const notice = () => panel.locator(".screen-notice");
const size = async (l: Locator) => {
  const box = await l.boundingBox();
  return box && { width: Math.round(box.width), height: Math.round(box.height) };
};
const pressed = (l: Locator) => l.getAttribute("aria-pressed");

describe.skipIf(!hasChromium)("the customer's monitors, zoom and full screen in the console", () => {
  test("R-V2: with two monitors, the mini-map shows each resolution, the primary marked, all of them shown", async () => {
    await expect.poll(() => region()).toBe(`0,0,${W},${H}`);
    await bar().waitFor();
    const first = bar().getByRole("button", { name: "Monitor 1: 320×200, primary" });
    const second = bar().getByRole("button", { name: "Monitor 2: 240×160" });
    expect(await first.textContent()).toBe("320×200 ★");
    expect(await second.textContent()).toBe("240×160");
    // The boxes keep the layout: the second to the right of the first, narrower and shorter.
    const [a, b] = [(await first.boundingBox())!, (await second.boundingBox())!];
    expect(b.x).toBeGreaterThanOrEqual(a.x + a.width - 1);
    expect(b.width).toBeLessThan(a.width);
    expect(b.height).toBeLessThan(a.height);
    expect(await pressed(bar().getByRole("button", { name: "All monitors" }))).toBe("true");
    expect(await pressed(first)).toBe("false");
    await page.screenshot({ path: "out/screenshots/console-monitors.png" });
  });

  test("R-V2: the next arrow shows only the second monitor, pixel for pixel, and a click lands on its desktop pixel", async () => {
    await panel.getByRole("button", { name: "Actual size" }).click();
    await bar().getByRole("button", { name: "Next monitor" }).click();
    await bar().getByRole("button", { name: "Next monitor" }).click();
    // From all monitors, next is the first; next again the second.
    expect(await region()).toBe("320,0,240,160");
    expect(await pressed(bar().getByRole("button", { name: "Monitor 2: 240×160" }))).toBe("true");
    expect(await pressed(bar().getByRole("button", { name: "All monitors" }))).toBe("false");
    expect(await size(overlay())).toEqual({ width: 240, height: 160 });
    await expect
      .poll(() => differingPixels(overlay(), crop(picture, 320, 0, 240, 160)), { timeout: 10_000 })
      .toBe(0);
    // Mid-pixel, so that no rounding of the pointer's position can move it to the next pixel.
    await overlay().click({ position: { x: 10.5, y: 20.5 } });
    await expect
      .poll(() =>
        applied.filter((e) => e.type === "pointer.move").map((e) => e.type === "pointer.move" && [e.x, e.y]),
      )
      .toContainEqual([330, 20]);
    expect(applied).toContainEqual({ type: "pointer.button", button: 1, down: true });
  });

  test("R-V2: the previous arrow, the map and All monitors switch what is shown", async () => {
    await bar().getByRole("button", { name: "Previous monitor" }).click();
    expect(await region()).toBe("0,0,320,200");
    await expect
      .poll(() => differingPixels(overlay(), crop(picture, 0, 0, 320, 200)), { timeout: 10_000 })
      .toBe(0);
    await bar().getByRole("button", { name: "Monitor 2: 240×160" }).click();
    expect(await region()).toBe("320,0,240,160");
    await bar().getByRole("button", { name: "All monitors" }).click();
    expect(await region()).toBe(`0,0,${W},${H}`);
    await expect.poll(() => differingPixels(overlay(), picture), { timeout: 10_000 }).toBe(0);
  });

  test("R-V1: Zoom to a custom 130 % sizes the canvas; a preset too; a typed value beyond the range is clamped", async () => {
    const custom = panel.getByRole("spinbutton", { name: "Zoom (%)" });
    await custom.fill("130");
    await custom.press("Enter");
    await expect
      .poll(() => size(panel.locator("canvas.tandem-screen-canvas")))
      .toEqual({ width: 728, height: 260 });
    expect(await screen().getAttribute("data-scale")).toBe("1.3");
    // One monitor at 130 %: its rectangle is what grows, and clicks still land on its pixels.
    await bar().getByRole("button", { name: "Monitor 2: 240×160" }).click();
    expect(await size(overlay())).toEqual({ width: 312, height: 208 });
    applied.length = 0;
    // The middle of the desktop pixel (20, 40) of the monitor: 20.5 × 1.3 and 40.5 × 1.3 CSS pixels in.
    await overlay().click({ position: { x: 26.65, y: 52.65 } });
    await expect
      .poll(() =>
        applied.filter((e) => e.type === "pointer.move").map((e) => e.type === "pointer.move" && [e.x, e.y]),
      )
      .toContainEqual([340, 40]);
    await bar().getByRole("button", { name: "All monitors" }).click();
    await panel.getByRole("combobox", { name: "Zoom to" }).selectOption("50");
    await expect
      .poll(() => size(panel.locator("canvas.tandem-screen-canvas")))
      .toEqual({ width: 280, height: 100 });
    expect(await custom.inputValue()).toBe("50");
    await custom.fill("1000");
    await custom.press("Enter");
    expect(await custom.inputValue()).toBe("400");
    expect(await screen().getAttribute("data-scale")).toBe("4");
    // Fit brings the whole desktop back, and the box says what Fit chose.
    await panel.getByRole("button", { name: "Fit", exact: true }).click();
    expect(await custom.inputValue()).toBe(
      String(Math.round(Number(await screen().getAttribute("data-scale")) * 100)),
    );
  });

  test("R-V1: Full screen puts the panel in full screen and the button follows the way out", async () => {
    const button = panel.getByRole("button", { name: "Full screen" });
    const fullScreenIsPanel = () =>
      page.evaluate(() => document.fullscreenElement?.classList.contains("viewer") ?? false);
    const stageHeight = async () => (await size(panel.locator(".screen-stage")))?.height ?? 0;
    const inTab = await stageHeight();
    await button.click();
    await expect.poll(fullScreenIsPanel).toBe(true);
    await expect.poll(() => pressed(button)).toBe("true");
    // The picture takes the display's height, the tools still above it.
    await expect.poll(stageHeight).toBeGreaterThan(inTab + 200);
    expect(await panel.getByRole("toolbar", { name: "Screen tools" }).isVisible()).toBe(true);
    await button.click();
    await expect.poll(fullScreenIsPanel).toBe(false);
    await expect.poll(() => pressed(button)).toBe("false");
    expect(await stageHeight()).toBe(inTab);
    // Left another way (Esc is the browser's own): the button follows.
    await button.click();
    await expect.poll(fullScreenIsPanel).toBe(true);
    await page.evaluate(() => document.exitFullscreen());
    await expect.poll(() => pressed(button)).toBe("false");
  });

  test("R-V6: the multi-monitor notice shows, switched off in Preferences it goes (kept on the server), and it can be dismissed", async () => {
    await expect(notice().textContent()).resolves.toContain(
      "The customer has 2 monitors — use the arrows or the map to switch.",
    );
    expect(await notice().isVisible()).toBe(true);
    const setNotice = async (on: boolean) => {
      await page.getByRole("button", { name: "Preferences" }).click();
      const dialog = page.getByRole("dialog", { name: "Preferences" });
      await dialog.getByLabel("Tell me when the customer has several monitors").setChecked(on);
      await dialog.getByRole("button", { name: "Save" }).click();
      await page.getByText("Preferences saved").first().waitFor();
    };
    await setNotice(false);
    await expect.poll(() => notice().isVisible()).toBe(false);
    const rows = [...t.server.store.query("SELECT agent_id FROM agent_preferences").all()] as {
      agent_id: string;
    }[];
    const agentId = rows[0]!.agent_id;
    await expect.poll(() => t.server.store.agentPreferences(agentId)?.multiMonitorNotice).toBe(false);
    await setNotice(true);
    await expect.poll(() => notice().isVisible()).toBe(true);
    await notice().getByRole("button", { name: "Dismiss" }).click();
    expect(await notice().isVisible()).toBe(false);
  });

  test("R-V2: when the customer is down to one monitor, the bar goes and the whole screen is shown", async () => {
    await bar().getByRole("button", { name: "Monitor 2: 240×160" }).click();
    expect(await region()).toBe("320,0,240,160");
    // The host reports its monitors again on a level change (the customer confirms it).
    monitors = singleMonitor(W, H);
    await panel.getByRole("button", { name: "Back to view only" }).click();
    await status("view only");
    await expect.poll(() => bar().isVisible()).toBe(false);
    expect(await region()).toBe(`0,0,${W},${H}`);
  });
});
