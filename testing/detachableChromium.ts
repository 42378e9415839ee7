// Headless Chromium that the driver can let go of, for the benches that time the screen viewer.
//
// While playwright is attached, DevTools' network instrumentation copies every WebSocket message the page receives to
// the driver, base64-encoded: measured here on 2026-12-07, a 1 MB frame reached the page in 27 ms (p95 107) with the
// driver attached and in 8 ms (p95 13) without, and Chromium spent 6.2 instead of 1.1 s of CPU on 60 such frames.
// An agent's browser has no driver, so a bench sets up the page, detaches, measures, and may attach again to check
// what the page shows. Chromium runs as its own process, reached over CDP; only its default context outlives a
// detach (contexts playwright creates are closed with the connection), and the window is sized to give the viewport.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium } from "playwright-core";
import { chromiumFlags, chromiumPath } from "./chromium.ts";

export interface DetachableChromium {
  /** The default context, while attached. */
  readonly context: BrowserContext;
  readonly attached: boolean;
  /** Connects the driver (again); the pages opened before are in `context.pages()`. */
  attach(): Promise<BrowserContext>;
  /** Disconnects the driver; the pages and their workers run on untouched. */
  detach(): Promise<void>;
  close(): Promise<void>;
}

export async function launchDetachableChromium(viewport: {
  width: number;
  height: number;
}): Promise<DetachableChromium> {
  const profile = mkdtempSync(join(tmpdir(), "tandem-chromium-"));
  const child: ChildProcess = spawn(
    chromiumPath,
    [
      ...chromiumFlags,
      "--headless",
      "--remote-debugging-port=0",
      `--user-data-dir=${profile}`,
      `--window-size=${viewport.width},${viewport.height}`,
      "--force-device-scale-factor=1",
      "about:blank",
    ],
    // Its own process group, so that closing it ends its renderers and helpers too.
    { stdio: ["ignore", "ignore", "pipe"], detached: true },
  );
  const killGroup = () => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  };
  process.once("exit", killGroup);
  const devTools = new Promise<string>((resolve, reject) => {
    let said = "";
    const timer = setTimeout(
      () => reject(new Error(`chromium did not open DevTools: ${said.slice(-500)}`)),
      20_000,
    );
    child.stderr?.on("data", (chunk: Buffer) => {
      said += chunk.toString();
      const found = /DevTools listening on (ws:\/\/\S+)/.exec(said);
      if (!found) return;
      clearTimeout(timer);
      child.stderr?.removeAllListeners("data");
      child.stderr?.resume();
      resolve(found[1]!);
    });
    child.once("exit", (code) =>
      reject(new Error(`chromium exited (${code}) before DevTools opened: ${said}`)),
    );
  });
  const endpoint = await devTools.catch((err: unknown) => {
    killGroup();
    process.off("exit", killGroup);
    rmSync(profile, { recursive: true, force: true, maxRetries: 10 });
    throw err;
  });
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  const attach = async () => {
    if (context) return context;
    browser = await chromium.connectOverCDP(endpoint);
    context = browser.contexts()[0];
    if (!context) throw new Error("chromium has no default context");
    return context;
  };
  const detach = async () => {
    const connected = browser;
    browser = undefined;
    context = undefined;
    await connected?.close();
  };
  await fitWindow(await attach(), viewport);
  return {
    get context() {
      if (!context) throw new Error("the driver is detached from chromium");
      return context;
    },
    get attached() {
      return context !== undefined;
    },
    attach,
    detach,
    close: async () => {
      await detach();
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        killGroup();
        await exited;
      } else killGroup();
      process.off("exit", killGroup);
      rmSync(profile, { recursive: true, force: true, maxRetries: 10 });
    },
  };
}

/** Grows the window by its frame, so the page's viewport is `viewport` (the window's size outlives the driver). */
async function fitWindow(
  context: BrowserContext,
  viewport: { width: number; height: number },
): Promise<void> {
  const page = context.pages()[0] ?? (await context.newPage());
  const cdp = await context.newCDPSession(page);
  const { windowId } = await cdp.send("Browser.getWindowForTarget");
  const [frameWidth, frameHeight] = await page.evaluate(() => [
    window.outerWidth - window.innerWidth,
    window.outerHeight - window.innerHeight,
  ]);
  await cdp.send("Browser.setWindowBounds", {
    windowId,
    bounds: { width: viewport.width + frameWidth!, height: viewport.height + frameHeight! },
  });
  await cdp.detach();
}
