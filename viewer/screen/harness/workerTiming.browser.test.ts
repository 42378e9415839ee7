// The benches' stamps from the decode worker (bench:decode, bench:screen-latency): once `started` resolves, the driver
// can let go of the browser and each frame's arrival, decode and paint still reach Node, in order.
import * as Result from "effect/Result";
import { expect, test } from "vitest";
import { FrameEncoder } from "../../../host/encoders/index.ts";
import { waitUntil } from "../../../host/x11/testClient.ts";
import { createImage } from "../../../protocol/frame/index.ts";
import { hasChromium } from "../../../testing/chromium.ts";
import { launchDetachableChromium } from "../../../testing/detachableChromium.ts";
import { nextMessage, serveHarness } from "./serve.ts";
import { recordWorkerTimings, type WorkerTiming } from "./workerTiming.ts";

const WIDTH = 320;
const HEIGHT = 192;

/** A picture whose probe pixel (10, 10) is `rgb`. */
const picture = (rgb: number) => {
  const image = createImage(WIDTH, HEIGHT);
  const words = new Uint32Array(image.data.buffer);
  words.fill(0xff000000 | ((rgb & 0xff) << 16) | (rgb & 0xff00) | (rgb >>> 16));
  return image;
};

test.skipIf(!hasChromium)(
  "the worker's start, then each frame received, decoded and painted, reach Node with the driver detached",
  async () => {
    const harness = await serveHarness();
    const browser = await launchDetachableChromium({ width: 800, height: 600 });
    const recorded = await recordWorkerTimings(browser.context, "**/decodeWorker.js", { x: 10, y: 10 });
    try {
      await browser.context.pages()[0]!.goto(harness.url);
      const socket = await harness.page;
      await recorded.started();
      await browser.detach();
      const encoder = new FrameEncoder();
      for (const [i, rgb] of [0x336699, 0xcc4411].entries()) {
        const r = encoder.encode(picture(rgb));
        if (Result.isFailure(r)) throw r.failure;
        const ack = nextMessage<{ seq: number }>(socket, "ack");
        socket.send(r.success.bytes);
        expect((await ack).seq).toBe(i);
        await waitUntil(
          `colour ${rgb.toString(16)} painted`,
          () => recorded.timings.some((t) => t.type === "painted" && t.probe === rgb),
          10_000,
        );
      }
      const kinds = (seq: number) =>
        recorded.timings.filter((t) => "seq" in t && t.seq === seq).map((t: WorkerTiming) => t.type);
      expect(recorded.timings[0]?.type).toBe("started");
      for (const seq of [0, 1]) expect(kinds(seq)).toEqual(["received", "decoded", "painted"]);
    } finally {
      await recorded.close();
      await browser.close();
      await harness.close();
    }
  },
);
