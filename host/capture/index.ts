// Public face of host capture: the CaptureSource interface and its X11, synthetic and recorded sources.
export {
  type CapturedFrame,
  type CaptureSource,
  type Monitor,
  type PointerCursor,
  singleMonitor,
} from "./captureSource.ts";
export { DIRTY_TILE_PX, DirtyTiles } from "./dirtyTiles.ts";
export { createFont, drawTextLine, fillGradient, fillNoise, fillRect, fillText, rgb } from "./paint.ts";
export { frameFileName, readPng, writePng } from "./pngFiles.ts";
export { createPrng, type Prng } from "./prng.ts";
export { RecordedSource, type RecordedSourceOptions } from "./recordedSource.ts";
export { recordFrames } from "./recorder.ts";
export {
  createTextWindow,
  renderScene,
  type Scene,
  type SceneWindow,
  scrollWindow,
  TITLE_BAR_PX,
  typeInWindow,
} from "./syntheticScene.ts";
export { SyntheticSource, type SyntheticSourceOptions } from "./syntheticSource.ts";
export { defaultX11SourceOptions, X11Source, type X11SourceOptions } from "./x11Source.ts";
