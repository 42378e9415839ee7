// The TNDX chunk format: round trips, told apart from frames, typed errors for every malformed header.
import * as Result from "effect/Result";
import { describe, expect, test } from "vitest";
import { FRAME_MAGIC } from "../frame/index.ts";
import { CHUNK_HEADER_BYTES, isChunk, readChunkHeader, writeChunk } from "./chunk.ts";

const reason = (bytes: Uint8Array) => {
  const r = readChunkHeader(bytes);
  return Result.isFailure(r) ? r.failure.reason : "ok";
};

describe("R-T1 file chunks (TNDX)", () => {
  test("data and ack round-trip, offsets beyond 4 GiB included", () => {
    const payload = new Uint8Array([1, 2, 3]);
    const bytes = writeChunk(
      { kind: "data", transferId: 7, fileIndex: 2, offset: 5 * 2 ** 32 + 11 },
      payload,
    );
    expect(bytes.length).toBe(CHUNK_HEADER_BYTES + 3);
    const h = readChunkHeader(bytes);
    expect(Result.isSuccess(h) && h.success).toEqual({
      kind: "data",
      transferId: 7,
      fileIndex: 2,
      offset: 5 * 2 ** 32 + 11,
      length: 3,
    });
    expect([...bytes.subarray(CHUNK_HEADER_BYTES)]).toEqual([1, 2, 3]);
    const ack = readChunkHeader(writeChunk({ kind: "ack", transferId: 7, fileIndex: 2, offset: 4096 }));
    expect(Result.isSuccess(ack) && ack.success.kind).toBe("ack");
  });

  test("a frame (TNDF) is not a chunk, and a chunk is not a frame", () => {
    const frame = new Uint8Array(24);
    frame.set(FRAME_MAGIC, 0);
    expect(isChunk(frame)).toBe(false);
    expect(reason(frame)).toBe("NotAChunk");
    expect(isChunk(writeChunk({ kind: "ack", transferId: 1, fileIndex: 0, offset: 0 }))).toBe(true);
  });

  test("malformed headers are typed errors, never thrown", () => {
    const good = writeChunk({ kind: "data", transferId: 1, fileIndex: 0, offset: 0 }, new Uint8Array(4));
    expect(reason(good.subarray(0, 10))).toBe("LengthMismatch");
    expect(reason(good.subarray(0, good.length - 1))).toBe("LengthMismatch");
    const version = good.slice();
    version[4] = 2;
    expect(reason(version)).toBe("UnsupportedVersion");
    const kind = good.slice();
    kind[5] = 9;
    expect(reason(kind)).toBe("BadHeader");
    const ackWithPayload = writeChunk(
      { kind: "ack", transferId: 1, fileIndex: 0, offset: 0 },
      new Uint8Array(1),
    );
    expect(reason(ackWithPayload)).toBe("BadHeader");
  });
});
