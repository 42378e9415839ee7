// LZ4: one raw LZ4 block of packed RGB pixels, drawn straight into the display.
import { decodeError, Encoding, RGB_BYTES } from "../../protocol/frame/index.ts";
import type { BlockInflater } from "./blockInflater.ts";
import type { TileDecoder } from "./tileDecoder.ts";

export const createLz4Decoder = (lz4: BlockInflater): TileDecoder => {
  return {
    encoding: Encoding.LZ4,
    needsReference: false,
    drawsOwnTile: true,
    draw: ({ record, rect, display }) => {
      const rgb = lz4.inflate(record.payload, rect.width * rect.height * RGB_BYTES);
      if (rgb === undefined) return decodeError("BadPayload", "corrupt LZ4 tile");
      display.putRgb(rect, rgb);
      return undefined;
    },
  };
};
