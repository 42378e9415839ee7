// The binary file-chunk message (magic "TNDX"): file bytes and their acknowledgements, told apart from frames ("TNDF")
// by the first four bytes, so one binary channel can carry both. Layout in README.md; all integers little-endian.
import * as Data from "effect/Data";
import * as Result from "effect/Result";

export const CHUNK_MAGIC = new Uint8Array([0x54, 0x4e, 0x44, 0x58]); // "TNDX"
export const CHUNK_VERSION = 1;
export const CHUNK_HEADER_BYTES = 28;

/** What a chunk message carries: file bytes (sender → receiver) or how many bytes are safely written (receiver → sender). */
export const ChunkKind = { data: 0, ack: 1 } as const;
export type ChunkKindName = keyof typeof ChunkKind;

export interface ChunkHeader {
  kind: ChunkKindName;
  /** The transfer, as numbered by the server in its answer to `file.offer`. */
  transferId: number;
  /** The file within the offer. */
  fileIndex: number;
  /** data: where the payload starts in the file; ack: bytes of the file the receiver has written. */
  offset: number;
  /** Payload bytes (0 for an ack). */
  length: number;
}

export type ChunkErrorReason = "NotAChunk" | "UnsupportedVersion" | "BadHeader" | "LengthMismatch";

export class ChunkError extends Data.TaggedError("ChunkError")<{
  reason: ChunkErrorReason;
  message: string;
}> {}

/** Does this binary message start with the chunk magic (and not, say, a frame's "TNDF")? */
export function isChunk(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && CHUNK_MAGIC.every((b, i) => bytes[i] === b);
}

const kindByNumber = new Map<number, ChunkKindName>(
  Object.entries(ChunkKind).map(([k, v]) => [v, k as ChunkKindName]),
);

/** Writes a header and its payload into one message. Offsets up to 2^53 (files far beyond any disk). */
export function writeChunk(header: Omit<ChunkHeader, "length">, payload?: Uint8Array): Uint8Array {
  const length = payload?.length ?? 0;
  const out = new Uint8Array(CHUNK_HEADER_BYTES + length);
  writeChunkHeader(out, { ...header, length });
  if (payload) out.set(payload, CHUNK_HEADER_BYTES);
  return out;
}

/** Writes the header into the first 28 bytes of `out` (whose rest the caller fills, e.g. straight from a file read). */
export function writeChunkHeader(out: Uint8Array, header: ChunkHeader): void {
  const { length } = header;
  const view = new DataView(out.buffer, out.byteOffset, CHUNK_HEADER_BYTES);
  out.set(CHUNK_MAGIC, 0);
  view.setUint8(4, CHUNK_VERSION);
  view.setUint8(5, ChunkKind[header.kind]);
  view.setUint16(6, 0, true);
  view.setUint32(8, header.transferId >>> 0, true);
  view.setUint32(12, header.fileIndex >>> 0, true);
  view.setUint32(16, header.offset % 2 ** 32, true);
  view.setUint32(20, Math.floor(header.offset / 2 ** 32), true);
  view.setUint32(24, length, true);
}

/** Reads and checks a chunk's header; the payload is `bytes.subarray(CHUNK_HEADER_BYTES)`. */
export function readChunkHeader(bytes: Uint8Array): Result.Result<ChunkHeader, ChunkError> {
  const fail = (reason: ChunkErrorReason, message: string) =>
    Result.fail(new ChunkError({ reason, message }));
  if (!isChunk(bytes)) return fail("NotAChunk", "the message does not start with TNDX");
  if (bytes.length < CHUNK_HEADER_BYTES) return fail("LengthMismatch", "shorter than a chunk header");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint8(4) !== CHUNK_VERSION) return fail("UnsupportedVersion", `version ${view.getUint8(4)}`);
  const kind = kindByNumber.get(view.getUint8(5));
  if (!kind || view.getUint16(6, true) !== 0) return fail("BadHeader", "unknown kind or reserved bits set");
  const high = view.getUint32(20, true);
  if (high >= 2 ** 21) return fail("BadHeader", "offset beyond 2^53");
  const length = view.getUint32(24, true);
  if (bytes.length !== CHUNK_HEADER_BYTES + length)
    return fail("LengthMismatch", `header says ${length} payload bytes, message has ${bytes.length - 28}`);
  if (kind === "ack" && length !== 0) return fail("BadHeader", "an ack carries no payload");
  return Result.succeed({
    kind,
    transferId: view.getUint32(8, true),
    fileIndex: view.getUint32(12, true),
    offset: high * 2 ** 32 + view.getUint32(16, true),
    length,
  });
}
