// The customer pages in real headless Chromium (Debian's, driven by playwright-core) against a running server:
// posting, the waiting states (incl. R-A8), chat both ways, pushed URLs in a new window, saving the transcript, leaving,
// coming back after a dropped connection (waiting or in a chat),
// the SmartCode quick URL, SmartMatch's agent list, and French.
import { readFileSync } from "node:fs";
import type { Browser, Page, WebSocketRoute } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { hasChromium, launchChromium } from "../testing/chromium.ts";
import { addAgent, addPortal, Client, type TestServer, testServer } from "./testing.ts";

let t: TestServer;
let browser: Browser;

beforeAll(async () => {
  t = await testServer();
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await t.close();
});

async function open(path: string): Promise<Page> {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(`${t.url}${path}`);
  return page;
}

describe.skipIf(!hasChromium)("customer pages in Chromium", () => {
  /** Opens a portal page whose /ws sockets go through a proxy the test can cut on the page's side, as a network drop. */
  async function openCuttable(path: string): Promise<{ page: Page; routes: WebSocketRoute[] }> {
    const page = await (await browser.newContext()).newPage();
    const routes: WebSocketRoute[] = [];
    await page.routeWebSocket(/\/ws$/, (ws) => {
      ws.connectToServer();
      routes.push(ws);
    });
    await page.goto(`${t.url}${path}`);
    return { page, routes };
  }

  test("R-S1, R-S2: a customer whose connection drops mid-chat is back in the same session, the conversation shown once", async () => {
    const dee = await addAgent(t, "dee");
    const portalId = addPortal(t, { type: "smartBox", mode: "standard", members: [dee.id] });
    const a = await Client.agent(t, dee.email);
    const { page, routes } = await openCuttable(`/h/${portalId}`);
    await page.fill("input[name=name]", "Eve Flaky");
    await page.fill("textarea[name=question]", "My wifi drops");
    await page.click("button[type=submit]");
    await a.ok({ type: "request.answer", requestId: (await a.event("alert.raised")).requestId });
    const sessionId = (await a.event("session.started")).sessionId;
    await page.waitForSelector("#status:has-text('You are now connected with dee Test')");
    await a.ok({ type: "chat.send", sessionId, text: "Before the drop" });
    await page.waitForSelector("#chat li:has-text('Before the drop')");

    await routes[0]!.close({ code: 1006, reason: "cut by the test" });
    await page.waitForSelector("#status[data-state=reconnecting]");
    await page.waitForSelector("#status:has-text('You are now connected with dee Test')");
    expect(routes).toHaveLength(2);
    await a.ok({ type: "chat.send", sessionId, text: "After the drop" });
    await page.waitForSelector("#chat li:has-text('After the drop')");
    expect(await page.locator("#chat li", { hasText: "Before the drop" }).count()).toBe(1);
    await page.fill("#message", "Still here");
    await page.click("#send button");
    expect((await a.event("chat.posted", (e) => e.text === "Still here")).sessionId).toBe(sessionId);
    a.close();
    await page.context().close();
  });

  test("R-P2: a customer whose connection drops while waiting is still waiting afterwards, and gets the session", async () => {
    const fay = await addAgent(t, "fay");
    const portalId = addPortal(t, { type: "smartButton", mode: "standard", members: [fay.id] });
    const a = await Client.agent(t, fay.email);
    const { page, routes } = await openCuttable(`/h/${portalId}`);
    await page.fill("input[name=name]", "Gus Waiting");
    await page.click("button[type=submit]");
    await page.waitForSelector("#status:has-text('An agent will answer shortly')");
    const alert = await a.event("alert.raised");
    await routes[0]!.close({ code: 1006, reason: "cut by the test" });
    await page.waitForSelector("#status[data-state=reconnecting]");
    await page.waitForSelector("#status:has-text('An agent will answer shortly')");
    expect(await page.locator("#withdraw").count()).toBe(1);
    await a.ok({ type: "request.answer", requestId: alert.requestId });
    await page.waitForSelector("#status:has-text('You are now connected with fay Test')");
    a.close();
    await page.context().close();
  });

  test("R-P1, R-S1–S3, R-L6: SmartBox page — post, wait, chat both ways, pushed URL in a new window, save, leave", async () => {
    const ann = await addAgent(t, "ann");
    const portalId = addPortal(t, { type: "smartBox", mode: "standard", members: [ann.id] });
    const a = await Client.agent(t, ann.email);
    const page = await open(`/h/${portalId}`);
    await page.fill("input[name=name]", "Cy Browser");
    await page.fill("textarea[name=question]", "My screen is blue");
    await page.click("button[type=submit]");
    await page.waitForSelector("#status:has-text('An agent will answer shortly')");
    const alert = await a.event("alert.raised");
    expect(alert.request.customer).toMatchObject({ name: "Cy Browser", question: "My screen is blue" });
    await a.ok({ type: "request.answer", requestId: alert.requestId });
    await page.waitForSelector("#status:has-text('You are now connected with ann Test')");
    const sessionId = (await a.event("session.started")).sessionId;
    expect(await page.textContent("#host pre")).toContain(`--session ${sessionId}`);
    expect(await page.textContent("#participants")).toContain("ann Test");
    await page.fill("#message", "Hello from the browser");
    await page.click("#send button");
    expect((await a.event("chat.posted")).text).toBe("Hello from the browser");
    await a.ok({ type: "chat.send", sessionId, text: "Hello from the agent" });
    await page.waitForSelector("#chat li:has-text('Hello from the agent')");
    const popup = page.waitForEvent("popup");
    await a.ok({ type: "url.push", sessionId, url: `${t.url}/healthz` });
    const opened = await popup;
    await opened.waitForURL(`${t.url}/healthz`);
    expect(await opened.textContent("body")).toContain("ok");
    const download = page.waitForEvent("download");
    await page.click("#save");
    const file = await (await download).path();
    const text = readFileSync(file, "utf8");
    expect(text).toContain("Hello from the browser");
    expect(text).toContain("ann Test: Hello from the agent");
    expect((await download).suggestedFilename()).toMatch(/\.txt$/);
    await page.click("#leave");
    await a.event("customer.left");
    a.close();
    await page.context().close();
  });

  test("R-A8: the page tells the customer to wait while the agent finishes with the previous customer", async () => {
    const bob = await addAgent(t, "bob", 1);
    const portalId = addPortal(t, { type: "smartButton", mode: "standard", members: [bob.id] });
    const b = await Client.agent(t, bob.email);
    const first = await open(`/h/${portalId}`);
    await first.fill("input[name=name]", "First");
    await first.click("button[type=submit]");
    await b.ok({ type: "request.answer", requestId: (await b.event("alert.raised")).requestId });
    const sessionId = (await b.event("session.started")).sessionId;
    const second = await open(`/h/${portalId}`);
    await second.fill("input[name=name]", "Second");
    await second.click("button[type=submit]");
    await b.ok({ type: "request.answer", requestId: (await b.event("alert.raised")).requestId });
    await second.waitForSelector(
      "#status[data-state=queuedForAgent]:has-text('finishing with the previous customer')",
    );
    await b.ok({ type: "session.close", sessionId, resolution: "resolved" });
    await first.waitForSelector("#status[data-state=ended]");
    await second.waitForSelector("#status[data-state=joined]");
    b.close();
    await first.context().close();
    await second.context().close();
  });

  test("R-P6: the SmartCode quick URL fills the code in; in French the page speaks French", async () => {
    const cleo = await addAgent(t, "cleo");
    const portalId = addPortal(t, { type: "smartCode", mode: "phone", members: [cleo.id] });
    const c = await Client.agent(t, cleo.email);
    const code = (await c.ok({ type: "code.create", portalId })).data;
    const page = await open(`${new URL(code.quickUrl).pathname}${new URL(code.quickUrl).search}&lang=fr`);
    expect(await page.inputValue("input[name=code]")).toBe(code.display);
    expect(await page.textContent("form")).toContain("Code donné par votre conseiller");
    await page.fill("input[name=name]", "Client");
    await page.click("button[type=submit]");
    await page.waitForSelector("#status:has-text('Vous êtes en relation avec cleo Test')");
    c.close();
    await page.context().close();
  });

  test("R-P4: the SmartMatch page lists the available agents and alerts the one picked", async () => {
    const dan = await addAgent(t, "dan");
    const eve = await addAgent(t, "eve");
    const portalId = addPortal(t, { type: "smartMatch", mode: "standard", members: [dan.id, eve.id] });
    const d = await Client.agent(t, dan.email);
    const e = await Client.agent(t, eve.email);
    const page = await open(`/h/${portalId}`);
    await page.fill("input[name=name]", "Picky");
    await page.selectOption("select[name=agent]", eve.id);
    await page.click("button[type=submit]");
    expect((await e.event("alert.raised")).colour).toBe("green");
    await page.waitForSelector("#status:has-text('An agent will answer shortly')");
    for (const x of [d, e]) x.close();
    await page.context().close();
  });
});
