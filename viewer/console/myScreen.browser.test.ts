// R-S8 in the browsers: the agent's own screen shown to the customer. The agent clicks "Show my screen" in the console
// and runs the command it shows (here: a HostSession with that key, as `tandem-host --present` would); the customer's
// page draws the agent's screen bit-exact; the customer stops it; only the agent shows it again, from the console.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { CapturedFrame, CaptureSource } from "../../host/capture/index.ts";
import { HostSession } from "../../host/cli/hostSession.ts";
import type { AnnotationDiff } from "../../protocol/annotations/index.ts";
import { createImage, type RgbaImage } from "../../protocol/frame/index.ts";
import { addAgent, addPortal, type TestServer, testServer } from "../../server/testing.ts";
import { differingPixels } from "../../testing/canvasPixels.ts";
import { hasChromium, launchChromium } from "../../testing/chromium.ts";
import { signIn } from "./consoleSession.testing.ts";

/** The agent's desktop: diagonal bands with texture, so tiles use several encodings. */
function agentDesktop(): RgbaImage {
  const img = createImage(320, 200);
  for (let y = 0; y < 200; y++) {
    for (let x = 0; x < 320; x++) {
      const o = (y * 320 + x) * 4;
      const band = Math.floor((x + y) / 40) % 3;
      img.data[o] = [20, 230, 120][band]! + (x % 5);
      img.data[o + 1] = [120, 40, 200][band]!;
      img.data[o + 2] = [210, 90, 30][band]! + (y % 3);
    }
  }
  return img;
}

const desktop = agentDesktop();
const desktopSource: CaptureSource = {
  width: desktop.width,
  height: desktop.height,
  monitors: async () => [{ id: 0, name: "screen", x: 0, y: 0, width: 320, height: 200, primary: true }],
  grab: async (): Promise<CapturedFrame> => ({ image: desktop, seq: 0, dirty: undefined }),
  close: async () => {},
};

let t: TestServer;
let browser: Browser;
let presenter: HostSession | undefined;
let customerPage: Page | undefined;
const inked: AnnotationDiff[] = [];

beforeAll(async () => {
  t = await testServer({ alertDisplayMs: 120_000 });
  if (hasChromium) browser = await launchChromium();
}, 30_000);
afterAll(async () => {
  await presenter?.close();
  await browser?.close();
  await t?.close();
});

const agentScreenShown = (page: Page) =>
  differingPixels(page.locator("#agent-screen canvas.tandem-screen-canvas"), desktop);

