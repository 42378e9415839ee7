// Screen latency benchmark (issue 5, Speed): capture-to-paint end to end on loopback — a real X client on Xvfb
// repaints a window in a new colour, the host grabs it (X11Source, MIT-SHM + DAMAGE) and sends it through the server
// to the agent's console in headless Chromium, whose decode worker paints it on the screen canvas. For each of ~50
// colour changes: capture-to-paint = the start of the host grab that first saw the colour → the end of the
// putImageData that first put it on the canvas (in the worker's animation frame); draw-to-paint = the X client
// issuing the repaint → that same paint (adds the wait for the next grab at the frame-rate cap). Also decode and
// paint ms per frame in Chromium, and where capture-to-paint goes (medians): the grab, grab → the decode worker has
// the frame (encode, send, relay, the browser's delivery), the worker's wait and decode, and the wait for the
// animation frame and the paint. The driver lets go of the browser before the changes start (as an agent's browser,
// it has no DevTools attached; testing/detachableChromium.ts). One JSON line per case, also saved to
// out/bench/screen-latency.json.
// Targets: capture-to-paint p95 < 50 ms; decode + paint < 4 ms per frame.
import { repaintWindow, waitUntil } from "../host/x11/testClient.ts";
import { findXvfb } from "../host/x11/xvfb.ts";
import { hasChromium } from "../testing/chromium.ts";
import { layout, type Rig, type RigOptions, startRig } from "../viewer/console/x11ConsoleRig.ts";
import type { WorkerTiming } from "../viewer/screen/harness/workerTiming.ts";
import { summarise, writeResults } from "./stats.ts";

const CHANGES = 50;
const WARMUP = 5;
const GAP_MS_MAX = 30;
const PROBE = { x: layout.probe.x + 10, y: layout.probe.y + 10 };

const results: unknown[] = [];
const report = (result: Record<string, unknown>) => {
  console.log(JSON.stringify(result));
  results.push(result);
};

/** A fixed sequence of distinct, non-black colours. */
const colourAt = (i: number) => ((i + 1) * 0x2f1d7b) & 0xffffff || 0x010101;

/** A small seeded generator, so the gaps between changes (and their phase against the frame cadence) repeat. */
const gaps = (seed: number) => () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return (seed % 1000) / 1000;
};

const painted = (t: WorkerTiming): t is Extract<WorkerTiming, { type: "painted" }> => t.type === "painted";
const decoded = (t: WorkerTiming): t is Extract<WorkerTiming, { type: "decoded" }> => t.type === "decoded";
const received = (t: WorkerTiming): t is Extract<WorkerTiming, { type: "received" }> => t.type === "received";

/** Capture-to-paint of one change, cut at the frame's stamps (ms); undefined when a stamp is missing. */
const stagesOf = (rig: Rig, grab: Rig["grabs"][number], paintedAt: number) => {
  const seq = rig.grabs.indexOf(grab);
  const arrived = rig.timings.find((t) => received(t) && t.seq === seq);
  const done = rig.timings.find((t) => decoded(t) && t.seq === seq);
  if (!arrived || !done) return undefined;
  return {
    grab: grab.endedAt - grab.startedAt,
    grabbedToReceived: arrived.at - grab.endedAt,
    receivedToDecoded: done.at - arrived.at,
    decodedToPainted: paintedAt - done.at,
  };
};

/**
 * `busy`: each change also redraws a large window: "document" shows a new page of text (an office frame), "photo" a
 * gradient-and-speckle texture — a worst case: about 220 tiles a frame at 1280×720 that neither a palette nor a copy
 * can take (LZ4 when the frame is sent for speed, PNG on a slow link) — and "scroll" scrolls a page of text by a line
 * (copies of the window's content and the new line).
 */
const busyWords = {
  photo: "photo-like redraw",
  document: "new page of text",
  scroll: "text scrolled by a line",
};

