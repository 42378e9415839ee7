// Splits one complete frame message into its header and tile records, checking structure but not pixels.
import * as Result from "effect/Result";
import { type Encoding, isEncoding } from "./encodings.ts";
import { decodeError, FrameDecodeError } from "./errors.ts";
import { tileGrid } from "./geometry.ts";
import { type FrameHeader, readFrameHeader } from "./header.ts";
import { FRAME_HEADER_BYTES, TILE_HEADER_BYTES } from "./layout.ts";

export interface TileRecord {
  readonly tx: number;
  readonly ty: number;
  readonly encoding: Encoding;
  /** A view into the frame message; copy it to keep it past the message's life. */
  readonly payload: Uint8Array;
}

export interface Frame {
  readonly header: FrameHeader;
  readonly tiles: readonly TileRecord[];
}

/** Reads a whole frame message: exactly one frame, no bytes missing and none left over. */
export const readFrame = (bytes: Uint8Array): Result.Result<Frame, FrameDecodeError> => {
  const headerResult = readFrameHeader(bytes);
  if (Result.isFailure(headerResult)) return Result.fail(headerResult.failure);
  const header = headerResult.success;
  const end = FRAME_HEADER_BYTES + header.bodyLength;
  if (bytes.length < end) {
    return Result.fail(decodeError("Truncated", `frame needs ${end} bytes, got ${bytes.length}`));
  }
  if (bytes.length > end) {
    return Result.fail(decodeError("LengthMismatch", `${bytes.length - end} bytes after the frame`));
  }
  const tiles = readTiles(bytes, header);
  return tiles instanceof FrameDecodeError ? Result.fail(tiles) : Result.succeed({ header, tiles });
};

const readTiles = (bytes: Uint8Array, header: FrameHeader): TileRecord[] | FrameDecodeError => {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const grid = tileGrid(header.width, header.height, header.tileSize);
  const end = bytes.length;
  const tiles: TileRecord[] = [];
  let at = FRAME_HEADER_BYTES;
  for (let i = 0; i < header.tileCount; i++) {
    if (at + TILE_HEADER_BYTES > end) return decodeError("Truncated", `tile ${i} header past the body`);
    const tx = view.getUint16(at, true);
    const ty = view.getUint16(at + 2, true);
    const encoding = view.getUint8(at + 4);
    const length = view.getUint8(at + 5) | (view.getUint8(at + 6) << 8) | (view.getUint8(at + 7) << 16);
    at += TILE_HEADER_BYTES;
    if (!isEncoding(encoding)) return decodeError("UnknownEncoding", `tile ${i} has encoding ${encoding}`);
    if (tx >= grid.cols || ty >= grid.rows) {
      return decodeError("OutOfBounds", `tile (${tx}, ${ty}) outside the ${grid.cols}×${grid.rows} grid`);
    }
    if (at + length > end) return decodeError("Truncated", `tile ${i} payload past the body`);
    tiles.push({ tx, ty, encoding, payload: bytes.subarray(at, at + length) });
    at += length;
  }
  if (at !== end) return decodeError("LengthMismatch", `${end - at} body bytes after the last tile`);
  return tiles;
};
