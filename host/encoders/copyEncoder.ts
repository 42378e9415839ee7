// COPY: writes the rectangle the copy planner found (where it goes, its size, where it came from); reads no pixels.
import { Encoding, writeCopyPayload } from "../../protocol/frame/index.ts";
import type { TileEncoder } from "./tileEncoder.ts";

export const createCopyEncoder = (tileSize: number): TileEncoder => ({
  encoding: Encoding.COPY,
  encode: (tile) => (tile.copy === undefined ? undefined : writeCopyPayload(tile.copy, tileSize)),
});
