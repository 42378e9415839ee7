// Public face of the viewer's PNG path: the pure-TS decoder and the interface a platform decoder must meet.
export { type DecodedImage, decodePng, PNG_MAX_PIXELS, type PngImageDecoder } from "./decodePng.ts";