const runCase = async (width: number, height: number, fps: number, busy?: RigOptions["busy"]) => {
  const name = `console on Xvfb ${width}×${height}, ${fps} fps cap, ${busy ? `${busy.width}×${busy.height} ${busyWords[busy.kind]} + ` : ""}64×64 colour change`;
  const rig: Rig = await startRig({
    width,
    height,
    framesPerSecondMax: fps,
    probe: PROBE,
    ...(busy ? { busy } : {}),
  });
  try {
    await waitUntil("the first paint", () => rig.timings.some(painted), 10_000);
    // An agent's browser has no driver: with playwright attached, DevTools copies each frame to it as base64.
    await rig.detachDriver();
    const next = gaps(42);
    const captureToPaint: number[] = [];
    const drawToPaint: number[] = [];
    const stages: NonNullable<ReturnType<typeof stagesOf>>[] = [];
    let measuredFrom = 0;
    for (let i = 0; i < WARMUP + CHANGES; i++) {
      if (i === WARMUP) measuredFrom = rig.timings.length;
      const colour = colourAt(i);
      const issuedAt = Date.now();
      if (busy) rig.showBusy(i + 1);
      await repaintWindow(rig.app, rig.probeWindow, colour);
      await waitUntil(
        `colour ${i} painted`,
        () => rig.timings.some((t) => painted(t) && t.probe === colour),
        5000,
        1,
      );
      const grab = rig.grabs.find((g) => g.probe === colour);
      const paint = rig.timings.find((t) => painted(t) && t.probe === colour);
      if (!grab || !paint) throw new Error(`colour ${i}: no grab or paint stamp`);
      if (i >= WARMUP) {
        captureToPaint.push(paint.at - grab.startedAt);
        drawToPaint.push(paint.at - issuedAt);
        const cut = stagesOf(rig, grab, paint.at);
        if (cut) stages.push(cut);
      }
      const gap = next() * GAP_MS_MAX;
      await new Promise((resolve) => setTimeout(resolve, gap));
    }
    // Decode ms per frame, paint ms per animation frame, and decode + paint per painted frame (the frames a paint
    // carried, usually one, plus the paint).
    const window = rig.timings.slice(measuredFrom);
    const decodes = window.filter(decoded);
    const paints = window.filter(painted);
    const decodePlusPaint: number[] = [];
    let lastSeq = -1;
    for (const p of paints) {
      const carried = decodes.filter((d) => d.seq > lastSeq && d.seq <= p.seq);
      if (carried.length === 0) continue;
      decodePlusPaint.push(carried.reduce((sum, d) => sum + d.decodeMs, 0) / carried.length + p.paintMs);
      lastSeq = p.seq;
    }
    report({
      case: name,
      changes: CHANGES,
      framesSent: rig.host.stats.framesSent,
      megabytesSent: Math.round(rig.host.stats.bytesSent / 1e4) / 100,
      records: rig.host.stats.records,
      captureToPaint: summarise(captureToPaint),
      drawToPaint: summarise(drawToPaint),
      decodePerFrame: summarise(decodes.map((d) => d.decodeMs)),
      paintPerFrame: summarise(paints.map((p) => p.paintMs)),
      decodePlusPaintPerFrame: summarise(decodePlusPaint),
      captureToPaintMedianMs: Object.fromEntries(
        (["grab", "grabbedToReceived", "receivedToDecoded", "decodedToPainted"] as const).map((k) => [
          k,
          summarise(stages.map((s) => s[k])).p50Ms,
        ]),
      ),
      targets: { captureToPaintP95Ms: 50, decodePlusPaintMs: 4 },
      meetsTargets: summarise(captureToPaint).p95Ms < 50 && summarise(decodePlusPaint).p95Ms < 4,
    });
  } finally {
    await rig.close();
  }
};

if (findXvfb() === undefined || !hasChromium) {
  report({ case: "screen latency", skipped: "needs Xvfb and chromium (apt-get install xvfb chromium)" });
} else {
  // SCREEN_LATENCY_CASES=document,photo runs only the cases whose name has one of those words.
  const only = process.env.SCREEN_LATENCY_CASES?.split(",");
  const wanted = (words: string) => only === undefined || only.some((w) => words.includes(w));
  if (wanted("small 640")) await runCase(640, 360, 30);
  if (wanted("small 1080")) await runCase(1920, 1080, 30);
  if (wanted("small 1080 60fps")) await runCase(1920, 1080, 60);
  if (wanted("document"))
    await runCase(1920, 1080, 30, { x: 560, y: 300, width: 1280, height: 720, kind: "document" });
  if (wanted("scroll"))
    await runCase(1920, 1080, 30, { x: 560, y: 300, width: 1280, height: 720, kind: "scroll" });
  if (wanted("photo"))
    await runCase(1920, 1080, 30, { x: 560, y: 300, width: 1280, height: 720, kind: "photo" });
}
writeResults("out/bench/screen-latency.json", results);
// The test server leaves a timer behind (the answered request's alert window, alertDisplayMs), which would keep
// this process up for two minutes after everything else has closed.
process.exit(0);
