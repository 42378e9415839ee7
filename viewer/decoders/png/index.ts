// Public face of the viewer's PNG path: the reader of PNG tiles (and of whole pictures, for the benches).
export { type DecodedImage, decodePng, PNG_MAX_PIXELS, readPng } from "./decodePng.ts";
