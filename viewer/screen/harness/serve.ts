// Serves the screen-view harness for a browser test: bundles the page and the decode worker with esbuild, serves them
// over HTTP, and gives the test the WebSocket of the one page that connects.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { type WebSocket, WebSocketServer } from "ws";
import { decodeKernelsPlugin } from "../../decoders/wasm/esbuildPlugin.ts";

export interface Harness {
  url: string;
  /** Resolves with the page's socket once it connects. */
  page: Promise<WebSocket>;
  close(): Promise<void>;
}

export async function serveHarness(): Promise<Harness> {
  const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
  const bundle = await build({
    entryPoints: { page: here("./page.ts"), decodeWorker: here("../decodeWorker.ts") },
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "chrome120",
    write: false,
    outdir: "/harness",
    logLevel: "silent",
    plugins: [decodeKernelsPlugin()],
  });
  const files = new Map(bundle.outputFiles.map((f) => [f.path.replace("/harness", ""), f.contents]));
  const http: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (path === "/") {
      res.writeHead(200, { "content-type": "text/html" });
      res.end(
        '<!doctype html><meta charset="utf-8"><title>screen</title><script type="module" src="/page.js"></script>',
      );
      return;
    }
    const body = files.get(path);
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": "text/javascript" });
    res.end(body);
  });
  const wss = new WebSocketServer({ server: http, path: "/ws" });
  const page = new Promise<WebSocket>((resolve) => wss.once("connection", resolve));
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/?ws=${encodeURIComponent(`ws://127.0.0.1:${port}/ws`)}`,
    page,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** Waits for the next JSON message of the given type from the page. */
export function nextMessage<T>(socket: WebSocket, type: string): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer, binary: boolean) => {
      if (binary) return;
      const message = JSON.parse(data.toString()) as T & { type: string };
      if (message.type !== type) return;
      socket.off("message", onMessage);
      resolve(message);
    };
    socket.on("message", onMessage);
  });
}
