// Reads and writes the 24-byte frame header, validating everything that can be checked without the body.
import * as Result from "effect/Result";
import { decodeError, type FrameDecodeError } from "./errors.ts";
import {
  FLAG_KEY,
  FRAME_HEADER_BYTES,
  FRAME_MAGIC,
  FRAME_VERSION,
  KNOWN_FLAGS,
  SCREEN_MAX_PIXELS,
} from "./layout.ts";

export interface FrameHeader {
  /** Key frame: every tile is self-contained; the viewer starts from black. */
  readonly key: boolean;
  readonly tileSize: number;
  /** Frame sequence number, +1 per frame (wrapping at 2^32). */
  readonly seq: number;
  readonly width: number;
  readonly height: number;
  /** Number of tile records in the body. */
  readonly tileCount: number;
  /** Bytes after the header. */
  readonly bodyLength: number;
}

/** Writes `header` into the first 24 bytes of `out`. */
export const writeFrameHeader = (out: Uint8Array, header: FrameHeader): void => {
  const view = new DataView(out.buffer, out.byteOffset, FRAME_HEADER_BYTES);
  out.set(FRAME_MAGIC, 0);
  view.setUint8(4, FRAME_VERSION);
  view.setUint8(5, header.key ? FLAG_KEY : 0);
  view.setUint8(6, header.tileSize);
  view.setUint8(7, 0);
  view.setUint32(8, header.seq >>> 0, true);
  view.setUint16(12, header.width, true);
  view.setUint16(14, header.height, true);
  view.setUint32(16, header.tileCount, true);
  view.setUint32(20, header.bodyLength, true);
};

const hasMagic = (bytes: Uint8Array): boolean => FRAME_MAGIC.every((b, i) => bytes[i] === b);

/**
 * Reads the header at the start of `bytes` (which may hold more than one frame, or only the header).
 * Magic is checked as soon as four bytes are there, so a stream of garbage fails early.
 */
export const readFrameHeader = (bytes: Uint8Array): Result.Result<FrameHeader, FrameDecodeError> => {
  if (bytes.length >= FRAME_MAGIC.length && !hasMagic(bytes)) {
    return Result.fail(decodeError("BadMagic", "frame does not start with TNDF"));
  }
  if (bytes.length < FRAME_HEADER_BYTES) {
    return Result.fail(
      decodeError("Truncated", `header needs ${FRAME_HEADER_BYTES} bytes, got ${bytes.length}`),
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, FRAME_HEADER_BYTES);
  const version = view.getUint8(4);
  if (version !== FRAME_VERSION) {
    return Result.fail(decodeError("UnsupportedVersion", `version ${version}, expected ${FRAME_VERSION}`));
  }
  const flags = view.getUint8(5);
  const header: FrameHeader = {
    key: (flags & FLAG_KEY) !== 0,
    tileSize: view.getUint8(6),
    seq: view.getUint32(8, true),
    width: view.getUint16(12, true),
    height: view.getUint16(14, true),
    tileCount: view.getUint32(16, true),
    bodyLength: view.getUint32(20, true),
  };
  const problem = headerProblem(header, flags, view.getUint8(7));
  return problem === undefined ? Result.succeed(header) : Result.fail(decodeError("BadHeader", problem));
};

const headerProblem = (h: FrameHeader, flags: number, reserved: number): string | undefined => {
  if ((flags & ~KNOWN_FLAGS) !== 0) return `unknown flags 0x${flags.toString(16)}`;
  if (reserved !== 0) return "reserved byte is not zero";
  if (h.tileSize === 0) return "tile size 0";
  if (h.width === 0 || h.height === 0) return `empty screen ${h.width}×${h.height}`;
  if (h.width * h.height > SCREEN_MAX_PIXELS) return `screen ${h.width}×${h.height} too large`;
  return undefined;
};
