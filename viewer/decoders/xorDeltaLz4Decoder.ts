// XOR_DELTA_LZ4: one raw LZ4 block of packed RGB XOR-ed onto the same tile of the previous frame.
import { decodeError, Encoding, RGB_BYTES } from "../../protocol/frame/index.ts";
import { decompressBlock } from "./lz4Block.ts";
import { Scratch } from "./scratch.ts";
import type { TileDecoder } from "./tileDecoder.ts";

export const createXorDeltaLz4Decoder = (): TileDecoder => {
  const scratch = new Scratch();
  return {
    encoding: Encoding.XOR_DELTA_LZ4,
    needsReference: true,
    drawsOwnTile: true,
    draw: ({ record, rect, display }) => {
      const size = rect.width * rect.height * RGB_BYTES;
      const delta = scratch.get(size);
      if (!decompressBlock(record.payload, delta, size))
        return decodeError("BadPayload", "corrupt XOR delta tile");
      display.xorRgb(rect, delta);
      return undefined;
    },
  };
};
