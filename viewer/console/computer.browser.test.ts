// Issue 7, the customer's computer from the console: the agent in headless Chromium, the real server, and the real host
// process (host/tools/main.ts, the customer answering on its JSON-lines prompt). Restart and reconnect inside and
// outside the window — the host killed the way a restart kills it and relaunched by its own autostart entry — with the
// refusal noted in the chats and the Phone-mode dialog that cancels the reconnection (R-T5); run as service (R-T4) and
// credentials typed on the customer's machine, then revoked there (R-T6).
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import {
  autostartCommand,
  type Cleanups,
  type HostProcess,
  home,
  hostProcess,
  type Line,
  startToolsHost,
} from "../../host/tools/hostProcess.testing.ts";
import { addPortal, Client, customerPost, login, type TestServer, testServer } from "../../server/testing.ts";
import { hasChromium, launchChromium } from "../../testing/chromium.ts";
import { type OpenedSession, openSession } from "./consoleSession.testing.ts";

/** Short enough to wait out in a test, long enough for a relaunch (tsx start-up) on a busy machine. */
const windowMs = 12_000;

let t: TestServer;
let browser: Browser;
let page: Page;
let first: OpenedSession;
const cleanups: Cleanups = [];

beforeAll(async () => {
  if (!hasChromium) return;
  t = await testServer({ alertDisplayMs: 120_000 }, { tools: { rebootReconnectWindowMs: windowMs } });
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  page.on("pageerror", (e) => console.error("page error:", e));
  first = await openSession(page, t, "Rita Restart", "my computer is slow");
}, 30_000);

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

interface Opened {
  sessionId: string;
  customer: Client;
  host: HostProcess;
  dir: string;
  env: NodeJS.ProcessEnv;
}

/** The agent answers a new customer of the first portal (or takes a Phone-mode one by SmartCode); the host joins. */
async function session(name: string, mode: "standard" | "phone" = "standard"): Promise<Opened> {
  let customer: Client;
  if (mode === "phone") {
    const portalId = addPortal(t, { type: "smartCode", mode: "phone", members: [first.agent.id] });
    const agent = await Client.hello(t.wsUrl, {
      role: "agent",
      token: await login(t.url, first.agent.email),
    });
    const code = (await agent.ok({ type: "code.create", portalId })).data.code;
    agent.close();
    ({ c: customer } = await customerPost(t, { portalId, name, code }));
  } else {
    ({ c: customer } = await customerPost(t, { portalId: first.portalId, name }));
    await page.locator(".alert", { hasText: name }).getByRole("button", { name: "Yes" }).click();
  }
  const joined = await customer.next((m) => m.type === "session.joined");
  cleanups.push(() => customer.close());
  await page.getByRole("tab", { name: `Session with ${name}` }).click();
  const { env, dir } = home(cleanups);
  const host = await startToolsHost(
    { wsUrl: t.wsUrl, sessionId: joined.sessionId, hostKey: joined.host.sessionKey },
    env,
    cleanups,
  );
  await page
    .locator(`#panel-${joined.sessionId} section.tools`)
    .getByRole("status")
    .filter({ hasText: "the customer's computer is connected" })
    .waitFor();
  return { sessionId: joined.sessionId, customer, host, dir, env };
}

const computer = (s: Opened) => page.locator(`#panel-${s.sessionId} section.computer`);
const status = (s: Opened, text: string | RegExp) =>
  computer(s).getByRole("status").filter({ hasText: text }).waitFor({ timeout: 20_000 });

/** The agent clicks Restart and reconnect and confirms; the customer's host asks them. */
async function askRestart(s: Opened): Promise<Line> {
  await computer(s).getByRole("button", { name: "Restart and reconnect" }).click();
  await page
    .getByRole("dialog", { name: "Restart and reconnect" })
    .getByRole("button", { name: "Restart" })
    .click();
  return s.host.next((l) => l.ask === "restart");
}

/** The customer allows it; the host arms its autostart entry and "restarts": killed here, as a restart would. */
async function restartAllowed(s: Opened): Promise<string> {
  const q = await askRestart(s);
  s.host.answer(q.id, true);
  await s.host.next((l) => typeof l.notice === "string" && l.notice.startsWith("Restarting"));
  const exec = autostartCommand(s.dir);
  s.host.child.kill("SIGKILL");
  return exec;
}