test.skipIf(!hasChromium)(
  "R-S8: the agent shows their own screen; the customer's page draws it bit-exact, stops it, and only the agent restarts it",
  async () => {
    const ann = await addAgent(t, "ann");
    const portalId = addPortal(t, { type: "smartBox", mode: "standard", members: [ann.id] });
    const console_ = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const customer = await (await browser.newContext({ viewport: { width: 1000, height: 800 } })).newPage();
    customerPage = customer;
    for (const p of [console_, customer]) p.on("pageerror", (e) => console.error("page error:", e));
    await signIn(console_, t, ann.email);
    await customer.goto(`${t.url}/h/${portalId}`);
    await customer.fill("input[name=name]", "Cleo Page");
    await customer.fill("textarea[name=question]", "Show me where the setting is");
    await customer.click("button[type=submit]");
    await console_.locator(".alert", { hasText: "Cleo Page" }).getByRole("button", { name: "Yes" }).click();
    await customer.waitForSelector("#status:has-text('You are now connected with')");
    await console_.getByRole("tab", { name: "Session with Cleo Page" }).click();
    // Nothing of the agent's screen shows before the agent shares it.
    expect(await customer.locator("#agent-screen").isHidden()).toBe(true);

    await console_.getByRole("button", { name: "Show my screen" }).click();
    const shown = console_.locator(".my-screen-command", { hasText: "--present" });
    await shown.waitFor();
    const command = await shown.textContent();
    expect(command).toMatch(/tandem-host --present .*--key [0-9a-f]{32}/);
    const sessionId = /--session (\S+)/.exec(command!)![1]!;
    presenter = new HostSession({
      screenUrl: t.screenUrl,
      sessionId,
      key: /--key (\S+)/.exec(command!)![1]!,
      presenting: true,
      source: desktopSource,
      // The agent's answers on their machine: view only at first, then whatever level the console asks for.
      consent: async (q) => (q.reason === "level" ? q.suggested : "view"),
      framesPerSecondMax: 10,
      onAnnotations: (diff) => inked.push(diff),
    });
    expect(await presenter.start()).toBe(true);
    await console_
      .locator(".my-screen-status", { hasText: "The customer sees your screen (view only" })
      .waitFor();
    await customer
      .locator("#agent-screen")
      .getByRole("status")
      .filter({ hasText: "showing you their screen" })
      .waitFor();
    await customer.locator("#agent-screen").getByRole("button", { name: "Actual size" }).click();
    await expect.poll(() => agentScreenShown(customer), { timeout: 10_000 }).toBe(0);
    // View only still lets the customer draw for the agent (R-S8): a pen stroke reaches the agent's host.
    const screen = customer.locator("#agent-screen");
    await screen.getByRole("button", { name: "Pen" }).click();
    const box = (await screen.locator("canvas.tandem-screen-overlay").boundingBox())!;
    await customer.mouse.move(box.x + 40, box.y + 40);
    await customer.mouse.down();
    await customer.mouse.move(box.x + 120, box.y + 90, { steps: 5 });
    await customer.mouse.up();
    await expect
      .poll(() => inked.some((d) => JSON.stringify(d).includes('"pen"')), { timeout: 5_000 })
      .toBe(true);
    // The highlighter and the arrow too (R-V4: the customer has the agent's tools).
    for (const [name, kind] of [
      ["Highlighter", "highlighter"],
      ["Arrow", "arrow"],
    ] as const) {
      await screen.getByRole("button", { name }).click();
      await customer.mouse.move(box.x + 60, box.y + 120);
      await customer.mouse.down();
      await customer.mouse.move(box.x + 160, box.y + 130, { steps: 5 });
      await customer.mouse.up();
      await expect
        .poll(() => inked.some((d) => JSON.stringify(d).includes(`"${kind}"`)), { timeout: 5_000 })
        .toBe(true);
    }
    await customer.screenshot({ path: "out/screenshots/customer-agent-screen.png" });
    await screen.getByRole("button", { name: "Clear drawings" }).click();

    // The customer stops it; their page offers no restart, and says only the agent can show it again.
    await customer.locator("#agent-screen").getByRole("button", { name: "Stop" }).click();
    await customer
      .locator("#agent-screen")
      .getByRole("status")
      .filter({ hasText: "Only your agent" })
      .waitFor();
    expect(await customer.locator("#agent-screen .agent-screen-stage").isHidden()).toBe(true);
    await console_.locator(".my-screen-status", { hasText: "Only you can show it again" }).waitFor();
    expect(presenter.sharing).toBe("stopped");

    // The agent shows it again from the console (their tandem-host confirms on their machine).
    await console_.getByRole("button", { name: "Show my screen again" }).click();
    await console_.locator(".my-screen-status", { hasText: "view only" }).waitFor();
    // The agent lets the customer take control (confirmed on the agent's machine); the customer's page says so.
    await console_.getByRole("button", { name: "Let the customer control it" }).click();
    await customer
      .locator("#agent-screen")
      .getByRole("status")
      .filter({ hasText: "lets you use their mouse and keyboard" })
      .waitFor();
    await console_.getByRole("button", { name: "Back to view only" }).waitFor();
    await customer
      .locator("#agent-screen")
      .getByRole("status")
      .filter({ hasText: "showing you their screen" })
      .waitFor();
    await expect.poll(() => agentScreenShown(customer), { timeout: 10_000 }).toBe(0);
  },
  60_000,
);

test.skipIf(!hasChromium)(
  "R-V4: on the customer's page, Esc puts the pen down and gives back the mouse (Esc is no hotkey there)",
  async () => {
    const screen = customerPage!.locator("#agent-screen");
    const pressed = (name: string) =>
      screen.getByRole("button", { name, exact: true }).getAttribute("aria-pressed");
    await screen.getByRole("button", { name: "Pen" }).click();
    expect(await pressed("Pen")).toBe("true");
    await screen.locator(".tandem-screen").focus();
    await customerPage!.keyboard.press("Escape");
    expect(await screen.locator(".tandem-screen").getAttribute("data-tool")).toBe("mouse");
    expect(await pressed("Mouse")).toBe("true");
    // With the mouse back in hand a drag draws nothing for the agent. A pen stroke drawn after it reaches the agent's
    // host after anything the drag sent: then exactly that one stroke has arrived.
    const pens = () => inked.filter((d) => JSON.stringify(d).includes('"pen"')).length;
    const before = pens();
    const box = (await screen.locator("canvas.tandem-screen-overlay").boundingBox())!;
    const drag = async (from: number, to: number) => {
      await customerPage!.mouse.move(box.x + from, box.y + from);
      await customerPage!.mouse.down();
      await customerPage!.mouse.move(box.x + to, box.y + to - 30, { steps: 5 });
      await customerPage!.mouse.up();
    };
    await drag(30, 110);
    await screen.getByRole("button", { name: "Pen" }).click();
    await drag(50, 130);
    await expect.poll(pens, { timeout: 5_000 }).toBeGreaterThan(before);
    const added = inked
      .filter((d) => JSON.stringify(d).includes('"pen"'))
      .slice(before)
      .flatMap((d) => d.added.map((a) => a.id));
    expect(new Set(added).size).toBe(1);
  },
  30_000,
);
