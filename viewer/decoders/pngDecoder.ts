// PNG: decoded (asynchronously, before drawing starts) by an injected image decoder, then drawn as RGB.
import * as Result from "effect/Result";
import { decodeError, Encoding } from "../../protocol/frame/index.ts";
import type { PngImageDecoder } from "./png/index.ts";
import type { Prepared, TileDecoder } from "./tileDecoder.ts";

export const createPngDecoder = (decode: PngImageDecoder): TileDecoder => ({
  encoding: Encoding.PNG,
  needsReference: false,
  drawsOwnTile: true,
  prepare: async ({ record, rect }): Promise<Prepared> => {
    // An injected platform decoder may reject; that is still only a bad payload.
    const image = await decode(record.payload).catch(() =>
      Result.fail(decodeError("BadPayload", "PNG decoder failed")),
    );
    if (Result.isFailure(image)) return image.failure;
    const { width, height, rgb } = image.success;
    if (width !== rect.width || height !== rect.height) {
      return decodeError("BadPayload", `PNG is ${width}×${height}, tile is ${rect.width}×${rect.height}`);
    }
    return rgb;
  },
  draw: ({ rect, display }, rgb) => {
    if (rgb === undefined) return decodeError("BadPayload", "PNG drawn before it was decoded");
    display.putRgb(rect, rgb);
    return undefined;
  },
});
