// Public face of the display: the back buffer with damage tracking, the canvas sink it flips to, and when it flips.
export { canvasSink, type ImageTarget } from "./canvasSink.ts";
export { Display, type DisplayOptions, type DisplaySink, type FrameScheduler } from "./Display.ts";
export { EagerFlips } from "./eagerFlips.ts";
export type { PixelKernels } from "./pixelKernels.ts";
