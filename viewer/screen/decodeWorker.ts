// The decode worker: frames are decoded off the main thread into the Display's back buffer, and each damaged rect is
// drawn on the screen canvas (an OffscreenCanvas) as soon as the frame is whole, at most once per animation frame.
// LZ4 blocks inflate, and their pixels are drawn, in WebAssembly when the module instantiates (the back buffer then
// lives in its memory); the pure-TS decoders stay the fallback.

import kernels from "virtual:decode-kernels";
import * as Result from "effect/Result";
import { FrameDecoder } from "../decoders/index.ts";
import { WasmKernels } from "../decoders/wasm/index.ts";
import { Display, type DisplayOptions, EagerFlips } from "../display/index.ts";
import type { FromWorker, ToWorker } from "./workerProtocol.ts";

// The worker's global scope, as far as this file uses it (the project compiles against the DOM library, not WebWorker).
declare const self: {
  postMessage(message: FromWorker): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
};

let context: OffscreenCanvasRenderingContext2D | null = null;
let image: ImageData | null = null;
// Waiting for the next animation frame cost the photo-like bench frame 2–3 ms at the median and up to a refresh.
const flips = new EagerFlips((callback) => requestAnimationFrame(callback));

const options: DisplayOptions = {
  sink: {
    present(pixels, width, height, damage) {
      if (!context) return;
      const canvas = context.canvas;
      if (canvas.width !== width || canvas.height !== height) {
        canvas.width = width;
        canvas.height = height;
        image = null;
      }
      if (!image || image.data !== pixels)
        image = new ImageData(pixels as Uint8ClampedArray<ArrayBuffer>, width, height);
      context.putImageData(image, 0, 0, damage.x, damage.y, damage.width, damage.height);
    },
  },
  schedule: flips.schedule,
};
const post = (message: FromWorker) => self.postMessage(message);

// The first frame waits for the module (a few ms); a page whose policy forbids WebAssembly decodes in TS.
const decoder = WasmKernels.instantiate(kernels).then(
  (wasm) => {
    post({ type: "ready", decoders: "wasm" });
    return new FrameDecoder(new Display({ ...options, kernels: wasm }), { inflater: wasm });
  },
  (err: unknown) => {
    post({ type: "ready", decoders: "ts" });
    console.warn("tandem: WebAssembly decoders unavailable, decoding in TS", err);
    return new FrameDecoder(new Display(options));
  },
);

// Frames that arrive before the module is ready wait for it, in order.
let queue: Promise<unknown> = decoder;

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  if (message.type === "init") {
    context = message.canvas.getContext("2d", { alpha: false });
    return;
  }
  const bytes = new Uint8Array(message.bytes);
  queue = queue.then(async () => {
    const result = (await decoder).apply(bytes);
    if (Result.isSuccess(result)) {
      const { seq, width, height, key } = result.success;
      post({ type: "applied", seq, width, height, key });
      flips.frameDrawn();
    } else {
      post({ type: "needKey", reason: result.failure.message });
    }
  });
};
