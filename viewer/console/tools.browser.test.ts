// Issue 7 in the console: the agent signs in to the real console in headless Chromium, answers a customer, and uses the
// session tools against a real server and a real ToolHost in this process (the customer's answers scripted, the
// clipboard an in-memory one): F6 clipboard (text and PNG images, both ways) to the host, the 1.5 MiB + 1 byte refusal, diagnostics with consent and
// refusal, a file each way with its SHA-256 checked (R-T1, R-T2, R-T3, R-V5).

import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ScriptedPrompt } from "../../host/tools/customerPrompt.ts";
import { RebootHook } from "../../host/tools/rebootHook.ts";
import { ToolHost } from "../../host/tools/toolHost.ts";
import { MemoryClipboard } from "../../host/tools/x11Clipboard.ts";
import { type TestServer, testServer } from "../../server/testing.ts";
import { hasChromium, launchChromium } from "../../testing/chromium.ts";
import { openSession } from "./consoleSession.testing.ts";

/** A small PNG of seeded colours: something a screenshot in a clipboard would be. */
function testPng(width: number, height: number, seed: number): Buffer {
  const png = new PNG({ width, height });
  for (let i = 0; i < png.data.length; i += 4) {
    png.data[i] = (i * seed) & 255;
    png.data[i + 1] = (i >> 3) & 255;
    png.data[i + 2] = (seed * 37) & 255;
    png.data[i + 3] = 255;
  }
  return PNG.sync.write(png);
}
const pixelsOf = (png: Buffer) => {
  const { width, height, data } = PNG.sync.read(png);
  return { width, height, data: createHash("sha256").update(data).digest("hex") };
};

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

let t: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let host: ToolHost;
let sessionId: string;
const clipboard = new MemoryClipboard();
const prompt = new ScriptedPrompt({ grant: async () => true });
const dir = mkdtempSync(join(tmpdir(), "tandem-console-tools-"));
const hostDest = join(dir, "received");

beforeAll(async () => {
  if (!hasChromium) return;
  t = await testServer({ alertDisplayMs: 120_000 });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  page = await context.newPage();
  page.on("pageerror", (e) => console.error("page error:", e));
  const { joined } = await openSession(page, t, "Tess Tools", "my printer");
  sessionId = joined.sessionId;

  const state = join(dir, "state");
  host = new ToolHost({
    server: t.wsUrl,
    sessionId,
    key: joined.host.sessionKey,
    prompt,
    clipboard,
    clipboardPreference: "auto",
    stateDir: state,
    hook: new RebootHook({
      stateDir: state,
      autostartDir: join(state, "autostart"),
      systemdUserDir: join(state, "systemd"),
      relaunch: ["tandem-host"],
      run: async () => ({ code: 0, output: "" }),
    }),
    hostCommand: ["tandem-host"],
  });
  await host.start();
  await page.getByRole("status").filter({ hasText: "the customer's computer is connected" }).waitFor();
}, 30_000);

