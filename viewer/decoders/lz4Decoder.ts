// LZ4: one raw LZ4 block of packed RGB pixels, drawn straight into the display.
import { decodeError, Encoding, RGB_BYTES } from "../../protocol/frame/index.ts";
import { decompressBlock } from "./lz4Block.ts";
import { Scratch } from "./scratch.ts";
import type { TileDecoder } from "./tileDecoder.ts";

export const createLz4Decoder = (): TileDecoder => {
  const scratch = new Scratch();
  return {
    encoding: Encoding.LZ4,
    needsReference: false,
    drawsOwnTile: true,
    draw: ({ record, rect, display }) => {
      const size = rect.width * rect.height * RGB_BYTES;
      const rgb = scratch.get(size);
      if (!decompressBlock(record.payload, rgb, size)) return decodeError("BadPayload", "corrupt LZ4 tile");
      display.putRgb(rect, rgb);
      return undefined;
    },
  };
};
