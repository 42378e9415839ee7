// Messages between the screen view (main thread) and its decode worker.

export type ToWorker =
  | { type: "init"; canvas: OffscreenCanvas }
  /** One frame message as received from the relay. */
  | { type: "frame"; bytes: ArrayBuffer };

export type FromWorker =
  /** Which decoders the worker runs: WebAssembly kernels, or the TS fallback (a page policy forbidding WebAssembly). */
  | { type: "ready"; decoders: "wasm" | "ts" }
  | { type: "applied"; seq: number; width: number; height: number; key: boolean }
  /** The picture is lost (decode error, or a delta before any key frame): ask the host for a key frame. */
  | { type: "needKey"; reason: string };
