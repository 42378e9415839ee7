// Byte layouts of the small structured payloads (SOLID, COPY, PALETTE256 head) and palette index packing.
import { Result } from "effect";
import { decodeError, type FrameDecodeError } from "./errors.ts";

/** SOLID payload: R, G, B. */
export const SOLID_PAYLOAD_BYTES = 3;

/** COPY payload: srcX u16, srcY u16, cols u16, rows u16 (little-endian). */
export const COPY_PAYLOAD_BYTES = 8;

/**
 * A COPY record's meaning: the `cols × rows` tiles whose top-left tile is the record's (tx, ty) take
 * the pixels of the same-sized rectangle at (srcX, srcY) of the previous frame (clipped to the screen).
 */
export interface CopyPayload {
  readonly srcX: number;
  readonly srcY: number;
  readonly cols: number;
  readonly rows: number;
}

export const writeCopyPayload = (p: CopyPayload): Uint8Array => {
  const out = new Uint8Array(COPY_PAYLOAD_BYTES);
  const view = new DataView(out.buffer);
  view.setUint16(0, p.srcX, true);
  view.setUint16(2, p.srcY, true);
  view.setUint16(4, p.cols, true);
  view.setUint16(6, p.rows, true);
  return out;
};

export const readCopyPayload = (bytes: Uint8Array): Result.Result<CopyPayload, FrameDecodeError> => {
  if (bytes.length !== COPY_PAYLOAD_BYTES) {
    return Result.fail(decodeError("BadPayload", `COPY payload is ${bytes.length} bytes, expected 8`));
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, COPY_PAYLOAD_BYTES);
  const cols = view.getUint16(4, true);
  const rows = view.getUint16(6, true);
  if (cols === 0 || rows === 0) return Result.fail(decodeError("BadPayload", "COPY of zero tiles"));
  return Result.succeed({ srcX: view.getUint16(0, true), srcY: view.getUint16(2, true), cols, rows });
};

/**
 * PALETTE256 payload: one byte (entries − 1), entries × R G B, then the indices as one raw LZ4 block.
 * Indices use the fewest of 1, 2, 4 or 8 bits that fit the entry count, most significant bits first,
 * each row starting on a whole byte.
 */
export const PALETTE_MAX_ENTRIES = 256;

export const paletteBitsPerIndex = (entries: number): 1 | 2 | 4 | 8 =>
  entries <= 2 ? 1 : entries <= 4 ? 2 : entries <= 16 ? 4 : 8;

/** Bytes of one packed index row. */
export const paletteRowBytes = (width: number, bits: number): number => Math.ceil((width * bits) / 8);

/** Offset of the LZ4 block inside a PALETTE256 payload with `entries` colours. */
export const paletteIndexOffset = (entries: number): number => 1 + entries * 3;
