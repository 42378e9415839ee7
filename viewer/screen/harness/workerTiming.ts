// Timing the decode worker without touching its code, for the benches: the worker's bundle is served to the page with
// a short preamble that stamps each frame received, each frame decoded and each animation frame's putImageData calls
// on the screen canvas, and reports them on a BroadcastChannel; the page hands them to Node.
import type { BrowserContext } from "playwright-core";

/**
 * One stamp from the decode worker; `at` is wall-clock ms (Date.now() in the worker, same clock as Node's): a frame
 * arrived from the page, was decoded, or a paint put the back buffer on the canvas. `probe` is 0xRRGGBB at the probe
 * pixel in what was painted (-1 without a probe).
 */
export type WorkerTiming =
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
  const probe = ${JSON.stringify(probe ?? null)};
  const received = [];
  let lastDone = 0;
  let appliedSeq = -1;
  self.addEventListener("message", (e) => {
    if (!e.data || e.data.type !== "frame") return;
    const seq = new DataView(e.data.bytes).getUint32(8, true);
    channel.postMessage({ type: "received", seq, at: Date.now() });
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
      channel.postMessage({ type: "decoded", seq: m.seq, decodeMs: t - start, at: Date.now() });
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
    channel.postMessage({ type: "painted", seq: appliedSeq, paintMs, at: Date.now(), probe: colour });
    paintMs = 0;
    last = null;
  };
})();
`;

/**
 * Serves every worker script matching `workerUrl` (a playwright URL glob) with the preamble, for the pages the context
 * opens from now on; the stamps land in the returned array as they come.
 */
export async function recordWorkerTimings(
  context: BrowserContext,
  workerUrl: string,
  probe?: Probe,
): Promise<WorkerTiming[]> {
  const timings: WorkerTiming[] = [];
  await context.exposeFunction("__tandemTiming", (m: WorkerTiming) => {
    timings.push(m);
  });
  // A string, not a function: tsx (the bench) would wrap named functions in a helper the page does not have.
  await context.addInitScript(
    `new BroadcastChannel(${JSON.stringify(CHANNEL)}).onmessage = (e) => window.__tandemTiming(e.data);`,
  );
  await context.route(workerUrl, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, body: preamble(probe) + (await response.text()) });
  });
  return timings;
}
