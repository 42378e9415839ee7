// LZ4: one raw LZ4 block of packed RGB pixels, drawn straight into the display.
import { decodeError, Encoding, RGB_BYTES } from "../../protocol/frame/index.ts";
import type { BlockInflater } from "./blockInflater.ts";
import type { TileDecoder } from "./tileDecoder.ts";

export const createLz4Decoder = (inflater: BlockInflater): TileDecoder => {
  return {
    encoding: Encoding.LZ4,
    needsReference: false,
    drawsOwnTile: true,
    draw: ({ record, rect, display }) => {
      const rgb = inflater.lz4(record.payload, rect.width * rect.height * RGB_BYTES);
      if (rgb === undefined) return decodeError("BadPayload", "corrupt LZ4 tile");
      display.putRgb(rect, rgb);
      return undefined;
    },
  };
};
