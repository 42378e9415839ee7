// Public face of the display: the back buffer with damage tracking, and the canvas sink it flips to.
export { canvasSink, type ImageTarget } from "./canvasSink.ts";
export { Display, type DisplayOptions, type DisplaySink, type FrameScheduler } from "./Display.ts";
export type { PixelKernels } from "./pixelKernels.ts";