afterAll(async () => {
  await host?.stop();
  await browser?.close();
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

const tools = () => page.locator(`#panel-${sessionId} section.tools`);

describe.skipIf(!hasChromium)("session tools in the console", () => {
  test("R-T2, R-V5: F6 sends the agent's browser clipboard; the customer's grant is asked first and the text lands on the host", async () => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: t.url });
    const text = "Grüße from the console ✓";
    await page.evaluate((x) => navigator.clipboard.writeText(x), text);
    await page.locator(`#panel-${sessionId} .composer`).focus();
    await page.keyboard.press("F6");
    await tools().getByRole("status").filter({ hasText: "Clipboard sent to the customer" }).waitFor();
    expect(prompt.asked).toContain("grant");
    await expect.poll(() => clipboard.content?.data.toString("utf8")).toBe(text);
  });

  test("R-T2: the customer sends their clipboard; accepted in the console, it lands in the agent's clipboard", async () => {
    clipboard.content = { mime: "text/plain;charset=utf-8", data: Buffer.from("from the customer ✓") };
    const sent = host.sendClipboard();
    const row = tools().locator("li.transfer.receive", { hasText: "the shared clipboard" });
    await row.getByRole("button", { name: "Accept" }).click();
    expect((await sent).ok).toBe(true);
    await tools()
      .getByRole("status")
      .filter({ hasText: "The customer's clipboard (21 bytes) was copied to yours." })
      .waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe("from the customer ✓");
  });

  test("R-T2: an image (PNG) in the agent's clipboard lands on the host as an image, pixel for pixel", async () => {
    const png = testPng(40, 24, 7);
    await page.evaluate(async (b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      await navigator.clipboard.write([
        new ClipboardItem({ "image/png": new Blob([bytes], { type: "image/png" }) }),
      ]);
    }, png.toString("base64"));
    await page.locator(`#panel-${sessionId} .composer`).focus();
    await page.keyboard.press("F6");
    await tools().getByRole("status").filter({ hasText: "Clipboard sent to the customer" }).waitFor();
    await expect.poll(() => clipboard.content?.mime).toBe("image/png");
    // The browser may encode the PNG anew: the pixels are what must survive.
    expect(pixelsOf(clipboard.content!.data)).toEqual(pixelsOf(png));
  });

  test("R-T2: the customer's clipboard image is accepted in the console and lands in the agent's clipboard as an image", async () => {
    const png = testPng(32, 32, 11);
    clipboard.content = { mime: "image/png", data: png };
    const sent = host.sendClipboard();
    const row = tools().locator("li.transfer.receive", { hasText: "the shared clipboard" }).last();
    await row.getByRole("button", { name: "Accept" }).click();
    expect((await sent).ok).toBe(true);
    await tools()
      .getByRole("status")
      .filter({ hasText: `The customer's clipboard (${png.length} bytes) was copied to yours.` })
      .waitFor();
    const b64 = await page.evaluate(async () => {
      const [item] = await navigator.clipboard.read();
      const bytes = new Uint8Array(await (await item!.getType("image/png")).arrayBuffer());
      return btoa(String.fromCharCode(...bytes));
    });
    expect(pixelsOf(Buffer.from(b64, "base64"))).toEqual(pixelsOf(png));
  });

  test("R-T2: a clipboard of 1.5 MiB + 1 byte is refused with a clear message (text box when the browser may not read it)", async () => {
    await context.clearPermissions();
    const before = clipboard.content;
    await tools().getByRole("button", { name: "Send clipboard" }).click();
    const box = tools().getByLabel("Clipboard text to send");
    await box.waitFor();
    await box.fill("a".repeat(1_572_865));
    await tools().getByRole("button", { name: "Send this text" }).click();
    const refusal = tools().getByRole("status").filter({
      hasText: "The clipboard holds 1,572,865 bytes; at most 1,572,864 bytes (1.5 MiB) can be sent.",
    });
    await refusal.waitFor();
    expect(await refusal.getAttribute("data-kind")).toBe("error");
    // The clipboard was granted, so the server refused it and logged the refusal in the transcript.
    const lines = t.server.store.transcript(sessionId, true).map((l) => l.text);
    expect(lines.some((l) => l.includes("clipboard was refused") && l.includes("1,572,865"))).toBe(true);
    expect(clipboard.content).toBe(before);
    // Exactly 1.5 MiB is within the limit and lands.
    await box.fill("b".repeat(1_572_864));
    await tools().getByRole("button", { name: "Send this text" }).click();
    await tools()
      .getByRole("status")
      .filter({ hasText: "Clipboard sent to the customer (1572864 bytes" })
      .waitFor();
    await expect.poll(() => clipboard.content?.data.length).toBe(1_572_864);
  });

  test("R-T2: where the browser may not read the clipboard, an image pasted into the box goes at once", async () => {
    await context.clearPermissions();
    await tools().getByRole("button", { name: "Send clipboard" }).click();
    const box = tools().getByLabel("Clipboard text to send");
    await box.waitFor();
    const png = testPng(16, 8, 3);
    await box.evaluate((el, b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], "shot.png", { type: "image/png" }));
      el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
    }, png.toString("base64"));
    await tools()
      .getByRole("status")
      .filter({ hasText: `Clipboard sent to the customer (${png.length} bytes` })
      .waitFor();
    await expect.poll(() => clipboard.content?.data.equals(png)).toBe(true);
    expect(clipboard.content?.mime).toBe("image/png");
  });

  test("R-T3: diagnostics — waiting for consent, then the customer's real data is received and shown", async () => {
    let consent!: (yes: boolean) => void;
    prompt.answers.diagnosticsConsent = () => new Promise<boolean>((r) => (consent = r));
    prompt.answers.diagnosticsChoice = async () => "send";
    await tools().getByRole("button", { name: "Request diagnostics" }).click();
    const status = tools().locator(".tools-diag-status");
    await expect.poll(() => status.getAttribute("data-state")).toBe("waiting");
    expect(await status.textContent()).toContain("waiting for the customer's consent");
    await expect.poll(() => typeof consent).toBe("function");
    consent(true);
    await expect.poll(() => status.getAttribute("data-state"), { timeout: 10_000 }).toBe("received");
    expect(await status.textContent()).toBe("Diagnostics received.");
    const report = tools().locator(".diag-report");
    await report.getByText("Diagnostics of the customer's computer").waitFor();
    const osName = /^PRETTY_NAME="?(.*?)"?$/m.exec(readFileSync("/etc/os-release", "utf8"))?.[1] ?? "";
    await expect.poll(() => report.locator(".diag-os").textContent()).toContain(osName);
    // Long lists are folded; the summary says how many.
    expect(await report.locator(".diag-processes").getAttribute("open")).toBeNull();
    expect(await report.locator(".diag-processes summary").textContent()).toMatch(
      /Running processes \(\d+\)/,
    );
  });

  test("R-T3: a refusal at the consent is shown", async () => {
    prompt.answers.diagnosticsConsent = async () => false;
    await tools().getByRole("button", { name: "Request diagnostics" }).click();
    const status = tools().locator(".tools-diag-status");
    await expect.poll(() => status.getAttribute("data-state")).toBe("refused");
    expect(await status.textContent()).toBe("Diagnostics: the customer refused.");
    expect(await tools().locator(".diag-report").count()).toBe(0);
  });

  test("R-T1: a file sent from the console arrives on the host with a matching SHA-256, with progress and a completion notice", async () => {
    prompt.answers.files = async (offer) => ({
      accept: offer.files.map((_, i) => i),
      destination: hostDest,
    });
    const data = randomBytes(3 * 1_048_576 + 12_345);
    await tools()
      .locator("input.tools-files")
      .setInputFiles({ name: "report.bin", mimeType: "application/octet-stream", buffer: data });
    await tools().getByRole("status").filter({ hasText: "checked the SHA-256: it matches" }).waitFor();
    expect(sha256(readFileSync(join(hostDest, "report.bin")))).toBe(sha256(data));
    const row = tools().locator("li.transfer.send", { hasText: "report.bin" });
    expect(await row.getAttribute("data-state")).toBe("done");
    expect(await row.getByRole("progressbar", { name: "Progress of report.bin" }).getAttribute("value")).toBe(
      String(data.length),
    );
  });

  test("R-T1: a folder sent from the console arrives on the host with its subfolders, every file's SHA-256 checked", async () => {
    prompt.answers.files = async (offer) => ({
      accept: offer.files.map((_, i) => i),
      destination: hostDest,
    });
    const folder = join(dir, "outgoing", "logs");
    const files = {
      "a.txt": randomBytes(1_000),
      "sub/b.bin": randomBytes(200_000),
      "sub/deeper/c.txt": randomBytes(10),
    };
    for (const [path, data] of Object.entries(files)) {
      mkdirSync(join(folder, path, ".."), { recursive: true });
      writeFileSync(join(folder, path), data);
    }
    await tools().locator("input.tools-folder").setInputFiles(folder);
    await tools().getByRole("status").filter({ hasText: "3 file(s) sent" }).waitFor();
    for (const [path, data] of Object.entries(files))
      expect(sha256(readFileSync(join(hostDest, "logs", path)))).toBe(sha256(data));
  });

  test("R-T1: a file offered by the customer is ticked and accepted in the console, then downloads intact", async () => {
    const data = randomBytes(2 * 1_048_576 + 7);
    const local = join(dir, "from-customer.log");
    writeFileSync(local, data);
    const sent = host.sendFiles([local]);
    const row = tools().locator("li.transfer.receive", { hasText: "from-customer.log" });
    await row.getByRole("checkbox", { name: /from-customer\.log/ }).waitFor();
    expect(await row.getByRole("checkbox").isChecked()).toBe(true);
    await row.getByRole("button", { name: "Accept" }).click();
    expect((await sent).ok).toBe(true);
    const link = row.getByRole("link", { name: "Download from-customer.log" });
    await link.waitFor();
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    expect(download.suggestedFilename()).toBe("from-customer.log");
    expect(sha256(readFileSync(await download.path()))).toBe(sha256(data));
    expect(await row.getAttribute("data-state")).toBe("done");
  });

  test("R-T1: the customer revokes file transfer and the console says so; sending asks again", async () => {
    await host.revoke("files");
    await tools().getByRole("status").filter({ hasText: "The customer revoked file transfer." }).waitFor();
    prompt.answers.grant = async () => false;
    await tools()
      .locator("input.tools-files")
      .setInputFiles({ name: "second.txt", mimeType: "text/plain", buffer: Buffer.from("again") });
    await tools()
      .getByRole("status")
      .filter({ hasText: "The customer did not allow file transfer." })
      .waitFor();
    prompt.answers.grant = async () => true;
  });

  test("R-T1: a dropped connection mid-transfer resumes — console to host and host to console, hashes intact", async () => {
    // Console → host: the host's connection drops after its first chunk is on disk; the console goes on from there.
    prompt.answers.files = async (offer) => ({ accept: offer.files.map((_, i) => i), destination: hostDest });
    const up = randomBytes(20 * 1_048_576 + 3);
    host.files.once("progress", () => host.link.drop());
    await tools()
      .locator("input.tools-files")
      .setInputFiles({ name: "big-up.bin", mimeType: "application/octet-stream", buffer: up });
    await tools().getByRole("status").filter({ hasText: "checked the SHA-256: it matches" }).last().waitFor();
    await expect
      .poll(() => tools().locator("li.transfer.send", { hasText: "big-up.bin" }).getAttribute("data-state"))
      .toBe("done");
    expect(sha256(readFileSync(join(hostDest, "big-up.bin")))).toBe(sha256(up));
    // Host → console: the host drops after sending its first chunk; the console asks again from what it has.
    const down = randomBytes(20 * 1_048_576 + 5);
    const local = join(dir, "big-down.bin");
    writeFileSync(local, down);
    host.files.once("progress", () => host.link.drop());
    const sent = host.sendFiles([local]);
    const row = tools().locator("li.transfer.receive", { hasText: "big-down.bin" });
    await row.getByRole("button", { name: "Accept" }).click();
    expect((await sent).ok).toBe(true);
    const link = row.getByRole("link", { name: "Download big-down.bin" });
    await link.waitFor();
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    expect(sha256(readFileSync(await download.path()))).toBe(sha256(down));
    // Both really were interrupted and resumed (the server logs each resumption).
    const events = t.server.store
      .query("SELECT action FROM tool_events WHERE session_id = ?")
      .all(sessionId) as { action: string }[];
    expect(events.filter((e) => e.action === "resumed").length).toBeGreaterThanOrEqual(2);
    // 40 MiB through the browser's incremental SHA-256 with two drops: 15 s alone on a quiet 2-core machine.
  }, 60_000);
});
