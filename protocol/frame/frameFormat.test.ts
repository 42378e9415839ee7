// R-D3 wire format: header and tile records survive writing and reading; every malformed frame is a typed error.
import * as Result from "effect/Result";
import { describe, expect, it } from "vitest";
import { allEncodings, Encoding, encodingName, isEncoding } from "./encodings.ts";
import { FrameDecodeError, type FrameDecodeReason } from "./errors.ts";
import { readFrame } from "./frameReader.ts";
import { FrameWriter } from "./frameWriter.ts";
import { readFrameHeader } from "./header.ts";
import { FRAME_HEADER_BYTES, TILE_HEADER_BYTES } from "./layout.ts";

const sample = (): Uint8Array => {
  const w = new FrameWriter();
  w.begin({ key: true, tileSize: 64, seq: 7, width: 130, height: 70 });
  w.addTile(0, 0, Encoding.SOLID, Uint8Array.of(1, 2, 3));
  w.addTile(2, 1, Encoding.LZ4, Uint8Array.of(9, 9, 9, 9, 9));
  return w.finish();
};

const reasonOf = (bytes: Uint8Array): FrameDecodeReason | "ok" => {
  const r = readFrame(bytes);
  return Result.isFailure(r) ? r.failure.reason : "ok";
};

const patched = (bytes: Uint8Array, at: number, value: number): Uint8Array => {
  const copy = bytes.slice();
  copy[at] = value;
  return copy;
};

describe("R-D3 frame format", () => {
  it("R-D3: writes and reads back the header and every tile record", () => {
    const r = readFrame(sample());
    expect(Result.isSuccess(r)).toBe(true);
    if (Result.isFailure(r)) return;
    expect(r.success.header).toEqual({
      key: true,
      tileSize: 64,
      seq: 7,
      width: 130,
      height: 70,
      tileCount: 2,
      bodyLength: 2 * TILE_HEADER_BYTES + 8,
    });
    expect(r.success.tiles.map((t) => [t.tx, t.ty, t.encoding, [...t.payload]])).toEqual([
      [0, 0, Encoding.SOLID, [1, 2, 3]],
      [2, 1, Encoding.LZ4, [9, 9, 9, 9, 9]],
    ]);
  });

  it("R-D3: an empty frame is just the 24-byte header", () => {
    const w = new FrameWriter();
    w.begin({ key: false, tileSize: 64, seq: 1, width: 1920, height: 1080 });
    expect(w.finish().length).toBe(FRAME_HEADER_BYTES);
  });

  it("R-D3: one table of wire numbers, each with a name", () => {
    expect(allEncodings).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(allEncodings.map(encodingName)).toEqual([
      "SOLID",
      "COPY",
      "XOR_DELTA_LZ4",
      "LZ4",
      "PNG",
      "PALETTE256",
      "PALETTE_RUN_DEFLATE",
      "PALETTE_RUN_LZ4",
      "PALETTE_RUN_DEFLATED_PALETTE",
      "CELL_DRAWS",
      "CELL_STORES",
    ]);
    expect(isEncoding(11)).toBe(false);
  });

  it("R-D3: a wrong magic, version, flag or size is refused by reason", () => {
    const bytes = sample();
    expect(reasonOf(patched(bytes, 0, 0x58))).toBe("BadMagic");
    expect(reasonOf(patched(bytes, 4, 2))).toBe("UnsupportedVersion");
    expect(reasonOf(patched(bytes, 5, 0x80))).toBe("BadHeader");
    expect(reasonOf(patched(bytes, 6, 0))).toBe("BadHeader");
    expect(reasonOf(patched(patched(bytes, 12, 0), 13, 0))).toBe("BadHeader");
  });

  it("R-D3: an unknown encoding is a typed UnknownEncoding error", () => {
    const r = readFrame(patched(sample(), FRAME_HEADER_BYTES + 4, 99));
    expect(Result.isFailure(r) && r.failure).toBeInstanceOf(FrameDecodeError);
    expect(reasonOf(patched(sample(), FRAME_HEADER_BYTES + 4, 99))).toBe("UnknownEncoding");
  });

  it("R-D3: a tile outside the grid is OutOfBounds", () => {
    expect(reasonOf(patched(sample(), FRAME_HEADER_BYTES, 3))).toBe("OutOfBounds");
    expect(reasonOf(patched(sample(), FRAME_HEADER_BYTES + 2, 2))).toBe("OutOfBounds");
  });

  it("R-D3: every truncation is Truncated and extra bytes are LengthMismatch", () => {
    const bytes = sample();
    for (let n = 0; n < bytes.length; n++) {
      expect(reasonOf(bytes.subarray(0, n)), `cut at ${n}`).toBe("Truncated");
    }
    expect(reasonOf(Uint8Array.of(...bytes, 0))).toBe("LengthMismatch");
  });

  it("R-D3: a body length that disagrees with the records is refused", () => {
    const bytes = sample();
    const longer = Uint8Array.of(...bytes, 0, 0);
    longer[20] = bytes[20]! + 2;
    expect(reasonOf(longer)).toBe("LengthMismatch");
    const countHigher = patched(bytes, 16, 3);
    expect(reasonOf(countHigher)).toBe("Truncated");
  });

  it("R-D3: random corruption never throws, it reads or fails with a reason", () => {
    let seed = 11;
    const prng = {
      int: (n: number) => {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        return (seed >>> 8) % n;
      },
    };
    const bytes = sample();
    for (let i = 0; i < 2000; i++) {
      const copy = bytes.slice(0, prng.int(bytes.length + 1));
      for (let k = 0; k < 3; k++) if (copy.length > 0) copy[prng.int(copy.length)] = prng.int(256);
      const r = readFrame(copy);
      if (Result.isFailure(r)) expect(r.failure._tag).toBe("FrameDecodeError");
    }
  });

  it("R-D3: the header can be read alone, and garbage fails as soon as the magic is seen", () => {
    expect(Result.isSuccess(readFrameHeader(sample().subarray(0, FRAME_HEADER_BYTES)))).toBe(true);
    const r = readFrameHeader(Uint8Array.of(1, 2, 3, 4));
    expect(Result.isFailure(r) && r.failure.reason).toBe("BadMagic");
  });
});
