// R-V3, R-V5, R-V6 in the console (headless Chromium, the real server, a HostSession as the customer's host): the
// hotkeys preference on and off, forwarding system keys in full screen under shared control, a screen window that
// keeps the host's 256 colours and greys out, and a newly shared screen opening in a window of its own.
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { CapturedFrame, CaptureSource } from "../../host/capture/index.ts";
import { HostSession, type HostSessionOptions } from "../../host/cli/hostSession.ts";
import { quantize256 } from "../../host/encoders/index.ts";
import type { RemoteInputEvent } from "../../host/input/index.ts";
import type { AnnotationDiff } from "../../protocol/annotations/index.ts";
import { createImage, type RgbaImage } from "../../protocol/frame/index.ts";
import { customerPost, type Msg, type TestServer, testServer } from "../../server/testing.ts";
import { differingPixels } from "../../testing/canvasPixels.ts";
import { hasChromium, launchChromium } from "../../testing/chromium.ts";
import { openSession } from "./consoleSession.testing.ts";

/** A textured picture, so that 256 colours differ from true colour nearly everywhere. */
function picture(width: number, height: number): RgbaImage {
  const img = createImage(width, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      img.data[o] = (x * 3 + y) % 256;
      img.data[o + 1] = (y * 5 + 17) % 256;
      img.data[o + 2] = (x + y * 2 + 101) % 256;
      img.data[o + 3] = 255;
    }
  }
  return img;
}

/** What the customer's host shows in 256 colours. */
function in256(img: RgbaImage): RgbaImage {
  const out = createImage(img.width, img.height);
  quantize256(
    new Uint32Array(img.data.slice().buffer),
    new Uint32Array(out.data.buffer),
    img.width * img.height,
  );
  return out;
}

const source = (image: RgbaImage): CaptureSource => ({
  width: image.width,
  height: image.height,
  monitors: async () => [
    { id: 0, name: "screen", x: 0, y: 0, width: image.width, height: image.height, primary: true },
  ],
  grab: async (): Promise<CapturedFrame> => ({ image, seq: 0, dirty: undefined }),
  close: async () => {},
});

let t: TestServer;
let browser: Browser;
let page: Page;
let portalId: string;
const hosts: HostSession[] = [];
/** Every message the console's pages sent on their screen channels (tab and windows alike), with its session. */
const sentOnScreens: { session: string | null; m: Record<string, unknown> }[] = [];

beforeAll(async () => {
  if (!hasChromium) return;
  t = await testServer({ alertDisplayMs: 120_000 });
  browser = await launchChromium(["--screen-info={1280x900}"]);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.routeWebSocket(/\/screen\?/, (ws) => {
    const server = ws.connectToServer();
    const session = new URL(ws.url()).searchParams.get("session");
    ws.onMessage((m) => {
      if (typeof m === "string") sentOnScreens.push({ session, m: JSON.parse(m) as Record<string, unknown> });
      server.send(m);
    });
  });
  page = await context.newPage();
  page.on("pageerror", (e) => console.error("page error:", e));
}, 30_000);

afterAll(async () => {
  for (const h of hosts) await h.close();
  await browser?.close();
  await t?.close();
});

function startHost(joined: Msg, image: RgbaImage, more: Partial<HostSessionOptions> = {}): Promise<boolean> {
  const host = new HostSession({
    screenUrl: t.screenUrl,
    sessionId: joined.sessionId,
    key: joined.host.sessionKey,
    source: source(image),
    consent: async ({ suggested }) => suggested,
    framesPerSecondMax: 10,
    ...more,
  });
  hosts.push(host);
  return host.start();
}

/** The next customer of the signed-in agent: answered, and their tab shown. */
async function nextSession(name: string): Promise<Msg> {
  const { c } = await customerPost(t, { portalId, name, question: "keys" });
  await page.locator(".alert", { hasText: name }).getByRole("button", { name: "Yes" }).click();
  const joined = await c.next((m) => m.type === "session.joined");
  await page.getByRole("tab", { name: `Session with ${name}` }).click();
  return joined;
}

async function preferences(change: (dialog: Locator) => Promise<unknown>): Promise<void> {
  await page.getByRole("button", { name: "Preferences" }).click();
  const dialog = page.getByRole("dialog", { name: "Preferences" });
  await change(dialog);
  await dialog.getByRole("button", { name: "Save" }).click();
  await dialog.waitFor({ state: "hidden" });
}

const tab = () => page.locator(".session:not([hidden]) .viewer");
const screenOf = (where: Page | Locator) => where.locator(".tandem-screen");
const toolOf = async (where: Page | Locator) => (await screenOf(where).getAttribute("data-tool")) ?? "mouse";
const scrolled = (where: Page | Locator) =>
  screenOf(where).evaluate((el) => [Math.round(el.scrollLeft), Math.round(el.scrollTop)]);

const big = picture(1600, 1000);
const inked: AnnotationDiff[] = [];

