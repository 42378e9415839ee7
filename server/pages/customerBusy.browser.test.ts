// The customer page in real headless Chromium against a server at capacity (R-D2): a refused socket (HTTP 503) and
// a shed post (Overloaded, close 1013) both say the team is busy and keep the form, filled in, to send again.
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { hasChromium, launchChromium } from "../../testing/chromium.ts";
import type { AdmissionOptions } from "../admission/index.ts";
import { addAgent, addPortal, Client, type TestServer, testServer } from "../testing.ts";

const busy = "Our support team is very busy right now. Please try again in a moment.";

describe.skipIf(!hasChromium)("customer page at capacity", () => {
  let browser: Browser;
  let t: TestServer;
  const held: Client[] = [];
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());
  afterEach(async () => {
    for (const c of held.splice(0)) c.close();
    await t.close();
  });

  async function fillIn(admission: Partial<AdmissionOptions>): Promise<Page> {
    t = await testServer({}, { admission });
    const agent = await addAgent(t, "ada");
    const portalId = addPortal(t, { type: "smartBox", mode: "standard", members: [agent.id] });
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${t.url}/h/${portalId}`);
    await page.fill("input[name=name]", "Bea Busy");
    await page.fill("textarea[name=question]", "My printer is offline");
    return page;
  }

  test("R-D2: a socket refused at the connection ceiling shows the busy notice; the same form sends once there is room", async () => {
    const page = await fillIn({ connectionsMax: 1 });
    held.push(await Client.hello(t.wsUrl, { role: "anonymous" }));
    await page.click("button[type=submit]");
    await page.waitForSelector(`#status[data-state="busy"]:has-text("${busy}")`);
    expect(await page.inputValue("input[name=name]")).toBe("Bea Busy");
    expect(await page.inputValue("textarea[name=question]")).toBe("My printer is offline");

    const holder = held.pop()!;
    holder.close();
    await holder.closed();
    await new Promise((r) => setTimeout(r, 50)); // the server's count drops on its own close event
    await page.click("button[type=submit]");
    await page.waitForSelector("#status:has-text('Your request has been sent')");
    expect(await page.locator("#request").count()).toBe(0);
  });

  test("R-D2: a post shed past the new-request rate shows the busy notice and keeps the form", async () => {
    const page = await fillIn({ requestsPerSecondMax: 0.001, requestsBurstMax: 1 });
    // Another customer takes the one request admission allows.
    const other = await Client.hello(t.wsUrl, { role: "anonymous" });
    held.push(other);
    expect(
      (await other.request({ type: "customer.post", portalId: "nowhere", name: "Al", language: "en" }))
        .reason,
    ).toBe("Rejected");
    await page.click("button[type=submit]");
    await page.waitForSelector(`#status[data-state="busy"]:has-text("${busy}")`);
    expect(await page.inputValue("input[name=name]")).toBe("Bea Busy");
    expect(await page.locator("button[type=submit]").isEnabled()).toBe(true);
  });
});
