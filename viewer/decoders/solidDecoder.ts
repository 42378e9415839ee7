// SOLID: fills the tile with one RGB colour.
import { decodeError, Encoding, SOLID_PAYLOAD_BYTES } from "../../protocol/frame/index.ts";
import type { TileDecoder } from "./tileDecoder.ts";

export const createSolidDecoder = (): TileDecoder => ({
  encoding: Encoding.SOLID,
  needsReference: false,
  drawsOwnTile: true,
  draw: ({ record, rect, display }) => {
    const p = record.payload;
    if (p.length !== SOLID_PAYLOAD_BYTES)
      return decodeError("BadPayload", `SOLID payload is ${p.length} bytes`);
    display.fillRgb(rect, p[0]!, p[1]!, p[2]!);
    return undefined;
  },
});