test.skipIf(!hasChromium)(
  "R-V5: with hotkeys on, F8 highlighter, F9 arrow, F11 pen, F12 clear and Esc mouse work in the console; arrows scroll (R-V1)",
  async () => {
    const opened = await openSession(page, t, "Hana Hotkeys");
    portalId = opened.portalId;
    await tab().getByRole("button", { name: "Show the customer's screen" }).click();
    expect(await startHost(opened.joined, big, { onAnnotations: (d) => inked.push(d) })).toBe(true);
    await tab().getByRole("status").filter({ hasText: "view only" }).waitFor();
    await tab().getByRole("button", { name: "Actual size" }).click();
    await screenOf(tab()).focus();
    const pressed = (name: string) =>
      tab().getByRole("button", { name, exact: true }).getAttribute("aria-pressed");

    await page.keyboard.press("F8");
    expect(await toolOf(tab())).toBe("highlighter");
    expect(await pressed("Highlighter")).toBe("true");
    await page.keyboard.press("F9");
    expect(await toolOf(tab())).toBe("arrow");
    await page.keyboard.press("F11");
    expect(await toolOf(tab())).toBe("pen");
    expect(await pressed("Pen")).toBe("true");

    // A pen stroke reaches the host; F12 clears it there too.
    const box = (await tab().locator("canvas.tandem-screen-overlay").boundingBox())!;
    await page.mouse.move(box.x + 40, box.y + 40);
    await page.mouse.down();
    await page.mouse.move(box.x + 140, box.y + 90, { steps: 5 });
    await page.mouse.up();
    await expect.poll(() => inked.some((d) => d.added.some((a) => a.kind === "pen"))).toBe(true);
    await page.keyboard.press("F12");
    await expect.poll(() => inked.some((d) => d.clear === true)).toBe(true);

    await page.keyboard.press("Escape");
    expect(await toolOf(tab())).toBe("mouse");
    expect(await pressed("Mouse")).toBe("true");

    expect(await scrolled(tab())).toEqual([0, 0]);
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowRight");
    const [x, y] = await scrolled(tab());
    expect(x).toBeGreaterThan(0);
    expect(y).toBeGreaterThan(0);
  },
  60_000,
);

test.skipIf(!hasChromium)(
  "R-V5: with hotkeys off in Preferences, F8, F9, F11, F12, Esc and the arrows do nothing, and F10 leaves the focus",
  async () => {
    await preferences((d) => d.getByLabel("Hotkeys:").uncheck());
    await tab().getByRole("button", { name: "Arrow", exact: true }).click();
    const screen = screenOf(tab());
    await screen.focus();
    // Which keys the page took for itself: none, with hotkeys off (the region's own browser scrolling stays).
    await page.evaluate(() => {
      const taken: string[] = [];
      (window as unknown as { taken: string[] }).taken = taken;
      document.addEventListener("keydown", (e) => {
        if (e.defaultPrevented) taken.push(e.key);
      });
    });
    const taken = () => page.evaluate(() => (window as unknown as { taken: string[] }).taken);
    const clears = inked.filter((d) => d.clear).length;
    const keys = ["F8", "F9", "F11", "F12", "Escape", "ArrowDown", "ArrowRight", "F10"];
    // Each press resolves once the page has handled its key events, where a hotkey is taken (and sends at once).
    for (const key of keys) await page.keyboard.press(key);
    expect(await taken()).toEqual([]);
    expect(await toolOf(tab())).toBe("arrow");
    expect(inked.filter((d) => d.clear).length).toBe(clears);
    expect(await screen.evaluate((el) => document.activeElement === el)).toBe(true);

    // On again: the same keys work at once, in the screen already open.
    await preferences((d) => d.getByLabel("Hotkeys:").check());
    await screen.focus();
    await screen.evaluate((el) => el.scrollTo(0, 0));
    for (const key of keys) await page.keyboard.press(key);
    expect(await taken()).toEqual(keys);
    expect(await toolOf(tab())).toBe("mouse");
    await expect.poll(() => inked.filter((d) => d.clear).length).toBe(clears + 1);
    // Arrow-key scrolling is the viewer's: a tenth of the view a step, not the browser's 40 px.
    const viewport = await screen.evaluate((el) => [el.clientWidth, el.clientHeight]);
    expect(await scrolled(tab())).toEqual(viewport.map((n) => Math.round(n / 10)));
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe("TEXTAREA");
  },
  60_000,
);

