// Public face of the host encoders: the frame encoder, its options, and the per-encoding registry.
export { type EncodedFrame, FrameEncoder } from "./frameEncoder.ts";
export { type ColourMode, defaultFrameEncoderOptions, type FrameEncoderOptions } from "./options.ts";
export { PALETTE_256, quantize256 } from "./quantize256.ts";
export { createTileEncoders, type TileEncoders } from "./registry.ts";
export type { TileEncoder, TileInput } from "./tileEncoder.ts";
