// Decode + paint in Chromium (issue 5, Speed: "decode + paint under 4 ms per frame in Chromium"). The frames
// `bench:codec` sends for its fixed 1920×1080 scenes, encoded beforehand by the host's FrameEncoder, are sent one at a
// time at 30 fps (three times over) over a WebSocket to the screen view in headless Chromium; its decode worker
// (WebAssembly kernels) decodes each into the back buffer and paints the damage on its OffscreenCanvas. The driver
// lets go of the browser while the frames flow (testing/detachableChromium.ts). The viewer's own cost, on an
// otherwise idle machine: in `bench:screen-latency` the host's encode, the server's relay and Xvfb
// share the 2 cores with it. Per case, one JSON line: bytes a frame, decode, paint, and decode + paint ms per frame
// (p50, p95), and whether the canvas ended pixel-exact; out/bench/decode.json and the plot out/bench/decode.svg.
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import * as Result from "effect/Result";
import type { WebSocket } from "ws";
import { FrameEncoder } from "../host/encoders/index.ts";
import { createImage, type RgbaImage } from "../protocol/frame/index.ts";
import { differingPixels } from "../testing/canvasPixels.ts";
import { hasChromium } from "../testing/chromium.ts";
import { type DetachableChromium, launchDetachableChromium } from "../testing/detachableChromium.ts";
import { nextMessage, serveHarness } from "../viewer/screen/harness/serve.ts";
import { recordWorkerTimings, type WorkerTiming } from "../viewer/screen/harness/workerTiming.ts";
import { type BenchCase, benchCases, HEIGHT, WIDTH } from "./codecScenes.ts";
import { type DecodeRow, decodePlotSvg } from "./decodePlot.ts";
import { summarise, writeResults } from "./stats.ts";

const TARGET_MS = 4;
const FRAME_INTERVAL_MS = 1000 / 30;
/** Each case's frames are sent this many times (each pass starts with its key frame): p95s of 100+ frames. */
const PASSES = 3;

interface Encoded {
  readonly seq: number;
  readonly bytes: Uint8Array;
  readonly records: Readonly<Record<string, number>>;
}