test.skipIf(!hasChromium)(
  "R-V6: forwarding system keys — in full screen under shared control, Escape and F5 reach the customer's host as keys",
  async () => {
    await preferences((d) => d.getByLabel("Forward system keys").check());
    const joined = await nextSession("Kai Keys");
    const applied: RemoteInputEvent[] = [];
    const input = {
      apply: async (e: RemoteInputEvent) => {
        applied.push(e);
      },
      releaseAll: async () => {},
      close: async () => {},
    };
    await tab().getByRole("button", { name: "Show the customer's screen" }).click();
    expect(await startHost(joined, picture(320, 200), { input, level: "control" })).toBe(true);
    await tab().getByRole("status").filter({ hasText: "shared control" }).waitFor();
    const screen = screenOf(tab());
    expect(await screen.getAttribute("data-system-keys")).toBeNull();

    // Whichever element goes full screen (here the viewer slot, by the page itself), the keyboard follows.
    await page.evaluate(() => {
      (window as unknown as { beforeF5: boolean }).beforeF5 = true;
    });
    await tab().evaluate((el) => el.requestFullscreen());
    // Headless Chromium grants the Keyboard Lock API in full screen.
    await expect.poll(() => screen.getAttribute("data-system-keys")).toBe("locked");
    expect(await screen.evaluate((el) => document.activeElement === el)).toBe(true);
    const keysyms = () => applied.flatMap((e) => (e.type === "key" && e.down ? [e.keysym] : []));
    await page.keyboard.press("Escape");
    await page.keyboard.press("F5");
    await expect.poll(keysyms).toEqual(expect.arrayContaining([0xff1b, 0xffc2]));
    // The locked Esc was the customer's: the browser did not leave full screen for it.
    expect(await page.evaluate(() => document.fullscreenElement !== null)).toBe(true);
    // F5 went to the customer, not to this page: no reload.
    expect(await page.evaluate(() => (window as unknown as { beforeF5?: boolean }).beforeF5)).toBe(true);

    // Out of full screen the keyboard is the agent's again.
    await page.evaluate(() => (document.fullscreenElement ? document.exitFullscreen() : undefined));
    await expect.poll(() => screen.getAttribute("data-system-keys")).toBeNull();
    await preferences((d) => d.getByLabel("Forward system keys").uncheck());
  },
  60_000,
);

test.skipIf(!hasChromium)(
  "R-V3, R-V6: a screen in its own window keeps the host at 256 colours and greys out when the window loses the focus",
  async () => {
    await preferences((d) => d.getByLabel("Customer's screen colours").selectOption("256"));
    const joined = await nextSession("Cora Colours");
    const still = picture(320, 200);
    await tab().getByRole("button", { name: "Show the customer's screen" }).click();
    expect(await startHost(joined, still)).toBe(true);
    await tab().getByRole("status").filter({ hasText: "view only" }).waitFor();
    await tab().getByRole("button", { name: "Actual size" }).click();
    const canvas = (p: Page | Locator) => p.locator("canvas.tandem-screen-canvas");
    await expect.poll(() => differingPixels(canvas(tab()), in256(still)), { timeout: 10_000 }).toBe(0);

    const [popup] = await Promise.all([
      page.waitForEvent("popup"),
      tab().getByRole("button", { name: "Own window" }).click(),
    ]);
    popup.on("pageerror", (e) => console.error("screen window error:", e));
    await popup.getByRole("status").filter({ hasText: "view only" }).waitFor();
    await popup.getByRole("button", { name: "Actual size" }).click();
    // Frames after the window joined are still in 256 colours, and no viewer ever asked for true colour.
    await expect.poll(() => differingPixels(canvas(popup), in256(still)), { timeout: 10_000 }).toBe(0);
    const colours = sentOnScreens.flatMap((s) =>
      s.session === joined.sessionId && s.m.type === "colours" ? [s.m] : [],
    );
    expect(colours.length).toBeGreaterThanOrEqual(2);
    expect(colours.every((m) => m.colours === "256")).toBe(true);

    const filter = () =>
      popup
        .locator(".screen-window-viewer")
        .evaluate((el) => new Promise<string>((r) => setTimeout(() => r(getComputedStyle(el).filter), 300)));
    const focusEvent = (type: "blur" | "focus") =>
      popup.evaluate((x) => window.dispatchEvent(new Event(x)), type);
    expect(await filter()).toBe("none");
    await focusEvent("blur");
    expect(await filter()).toContain("grayscale(1)");
    await focusEvent("focus");
    expect(await filter()).toBe("none");
    await popup.close({ runBeforeUnload: true });
    await tab().getByRole("status").filter({ hasText: "view only" }).waitFor();
  },
  60_000,
);

test.skipIf(!hasChromium)(
  "R-V3, R-V6: with 'in a window of its own', a newly shared screen opens in its own window by itself",
  async () => {
    await preferences((d) => d.getByLabel("A shared screen opens").selectOption("window"));
    const joined = await nextSession("Wes Window");
    await tab().getByRole("button", { name: "Show the customer's screen" }).click();
    await tab().getByRole("status").filter({ hasText: "Waiting for the customer" }).waitFor();
    const popup = page.waitForEvent("popup");
    expect(await startHost(joined, picture(320, 200))).toBe(true);
    const window_ = await popup;
    await window_.getByRole("heading", { name: "Wes Window" }).waitFor();
    await window_.getByRole("status").filter({ hasText: "view only" }).waitFor();
    await tab().getByRole("status").filter({ hasText: "shown in its own window" }).waitFor();
    expect(await tab().locator("canvas").count()).toBe(0);
  },
  60_000,
);
