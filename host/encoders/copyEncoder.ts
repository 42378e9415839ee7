// COPY: writes the block the copy planner found (source position and block size); it reads no pixels.
import { Encoding, writeCopyPayload } from "../../protocol/frame/index.ts";
import type { TileEncoder } from "./tileEncoder.ts";

export const createCopyEncoder = (): TileEncoder => ({
  encoding: Encoding.COPY,
  encode: (tile) => (tile.copy === undefined ? undefined : writeCopyPayload(tile.copy)),
});
