// R-D3 streaming: frames cut at any byte, down to one byte at a time, come out whole and in order.
import * as Result from "effect/Result";
import { describe, expect, it } from "vitest";
import { Encoding, FrameWriter } from "../../protocol/frame/index.ts";
import { FrameStreamReader } from "./frameStream.ts";

const frame = (seq: number, payloadBytes: number): Uint8Array => {
  const w = new FrameWriter();
  w.begin({ key: seq === 0, tileSize: 64, seq, width: 200, height: 100 });
  w.addTile(
    seq % 4,
    0,
    Encoding.LZ4,
    new Uint8Array(payloadBytes).map((_, i) => i * seq),
  );
  return w.finish();
};

/** A fake socket that delivers `bytes` one byte per read. */
const singleBytes = function* (bytes: Uint8Array): Generator<Uint8Array> {
  for (let i = 0; i < bytes.length; i++) yield bytes.subarray(i, i + 1);
};

describe("R-D3 frame stream", () => {
  it("R-D3: fed one byte at a time, yields each frame exactly once, when its last byte arrives", () => {
    const messages = [frame(0, 300), frame(1, 0), frame(2, 5000), frame(3, 17)];
    const all = Uint8Array.from(messages.flatMap((m) => [...m]));
    const reader = new FrameStreamReader();
    const seen: number[] = [];
    let offset = 0;
    const boundaries = messages.map((m) => (offset += m.length));
    let at = 0;
    for (const byte of singleBytes(all)) {
      at++;
      const r = reader.push(byte);
      expect(Result.isSuccess(r)).toBe(true);
      if (Result.isFailure(r)) return;
      for (const f of r.success) {
        seen.push(f.header.seq);
        expect(at).toBe(boundaries[f.header.seq]);
        expect([...f.tiles[0]!.payload]).toEqual([
          ...new Uint8Array(f.tiles[0]!.payload.length).map((_, i) => i * f.header.seq),
        ]);
      }
    }
    expect(seen).toEqual([0, 1, 2, 3]);
    expect(reader.buffered).toBe(0);
  });

  it("R-D3: several frames in one chunk all come out", () => {
    const reader = new FrameStreamReader();
    const r = reader.push(
      Uint8Array.from([...frame(0, 10), ...frame(1, 10), ...frame(2, 10).subarray(0, 30)]),
    );
    expect(Result.isSuccess(r) && r.success.map((f) => f.header.seq)).toEqual([0, 1]);
    expect(reader.buffered).toBe(30);
  });

  it("R-D3: garbage fails with BadMagic, and the stream stays failed", () => {
    const reader = new FrameStreamReader();
    const first = reader.push(Uint8Array.of(1, 2, 3, 4, 5));
    expect(Result.isFailure(first) && first.failure.reason).toBe("BadMagic");
    const again = reader.push(frame(0, 1));
    expect(Result.isFailure(again) && again.failure.reason).toBe("BadMagic");
  });

  it("R-D3: a frame over maxFrameBytes fails with TooLarge before it is buffered", () => {
    const reader = new FrameStreamReader({ maxFrameBytes: 1000 });
    const r = reader.push(frame(0, 2000).subarray(0, 24));
    expect(Result.isFailure(r) && r.failure.reason).toBe("TooLarge");
  });

  it("R-D3: an unknown encoding inside a streamed frame is a typed error", () => {
    const bytes = frame(0, 4);
    bytes[24 + 4] = 200;
    const r = new FrameStreamReader().push(bytes);
    expect(Result.isFailure(r) && r.failure.reason).toBe("UnknownEncoding");
  });
});
