// Public face of the viewer decoders: the frame decoder, the stream reader, the registry and the PNG path.

export { type BlockInflater, createTsInflater } from "./blockInflater.ts";
export { FrameDecoder } from "./frameDecoder.ts";
export { DEFAULT_MAX_FRAME_BYTES, type FrameStreamOptions, FrameStreamReader } from "./frameStream.ts";
export { decompressBlock } from "./lz4Block.ts";
export { type DecodedImage, decodePng, readPng } from "./png/index.ts";
export { createTileDecoders, type DecoderOptions, type TileDecoders } from "./registry.ts";
export type { Prepared, TileDecoder, TileJob } from "./tileDecoder.ts";
