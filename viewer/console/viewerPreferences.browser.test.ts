// R-V6 viewer preferences in the console (headless Chromium, real server): the shared screen greys out while the
// console window does not have the focus, and the agent can switch that off in Preferences (kept on the server).
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type TestServer, testServer } from "../../server/testing.ts";
import { hasChromium, launchChromium } from "../../testing/chromium.ts";
import { openSession } from "./consoleSession.testing.ts";

let t: TestServer;
let browser: Browser;
let page: Page;
let sessionId: string;

beforeAll(async () => {
  if (!hasChromium) return;
  t = await testServer({ alertDisplayMs: 120_000 });
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  sessionId = (await openSession(page, t, "Gina Grey")).joined.sessionId;
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** The viewer's CSS filter once its transition settled. */
const viewerFilter = () =>
  page
    .locator(`#panel-${sessionId} .viewer`)
    .evaluate((el) => new Promise<string>((r) => setTimeout(() => r(getComputedStyle(el).filter), 300)));
const focusEvent = (type: "blur" | "focus") => page.evaluate((x) => window.dispatchEvent(new Event(x)), type);

describe.skipIf(!hasChromium)("R-V6 viewer preferences", () => {
  test("R-V6: the viewer greys out when the console loses the focus and comes back with it", async () => {
    expect(await viewerFilter()).toBe("none");
    await focusEvent("blur");
    expect(await viewerFilter()).toContain("grayscale(1)");
    await focusEvent("focus");
    expect(await viewerFilter()).toBe("none");
  });

  test("R-V6: switched off in Preferences, the viewer stays in colour; the choice is kept on the server", async () => {
    await page.getByRole("button", { name: "Preferences" }).click();
    const dialog = page.getByRole("dialog", { name: "Preferences" });
    await dialog.getByLabel("Grey out the shared screen when the console is not focused").uncheck();
    await dialog.getByRole("button", { name: "Save" }).click();
    await page.getByText("Preferences saved").waitFor();
    await focusEvent("blur");
    expect(await viewerFilter()).toBe("none");
    await focusEvent("focus");
    const agentId = [...t.server.store.query("SELECT agent_id FROM agent_preferences").all()] as {
      agent_id: string;
    }[];
    const saved = t.server.store.agentPreferences(agentId[0]!.agent_id);
    expect(saved?.greyOutUnfocused).toBe(false);
  });
});
