// COPY: draws a block from a rectangle of the previous frame, read before anything of this frame is drawn.
import { Result } from "effect";
import { decodeError, Encoding, readCopyPayload } from "../../protocol/frame/index.ts";
import type { TileDecoder } from "./tileDecoder.ts";

export const createCopyDecoder = (): TileDecoder => ({
  encoding: Encoding.COPY,
  needsReference: true,
  span: (payload) => {
    const p = readCopyPayload(payload);
    return Result.isFailure(p) ? p.failure : { cols: p.success.cols, rows: p.success.rows };
  },
  // The snapshot is why overlapping moves (a scroll) and chains of copies read the old picture.
  prepare: ({ record, rect, display }) => {
    const p = readCopyPayload(record.payload);
    if (Result.isFailure(p)) return p.failure;
    const source = { x: p.success.srcX, y: p.success.srcY, width: rect.width, height: rect.height };
    if (!display.contains(source)) {
      return decodeError(
        "OutOfBounds",
        `COPY source (${source.x}, ${source.y}) ${rect.width}×${rect.height} off screen`,
      );
    }
    const pixels = new Uint8Array(rect.width * rect.height * 4);
    display.readRgba(source, pixels);
    return pixels;
  },
  draw: ({ rect, display }, snapshot) => {
    if (snapshot === undefined) return decodeError("BadPayload", "COPY drawn without its snapshot");
    display.putRgba(rect, snapshot);
    return undefined;
  },
});
