// Timing the decode worker without touching its code, for the benches: the worker's bundle is served to the page with
// a short preamble that stamps each frame received, each frame decoded and each animation frame's putImageData calls
// on the screen canvas, and reports them on a BroadcastChannel; the page sends them over a WebSocket of its own to
// Node — not through the driver, so the stamps keep coming when the driver has let go of the browser
// (testing/detachableChromium.ts). Not from the worker itself: Chromium's local network access checks block its
// socket, the worker's script having come from the driver (a fulfilled route) rather than from a loopback address.
import type { AddressInfo } from "node:net";
import type { BrowserContext } from "playwright-core";
import { WebSocketServer } from "ws";
import { waitUntil } from "../../../host/x11/testClient.ts";

/**
 * One stamp from the decode worker; `at` is wall-clock ms (Date.now() in the worker, same clock as Node's): a frame
 * arrived from the page, was decoded, or a paint put the back buffer on the canvas. `probe` is 0xRRGGBB at the probe
 * pixel in what was painted (-1 without a probe).
 */
export type WorkerTiming =
  | { type: "started"; at: number }
  | { type: "received"; seq: number; at: number }
  | { type: "decoded"; seq: number; decodeMs: number; at: number }
  | { type: "painted"; seq: number; paintMs: number; at: number; probe: number };

export type Probe = { x: number; y: number };

const CHANNEL = "tandem-screen-timing";

/**
 * The preamble: stamps decodes (postMessage "applied") and paints (the putImageData calls of one animation frame,
 * summed) without changing them.
 */
const preamble = (probe: Probe | undefined) => `
(() => {
  const channel = new BroadcastChannel(${JSON.stringify(CHANNEL)});
  const report = (m) => channel.postMessage(m);
  report({ type: "started", at: Date.now() });
  const probe = ${JSON.stringify(probe ?? null)};
  const received = [];
  let lastDone = 0;
  let appliedSeq = -1;
  self.addEventListener("message", (e) => {
    if (!e.data || e.data.type !== "frame") return;
    const seq = new DataView(e.data.bytes).getUint32(8, true);
    report({ type: "received", seq, at: Date.now() });
    // The decode's clock starts after this stamp's own post (≈ 0.3 ms), which is the bench's cost, not the viewer's.
    received.push(performance.now());
  });
  const post = self.postMessage.bind(self);
  self.postMessage = (m, ...rest) => {
    if (m && m.type === "applied") {
      const t = performance.now();
      const start = Math.max(received.shift() ?? t, lastDone);
      lastDone = t;
      appliedSeq = m.seq;
      report({ type: "decoded", seq: m.seq, decodeMs: t - start, at: Date.now() });
    }
    return post(m, ...rest);
  };
  // One stamp per animation frame: the Display paints each damaged region with its own putImageData.
  const proto = OffscreenCanvasRenderingContext2D.prototype;
  const put = proto.putImageData;
  let paintMs = 0;
  let last = null;
  proto.putImageData = function (image, ...rest) {
    const t0 = performance.now();
    const r = put.call(this, image, ...rest);
    if (last === null) queueMicrotask(stamp);
    paintMs += performance.now() - t0;
    last = image;
    return r;
  };
  const stamp = () => {
    let colour = -1;
    if (probe && probe.x < last.width && probe.y < last.height) {
      const i = (probe.y * last.width + probe.x) * 4;
      colour = (last.data[i] << 16) | (last.data[i + 1] << 8) | last.data[i + 2];
    }
    report({ type: "painted", seq: appliedSeq, paintMs, at: Date.now(), probe: colour });
    paintMs = 0;
    last = null;
  };
})();
`;

/** The page's end: the channel's stamps to Node's socket, in order, the ones before it opens queued. */
const relay = (sinkUrl: string) => `
(() => {
  const sink = new WebSocket(${JSON.stringify(sinkUrl)});
  const unsent = [];
  sink.onopen = () => unsent.splice(0).forEach((m) => sink.send(m));
  new BroadcastChannel(${JSON.stringify(CHANNEL)}).onmessage = (e) => {
    const m = JSON.stringify(e.data);
    if (sink.readyState === WebSocket.OPEN) sink.send(m);
    else unsent.push(m);
  };
})();
`;

export interface WorkerTimings {
  /** The stamps, in the order they came. */
  readonly timings: WorkerTiming[];
  /**
   * Resolves once a worker served with the preamble has started and its first stamp reached Node. Wait for it before
   * letting go of the browser: a worker script still being served then would be cut off, or served without the
   * preamble.
   */
  started(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Serves every worker script matching `workerUrl` (a playwright URL glob) with the preamble, for the pages the context
 * opens from now on; the stamps land in `timings` as they come.
 */
export async function recordWorkerTimings(
  context: BrowserContext,
  workerUrl: string,
  probe?: Probe,
): Promise<WorkerTimings> {
  const timings: WorkerTiming[] = [];
  const sink = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise((resolve) => sink.once("listening", resolve));
  sink.on("connection", (socket) =>
    socket.on("message", (data) => {
      timings.push(JSON.parse(data.toString()) as WorkerTiming);
    }),
  );
  // Strings, not functions: tsx (the bench) would wrap named functions in a helper the page does not have.
  await context.addInitScript(relay(`ws://127.0.0.1:${(sink.address() as AddressInfo).port}`));
  await context.route(workerUrl, async (route) => {
    try {
      const response = await route.fetch();
      await route.fulfill({ response, body: preamble(probe) + (await response.text()) });
    } catch (err) {
      // The driver let go (or the browser closed) while the script was on its way: `started` never resolves.
      console.error(`worker script not served with the timing preamble: ${(err as Error).message}`);
    }
  });
  return {
    timings,
    started: (timeoutMs = 10_000) =>
      waitUntil("the decode worker's start", () => timings.some((t) => t.type === "started"), timeoutMs),
    close: async () => {
      for (const socket of sink.clients) socket.terminate();
      await new Promise((resolve) => sink.close(resolve));
    },
  };
}
