// XOR_DELTA_LZ4: one raw LZ4 block of packed RGB XOR-ed onto the same tile of the previous frame.
import { decodeError, Encoding, RGB_BYTES } from "../../protocol/frame/index.ts";
import type { BlockInflater } from "./blockInflater.ts";
import type { TileDecoder } from "./tileDecoder.ts";

export const createXorDeltaLz4Decoder = (inflater: BlockInflater): TileDecoder => {
  return {
    encoding: Encoding.XOR_DELTA_LZ4,
    needsReference: true,
    drawsOwnTile: true,
    draw: ({ record, rect, display }) => {
      const delta = inflater.lz4(record.payload, rect.width * rect.height * RGB_BYTES);
      if (delta === undefined) return decodeError("BadPayload", "corrupt XOR delta tile");
      display.xorRgb(rect, delta);
      return undefined;
    },
  };
};
