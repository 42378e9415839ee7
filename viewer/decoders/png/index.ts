// Public face of the viewer's PNG path: the PNG reader and the interface a platform decoder must meet.
export {
  createPngReader,
  type DecodedImage,
  decodePng,
  PNG_MAX_PIXELS,
  type PngImageDecoder,
} from "./decodePng.ts";
