// The benches' browser: the page it opened keeps running while the driver is detached, is there again when the driver
// attaches, and has the viewport asked for; closing ends the browser and removes its profile.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, test } from "vitest";
import { type WebSocket, WebSocketServer } from "ws";
import { hasChromium } from "./chromium.ts";
import { launchDetachableChromium } from "./detachableChromium.ts";

// The page answers each message on its socket with how many it has had, so Node sees it work with no driver.
const page = `<!doctype html><script>
let seen = 0;
const socket = new WebSocket("ws://" + location.host + "/ws");
socket.onmessage = () => socket.send(String(++seen));
</script>`;
const http = createServer((_, res) => res.writeHead(200, { "content-type": "text/html" }).end(page));
const wss = new WebSocketServer({ server: http, path: "/ws" });
let url = "";

beforeAll(async () => {
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await new Promise((resolve) => wss.close(resolve));
  await new Promise((resolve) => http.close(resolve));
});

const answer = (socket: WebSocket) =>
  new Promise<string>((resolve) => {
    socket.once("message", (data) => resolve(data.toString()));
    socket.send("ping");
  });

test.skipIf(!hasChromium)(
  "a page runs on with the driver detached, and is found again when it attaches",
  async () => {
    const browser = await launchDetachableChromium({ width: 900, height: 700 });
    try {
      const connected = new Promise<WebSocket>((resolve) => wss.once("connection", resolve));
      const tab = browser.context.pages()[0]!;
      await tab.goto(url);
      const socket = await connected;
      expect(await tab.evaluate(() => [window.innerWidth, window.innerHeight])).toEqual([900, 700]);
      expect(await answer(socket)).toBe("1");

      await browser.detach();
      expect(browser.attached).toBe(false);
      expect(() => browser.context).toThrow(/detached/);
      expect(await answer(socket)).toBe("2");
      expect(await answer(socket)).toBe("3");

      const again = (await browser.attach()).pages().find((p) => p.url() === url);
      expect(await again?.evaluate("seen")).toBe(3);
    } finally {
      await browser.close();
    }
  },
);
