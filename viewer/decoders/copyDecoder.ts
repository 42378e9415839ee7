// COPY: draws a rectangle from elsewhere in the previous frame, read before anything of this frame is drawn.
import * as Result from "effect/Result";
import { decodeError, Encoding, readCopyPayload } from "../../protocol/frame/index.ts";
import type { TileDecoder, TileJob } from "./tileDecoder.ts";

const read = ({ record, tileSize }: TileJob) =>
  readCopyPayload(record.payload, record.tx, record.ty, tileSize);

export const createCopyDecoder = (): TileDecoder => ({
  encoding: Encoding.COPY,
  needsReference: true,
  drawsOwnTile: false,
  // The snapshot is why overlapping moves (a scroll) and chains of copies all read the old picture.
  prepare: (job) => {
    const p = read(job);
    if (Result.isFailure(p)) return p.failure;
    const { dstX, dstY, width, height, srcX, srcY } = p.success;
    const source = { x: srcX, y: srcY, width, height };
    if (!job.display.contains({ x: dstX, y: dstY, width, height }) || !job.display.contains(source)) {
      return decodeError(
        "OutOfBounds",
        `COPY ${width}×${height} from (${srcX}, ${srcY}) to (${dstX}, ${dstY})`,
      );
    }
    const pixels = new Uint8Array(width * height * 4);
    job.display.readRgba(source, pixels);
    return pixels;
  },
  draw: (job, snapshot) => {
    const p = read(job);
    if (Result.isFailure(p)) return p.failure;
    if (snapshot === undefined) return decodeError("BadPayload", "COPY drawn without its snapshot");
    const { dstX, dstY, width, height } = p.success;
    job.display.putRgba({ x: dstX, y: dstY, width, height }, snapshot);
    return undefined;
  },
});
