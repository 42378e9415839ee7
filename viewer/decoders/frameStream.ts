// Reassembles frame messages from a byte stream cut anywhere (down to single bytes) and yields whole frames.
import * as Result from "effect/Result";
import {
  decodeError,
  FRAME_HEADER_BYTES,
  type Frame,
  type FrameDecodeError,
  readFrame,
  readFrameHeader,
} from "../../protocol/frame/index.ts";

export interface FrameStreamOptions {
  /** Largest frame accepted, header included; a bigger one fails instead of buffering. */
  readonly maxFrameBytes?: number;
}

/** 64 MiB: a 4K key frame of incompressible pixels still fits. */
export const DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;

export class FrameStreamReader {
  private readonly maxFrameBytes: number;
  private buffer = new Uint8Array(4096);
  private start = 0;
  private end = 0;
  private failure: FrameDecodeError | undefined;

  constructor(options: FrameStreamOptions = {}) {
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  }

  /** Bytes received but not yet part of a complete frame. */
  get buffered(): number {
    return this.end - this.start;
  }

  /**
   * Feeds bytes; returns the frames they completed, in order (each owning its bytes). After an error
   * the stream has lost its framing: every later push fails with the same error.
   */
  push(chunk: Uint8Array): Result.Result<Frame[], FrameDecodeError> {
    if (this.failure !== undefined) return Result.fail(this.failure);
    this.append(chunk);
    const frames: Frame[] = [];
    for (;;) {
      const next = this.next();
      if (next === undefined) return Result.succeed(frames);
      if (Result.isFailure(next)) {
        this.failure = next.failure;
        return Result.fail(next.failure);
      }
      frames.push(next.success);
    }
  }

  /** The next complete frame, `undefined` when more bytes are needed. */
  private next(): Result.Result<Frame, FrameDecodeError> | undefined {
    const available = this.buffer.subarray(this.start, this.end);
    if (available.length === 0) return undefined;
    const header = readFrameHeader(available);
    if (Result.isFailure(header))
      return header.failure.reason === "Truncated" ? undefined : Result.fail(header.failure);
    const total = FRAME_HEADER_BYTES + header.success.bodyLength;
    if (total > this.maxFrameBytes) {
      return Result.fail(decodeError("TooLarge", `frame of ${total} bytes, limit ${this.maxFrameBytes}`));
    }
    if (available.length < total) return undefined;
    this.start += total;
    return readFrame(available.slice(0, total));
  }

  private append(chunk: Uint8Array): void {
    if (this.end + chunk.length > this.buffer.length) {
      const live = this.end - this.start;
      const size = Math.max(this.buffer.length, 2 ** Math.ceil(Math.log2(live + chunk.length)));
      const target = size > this.buffer.length ? new Uint8Array(size) : this.buffer;
      target.set(this.buffer.subarray(this.start, this.end), 0);
      this.buffer = target;
      this.start = 0;
      this.end = live;
    }
    this.buffer.set(chunk, this.end);
    this.end += chunk.length;
  }
}
