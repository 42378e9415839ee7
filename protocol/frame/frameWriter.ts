// Builds one frame message from tile records in a buffer reused across frames.
import * as Result from "effect/Result";
import type { Encoding } from "./encodings.ts";
import { encodeError, type FrameEncodeError } from "./errors.ts";
import { writeFrameHeader } from "./header.ts";
import { FRAME_HEADER_BYTES, TILE_HEADER_BYTES, TILE_PAYLOAD_MAX_BYTES } from "./layout.ts";

export interface FrameStart {
  readonly key: boolean;
  readonly tileSize: number;
  readonly seq: number;
  readonly width: number;
  readonly height: number;
}

export class FrameWriter {
  private buffer = new Uint8Array(64 * 1024);
  private length = FRAME_HEADER_BYTES;
  private tileCount = 0;
  private start: FrameStart | undefined;

  /** Starts a new frame, dropping anything written since the last `finish`. */
  begin(start: FrameStart): void {
    this.start = start;
    this.length = FRAME_HEADER_BYTES;
    this.tileCount = 0;
  }

  /** Appends one tile record. */
  addTile(
    tx: number,
    ty: number,
    encoding: Encoding,
    payload: Uint8Array,
  ): Result.Result<void, FrameEncodeError> {
    if (payload.length > TILE_PAYLOAD_MAX_BYTES) {
      return Result.fail(
        encodeError("PayloadTooLarge", `tile (${tx}, ${ty}) payload ${payload.length} bytes`),
      );
    }
    this.reserve(TILE_HEADER_BYTES + payload.length);
    const b = this.buffer;
    const at = this.length;
    b[at] = tx & 0xff;
    b[at + 1] = tx >>> 8;
    b[at + 2] = ty & 0xff;
    b[at + 3] = ty >>> 8;
    b[at + 4] = encoding;
    b[at + 5] = payload.length & 0xff;
    b[at + 6] = (payload.length >>> 8) & 0xff;
    b[at + 7] = payload.length >>> 16;
    b.set(payload, at + TILE_HEADER_BYTES);
    this.length = at + TILE_HEADER_BYTES + payload.length;
    this.tileCount++;
    return Result.void;
  }

  /** Writes the header and returns the message as a fresh array the caller owns. */
  finish(): Uint8Array {
    const start = this.start;
    if (start === undefined) throw new Error("FrameWriter.finish called before begin");
    writeFrameHeader(this.buffer, {
      ...start,
      tileCount: this.tileCount,
      bodyLength: this.length - FRAME_HEADER_BYTES,
    });
    this.start = undefined;
    return this.buffer.slice(0, this.length);
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + extra) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }
}