describe.skipIf(!hasChromium)("the customer's computer in the console", () => {
  test("R-T5: inside the window the restarted host rejoins the same session; the viewer closes meanwhile and the chat stays", async () => {
    const s = await session("Rex Reboot");
    const exec = await restartAllowed(s);
    const timer = computer(s).getByRole("timer");
    await expect.poll(() => timer.textContent()).toMatch(/Waiting for the computer to restart — 0:\d\d left/);
    expect(await page.locator(`#panel-${s.sessionId} .viewer canvas`).count()).toBe(0);
    // The chat stays while the computer is away.
    await s.customer.ok({ type: "chat.send", sessionId: s.sessionId, text: "still here on my phone" });
    await page.locator(`#panel-${s.sessionId}`).getByText("still here on my phone").waitFor();
    hostProcess(["sh", "-c", exec], s.env, cleanups);
    await status(s, "The customer's computer is back; the session continues.");
    expect(await timer.isHidden()).toBe(true);
    await page
      .locator(`#panel-${s.sessionId}`)
      .getByText("The customer's computer is back; the session continues")
      .waitFor();
  });

  test("R-T5: the customer refuses — said in the console and in both chats", async () => {
    const s = await session("Ruth Refuse");
    const q = await askRestart(s);
    s.host.answer(q.id, false);
    await status(s, "The customer refused the restart.");
    await page
      .locator(`#panel-${s.sessionId}`)
      .getByText("The customer refused the restart")
      .first()
      .waitFor();
    await s.customer.next(
      (m) => m.type === "chat.line" && m.line.text === "The customer refused the restart",
    );
  });

  test("R-T5: not back within the window — the console says the session ended", async () => {
    const s = await session("Otto Outside");
    await restartAllowed(s);
    // The tab goes with the session; the console's notice says why.
    await page
      .locator(".toast")
      .filter({ hasText: "The computer did not come back within 0:12: the session has ended." })
      .waitFor({ timeout: windowMs + 10_000 });
    await s.customer.next((m) => m.type === "session.ended", 5_000);
  }, 40_000);

  test("R-T5: in Phone mode the agent's dialog cancels the reconnection, which ends the session", async () => {
    const s = await session("Phil Phone", "phone");
    await restartAllowed(s);
    const dialog = page.getByRole("dialog", { name: "Waiting for the customer's computer" });
    await dialog.getByRole("button", { name: "Cancel the reconnection" }).click();
    await s.customer.next((m) => m.type === "session.ended");
    await expect.poll(() => page.getByRole("tab", { name: "Session with Phil Phone" }).count()).toBe(0);
  });

  test("R-T4, R-T6: run as service, then credentials typed on the customer's machine — the agent sees only a badge, gone when revoked", async () => {
    const s = await session("Ada Admin");
    await computer(s).getByRole("button", { name: "Run as service" }).click();
    await page
      .getByRole("dialog", { name: "Run as service" })
      .getByRole("button", { name: "Ask the customer" })
      .click();
    const q = await s.host.next((l) => l.ask === "elevate");
    s.host.answer(q.id, { allow: true });
    await status(s, /Running as service with administrator rights/);
    await computer(s).getByText("Running as service (administrator)").waitFor();
    for (const name of ["Send Ctrl+Alt+Del", "Restart in safe mode", "Request credentials"])
      expect(await computer(s).getByRole("button", { name }).isVisible()).toBe(true);

    await computer(s).getByRole("button", { name: "Request credentials" }).click();
    const ask = await s.host.next((l) => l.ask === "credentials");
    const password = "Canary-pw-4711";
    s.host.answer(ask.id, { user: "ada", password });
    await status(s, /The customer entered credentials/);
    const held = computer(s).getByText("Credentials held on the customer's computer");
    await held.waitFor();
    expect(await page.content()).not.toContain(password);
    s.host.revoke("credentials");
    await status(s, "The customer revoked their credentials.");
    await held.waitFor({ state: "hidden" });
  });
});
