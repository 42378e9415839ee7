// PNG: one zlib-compressed PNG of the tile's RGB pixels, read (inflated through the BlockInflater, filters undone in
// place) and drawn straight into the display.
import * as Result from "effect/Result";
import { decodeError, Encoding } from "../../protocol/frame/index.ts";
import type { BlockInflater } from "./blockInflater.ts";
import { readPng } from "./png/index.ts";
import type { TileDecoder } from "./tileDecoder.ts";

export const createPngDecoder = (inflater: BlockInflater): TileDecoder => ({
  encoding: Encoding.PNG,
  needsReference: false,
  drawsOwnTile: true,
  draw: ({ record, rect, display }) => {
    const image = readPng(record.payload, inflater);
    if (Result.isFailure(image)) return image.failure;
    const { width, height, rgb, rowBytes } = image.success;
    if (width !== rect.width || height !== rect.height) {
      return decodeError("BadPayload", `PNG is ${width}×${height}, tile is ${rect.width}×${rect.height}`);
    }
    display.putRgb(rect, rgb, rowBytes);
    return undefined;
  },
});