/** The case's frames as the host would send them, and the last picture (what the canvas must end showing). */
const encodeCase = (bench: BenchCase): { frames: Encoded[]; last: RgbaImage } => {
  const buffers = [createImage(WIDTH, HEIGHT), createImage(WIDTH, HEIGHT)];
  const encoder = new FrameEncoder();
  const frames: Encoded[] = [];
  for (let i = 0; i < bench.frames; i++) {
    const image = buffers[i % 2]!;
    bench.render(i, image);
    const r = encoder.encode(image);
    if (Result.isFailure(r)) throw r.failure;
    frames.push({ seq: r.success.seq, bytes: r.success.bytes.slice(), records: r.success.records });
  }
  return { frames, last: buffers[(bench.frames - 1) % 2]! };
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves with the first stamp from `from` on that `find` accepts. */
const stamp = async <T extends WorkerTiming>(
  timings: WorkerTiming[],
  from: number,
  find: (t: WorkerTiming) => t is T,
): Promise<T> => {
  const deadline = Date.now() + 5000;
  for (;;) {
    for (let i = from; i < timings.length; i++) if (find(timings[i]!)) return timings[i] as T;
    if (Date.now() > deadline) throw new Error("no timing stamp from the decode worker within 5 s");
    await sleep(1);
  }
};

/** Sends the case's frames with the driver detached (as an agent's browser, no DevTools copying each frame). */
const run = async (
  bench: BenchCase,
  browser: DetachableChromium,
  socket: WebSocket,
  timings: WorkerTiming[],
) => {
  const { frames, last } = encodeCase(bench);
  await browser.detach();
  const decodeMs: number[] = [];
  const paintMs: number[] = [];
  const decodePlusPaintMs: number[] = [];
  const bytes: number[] = [];
  const records: Record<string, number> = {};
  for (let pass = 0; pass < PASSES; pass++)
    for (const [i, frame] of frames.entries()) {
      const sentAt = performance.now();
      const from = timings.length;
      const ack = nextMessage<{ seq: number }>(socket, "ack");
      socket.send(frame.bytes);
      if ((await ack).seq !== frame.seq)
        throw new Error(`${bench.name}: frame ${frame.seq} acknowledged out of order`);
      const decoded = await stamp(
        timings,
        from,
        (t): t is Extract<WorkerTiming, { type: "decoded" }> => t.type === "decoded" && t.seq === frame.seq,
      );
      // A frame with no records but cell stores (which only read the picture) draws nothing: nothing is painted.
      const drawing = Object.entries(frame.records).some(([k, n]) => k !== "CELL_STORES" && n > 0);
      const painted = !drawing
        ? { paintMs: 0 }
        : await stamp(
            timings,
            from,
            (t): t is Extract<WorkerTiming, { type: "painted" }> =>
              t.type === "painted" && t.seq === frame.seq,
          );
      // The key frame and the warm-up frames (the JIT, the module's memory growing) are not counted, as in bench:codec.
      if (i > bench.warmupFrames) {
        decodeMs.push(decoded.decodeMs);
        paintMs.push(painted.paintMs);
        decodePlusPaintMs.push(decoded.decodeMs + painted.paintMs);
        bytes.push(frame.bytes.length);
        for (const [k, v] of Object.entries(frame.records)) records[k] = (records[k] ?? 0) + v;
      }
      await sleep(FRAME_INTERVAL_MS - (performance.now() - sentAt));
    }
  const page = (await browser.attach()).pages()[0]!;
  const differing = await differingPixels(page.locator("canvas.tandem-screen-canvas"), last);
  const decodePlusPaint = summarise(decodePlusPaintMs);
  return {
    case: bench.name,
    frames: bytes.length,
    bytesPerFrame: Math.round(bytes.reduce((a, b) => a + b, 0) / bytes.length),
    recordsPerFrame: Object.fromEntries(
      Object.entries(records).map(([k, v]) => [k, Math.round((v / bytes.length) * 100) / 100]),
    ),
    decodePerFrame: summarise(decodeMs),
    paintPerFrame: summarise(paintMs),
    decodePlusPaintPerFrame: decodePlusPaint,
    pixelExact: differing === 0,
    loadAverage1m: Math.round(loadavg()[0]! * 100) / 100,
    targetMs: TARGET_MS,
    meetsTarget: decodePlusPaint.p95Ms < TARGET_MS,
  };
};

const results: unknown[] = [];
// DECODE_CASES=full-screen,terminal runs only the cases whose name contains one of those words (no plot, no JSON file).
const only = process.env.DECODE_CASES?.split(",");
if (!hasChromium) {
  const skipped = {
    case: "decode + paint in Chromium",
    skipped: "needs chromium (apt-get install chromium)",
  };
  console.log(JSON.stringify(skipped));
  results.push(skipped);
} else {
  const harness = await serveHarness();
  const browser = await launchDetachableChromium({ width: WIDTH, height: HEIGHT });
  const {
    timings,
    started,
    close: stopTimings,
  } = await recordWorkerTimings(browser.context, "**/decodeWorker.js");
  try {
    const page = browser.context.pages()[0]!;
    page.on("pageerror", (e) => console.error("page error:", e));
    await page.goto(harness.url);
    const socket = await harness.page;
    // The driver lets go while frames flow: the worker has to be up, with its timing preamble, before that.
    await started();
    for (const bench of benchCases) {
      if (only !== undefined && !only.some((word) => bench.name.includes(word))) continue;
      const result = await run(bench, browser, socket, timings);
      console.log(JSON.stringify(result));
      results.push(result);
    }
  } finally {
    await stopTimings();
    await browser.close();
    await harness.close();
  }
}
// A partial run must not overwrite the whole run's figures.
if (only === undefined) {
  mkdirSync("out/bench", { recursive: true });
  writeFileSync(
    "out/bench/decode.svg",
    decodePlotSvg(
      "npm run bench:decode — decode + paint per frame in headless Chromium, 1920×1080",
      `p50 (bar) and p95 (tick); load average at the end: ${loadavg()[0]!.toFixed(2)}`,
      results.filter((r): r is DecodeRow => typeof r === "object" && r !== null && "decodePerFrame" in r),
      TARGET_MS,
    ),
  );
  writeResults("out/bench/decode.json", results);
}
