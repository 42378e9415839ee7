// R-D3: the frame decoder refuses, with a typed reason, every frame it cannot apply exactly.
import { deflateRawSync } from "node:zlib";
import * as Result from "effect/Result";
import { describe, expect, it } from "vitest";
import { createPrng } from "../../host/capture/prng.ts";
import { compressBlock } from "../../host/encoders/lz4Block.ts";
import { createTileEncoders } from "../../host/encoders/registry.ts";
import {
  CELL_ENTRY_BYTES,
  CELL_LIST_MAX,
  Encoding,
  FrameDecodeError,
  type FrameStart,
  FrameWriter,
  packCellDraws,
  packCellStores,
  writeCopyPayload,
} from "../../protocol/frame/index.ts";
import { Display } from "../display/index.ts";
import { FrameDecoder } from "./frameDecoder.ts";

type Record = [tx: number, ty: number, encoding: number, payload: Uint8Array];

const message = (start: Partial<FrameStart>, records: Record[]): Uint8Array => {
  const w = new FrameWriter();
  w.begin({ key: false, tileSize: 64, seq: 1, width: 128, height: 64, ...start });
  for (const [tx, ty, enc, payload] of records) w.addTile(tx, ty, enc as Encoding, payload);
  return w.finish();
};

const solid = (r: number): Uint8Array => Uint8Array.of(r, 0, 0);
const key = () =>
  message({ key: true, seq: 0 }, [
    [0, 0, Encoding.SOLID, solid(1)],
    [1, 0, Encoding.SOLID, solid(2)],
  ]);

const reasonAfterKey = async (bytes: Uint8Array): Promise<string> => {
  const decoder = new FrameDecoder(new Display());
  expect(Result.isSuccess(await decoder.apply(key()))).toBe(true);
  const r = await decoder.apply(bytes);
  return Result.isFailure(r) ? r.failure.reason : "ok";
};

describe("R-D3 frame decoder", () => {
  it("R-D3: applies a key frame and a following delta", async () => {
    expect(await reasonAfterKey(message({}, [[1, 0, Encoding.SOLID, solid(9)]]))).toBe("ok");
  });

  it("R-D3: an unknown encoding is a typed FrameDecodeError, not a fall-through", async () => {
    const bytes = message({}, [[1, 0, Encoding.SOLID, solid(9)]]);
    bytes[24 + 4] = 42;
    const r = await new FrameDecoder(new Display()).apply(bytes);
    expect(Result.isFailure(r) && r.failure).toBeInstanceOf(FrameDecodeError);
    expect(await reasonAfterKey(bytes)).toBe("UnknownEncoding");
  });

  it("R-D3: truncated frames and truncated payloads are typed errors", async () => {
    const bytes = message({}, [[1, 0, Encoding.SOLID, solid(9)]]);
    expect(await reasonAfterKey(bytes.subarray(0, bytes.length - 1))).toBe("Truncated");
    expect(await reasonAfterKey(message({}, [[1, 0, Encoding.SOLID, Uint8Array.of(1)]]))).toBe("BadPayload");
    const lz4 = createTileEncoders()[Encoding.LZ4].encode({
      width: 64,
      height: 64,
      pixels: new Uint32Array(4096),
      previous: undefined,
      copy: undefined,
    })!;
    expect(await reasonAfterKey(message({}, [[1, 0, Encoding.LZ4, lz4.subarray(0, lz4.length - 1)]]))).toBe(
      "BadPayload",
    );
  });

  it("R-D3: a delta needs the picture it was made against", async () => {
    const fresh = await new FrameDecoder(new Display()).apply(message({}, []));
    expect(Result.isFailure(fresh) && fresh.failure.reason).toBe("MissingReference");
    expect(await reasonAfterKey(message({ seq: 2 }, []))).toBe("OutOfSequence");
    expect(await reasonAfterKey(message({ width: 129 }, []))).toBe("SizeMismatch");
  });

  it("R-D3: a key frame may not refer to the previous frame", async () => {
    const copy = writeCopyPayload({ dstX: 0, dstY: 0, width: 1, height: 1, srcX: 5, srcY: 5 }, 64);
    const r = await new FrameDecoder(new Display()).apply(
      message({ key: true }, [[0, 0, Encoding.COPY, copy]]),
    );
    expect(Result.isFailure(r) && r.failure.reason).toBe("MissingReference");
  });

  it("R-D3: a COPY reaching off screen is OutOfBounds; a tile drawn twice is DuplicateTile", async () => {
    const off = writeCopyPayload({ dstX: 100, dstY: 0, width: 40, height: 10, srcX: 0, srcY: 0 }, 64);
    expect(await reasonAfterKey(message({}, [[1, 0, Encoding.COPY, off]]))).toBe("OutOfBounds");
    const offSource = writeCopyPayload({ dstX: 0, dstY: 0, width: 10, height: 10, srcX: 0, srcY: 60 }, 64);
    expect(await reasonAfterKey(message({}, [[0, 0, Encoding.COPY, offSource]]))).toBe("OutOfBounds");
    const twice: Record[] = [
      [1, 0, Encoding.SOLID, solid(3)],
      [1, 0, Encoding.SOLID, solid(4)],
    ];
    expect(await reasonAfterKey(message({}, twice))).toBe("DuplicateTile");
  });

  it("R-D3: COPY records read the old picture, moved together in place or each from a snapshot", async () => {
    // A 128×64 picture of noise, then frames of copies; each is checked against copies read from the old picture.
    const prng = createPrng(3);
    const noise = () => compressBlock(Uint8Array.from({ length: 64 * 64 * 3 }, () => prng.int(256)));
    type Copy = { srcX: number; srcY: number; dstX: number; dstY: number; width: number; height: number };
    const copyRecord = (c: Copy): Record => [
      Math.floor(c.dstX / 64),
      Math.floor(c.dstY / 64),
      Encoding.COPY,
      writeCopyPayload(c, 64),
    ];
    const cases: { name: string; copies: Copy[]; after?: Record[]; before?: Record[] }[] = [
      {
        // One scroll down by 5 rows, cut into overlapping pieces: the in-place move.
        name: "a scroll down in pieces",
        copies: [
          { srcX: 0, srcY: 0, dstX: 0, dstY: 5, width: 100, height: 40 },
          { srcX: 20, srcY: 15, dstX: 20, dstY: 20, width: 100, height: 44 },
          { srcX: 70, srcY: 4, dstX: 70, dstY: 9, width: 30, height: 50 },
        ],
        after: [[1, 0, Encoding.SOLID, solid(9)]],
      },
      {
        // A dragged window, up and to the left, in two overlapping pieces.
        name: "a move up and left in pieces",
        copies: [
          { srcX: 9, srcY: 5, dstX: 0, dstY: 0, width: 100, height: 40 },
          { srcX: 29, srcY: 20, dstX: 20, dstY: 15, width: 99, height: 44 },
        ],
      },
      {
        // Two regions swapped: no order can move them in place.
        name: "a swap",
        copies: [
          { srcX: 0, srcY: 0, dstX: 60, dstY: 10, width: 50, height: 30 },
          { srcX: 60, srcY: 10, dstX: 0, dstY: 0, width: 50, height: 30 },
        ],
      },
      {
        // A tile drawn before the copy that reads it: the copy still reads the old picture.
        name: "a copy after another record",
        before: [[0, 0, Encoding.SOLID, solid(7)]],
        copies: [{ srcX: 3, srcY: 2, dstX: 70, dstY: 30, width: 40, height: 30 }],
      },
    ];
    for (const { name, copies, before = [], after = [] } of cases) {
      const display = new Display();
      const decoder = new FrameDecoder(display);
      const keyFrame = message({ key: true, seq: 0 }, [
        [0, 0, Encoding.LZ4, noise()],
        [1, 0, Encoding.LZ4, noise()],
      ]);
      expect(Result.isSuccess(await decoder.apply(keyFrame))).toBe(true);
      const old = display.pixels.slice();
      const expected = old.slice();
      for (const c of copies)
        for (let y = 0; y < c.height; y++)
          for (let x = 0; x < c.width; x++)
            for (let k = 0; k < 4; k++)
              expected[((c.dstY + y) * 128 + c.dstX + x) * 4 + k] =
                old[((c.srcY + y) * 128 + c.srcX + x) * 4 + k]!;
      const drawn = (record: Record, picture: Uint8ClampedArray) => {
        const [tx, , , payload] = record;
        for (let y = 0; y < 64; y++)
          for (let x = tx * 64; x < tx * 64 + 64; x++)
            picture.set([payload[0]!, payload[1]!, payload[2]!, 255], (y * 128 + x) * 4);
      };
      // What the solid tiles draw: over the copies when after them; under them (and read by none) when before.
      for (const r of after) drawn(r, expected);
      if (before.length > 0) {
        const covered = expected.slice();
        for (const r of before) drawn(r, covered);
        for (const c of copies)
          for (let y = 0; y < c.height; y++)
            covered.set(
              expected.subarray(
                ((c.dstY + y) * 128 + c.dstX) * 4,
                ((c.dstY + y) * 128 + c.dstX + c.width) * 4,
              ),
              ((c.dstY + y) * 128 + c.dstX) * 4,
            );
        expected.set(covered);
      }
      const frame = message({ seq: 1 }, [...before, ...copies.map(copyRecord), ...after]);
      expect(Result.isSuccess(await decoder.apply(frame)), name).toBe(true);
      expect(Buffer.from(display.pixels).equals(Buffer.from(expected)), name).toBe(true);
    }
  });

  it("R-D3: cells kept from the picture are drawn from the cache; an empty slot, a key frame, a bad list are refused", async () => {
    const prng = createPrng(8);
    const noise = () => compressBlock(Uint8Array.from({ length: 64 * 64 * 3 }, () => prng.int(256)));
    const list = (entries: Uint8Array, count = entries.length / CELL_ENTRY_BYTES) => {
      const stream = deflateRawSync(entries);
      return Uint8Array.from([count & 0xff, count >> 8, ...stream]);
    };
    const stores = list(
      packCellStores([
        { x: 3, y: 5, width: 10, height: 7 },
        { x: 100, y: 40, width: 20, height: 20 },
      ]),
    );
    const draws = list(
      packCellDraws([
        { slot: 1, x: 0, y: 0 },
        { slot: 0, x: 70, y: 50 },
      ]),
    );
    const display = new Display();
    const decoder = new FrameDecoder(display);
    const keyFrame = (seq: number, extra: Record[] = []) =>
      message({ key: true, seq }, [[0, 0, Encoding.LZ4, noise()], [1, 0, Encoding.LZ4, noise()], ...extra]);
    expect(Result.isSuccess(await decoder.apply(keyFrame(0, [[0, 0, Encoding.CELL_STORES, stores]])))).toBe(
      true,
    );
    const kept = display.pixels.slice();
    expect(
      Result.isSuccess(await decoder.apply(message({ seq: 1 }, [[0, 0, Encoding.CELL_DRAWS, draws]]))),
    ).toBe(true);
    const at = (picture: Uint8ClampedArray, x: number, y: number) => [
      ...picture.subarray((y * 128 + x) * 4, (y * 128 + x) * 4 + 4),
    ];
    for (const [sx, sy, dx, dy, w, h] of [
      [100, 40, 0, 0, 20, 20],
      [3, 5, 70, 50, 10, 7],
    ] as const)
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++)
          expect(at(display.pixels, dx + x, dy + y)).toEqual(at(kept, sx + x, sy + y));
    const reasonOf = async (frame: Uint8Array) => {
      const r = await decoder.apply(frame);
      return Result.isFailure(r) ? r.failure.reason : "ok";
    };
    // Refused: draws in a key frame; after a key frame, the same draws (its cache is empty again).
    expect(await reasonOf(keyFrame(2, [[0, 0, Encoding.CELL_DRAWS, draws]]))).toBe("MissingReference");
    expect(await reasonOf(keyFrame(3))).toBe("ok");
    expect(await reasonOf(message({ seq: 4 }, [[0, 0, Encoding.CELL_DRAWS, draws]]))).toBe("BadPayload");
    // A cell off the picture, a list that inflates to another count, a count with no stream.
    expect(await reasonOf(keyFrame(5, [[0, 0, Encoding.CELL_STORES, stores]]))).toBe("ok");
    const off = list(packCellDraws([{ slot: 0, x: 125, y: 0 }]));
    expect(await reasonOf(message({ seq: 6 }, [[0, 0, Encoding.CELL_DRAWS, off]]))).toBe("OutOfBounds");
    expect(await reasonOf(keyFrame(7, [[0, 0, Encoding.CELL_STORES, stores]]))).toBe("ok");
    const miscounted = list(packCellDraws([{ slot: 0, x: 0, y: 0 }]), 2);
    expect(await reasonOf(message({ seq: 8 }, [[0, 0, Encoding.CELL_DRAWS, miscounted]]))).toBe("BadPayload");
    expect(await reasonOf(keyFrame(9, [[0, 0, Encoding.CELL_STORES, Uint8Array.of(1)]]))).toBe("BadPayload");
    const tooMany = list(new Uint8Array((CELL_LIST_MAX + 1) * CELL_ENTRY_BYTES));
    expect(await reasonOf(keyFrame(10, [[0, 0, Encoding.CELL_STORES, tooMany]]))).toBe("BadPayload");
  });

  it("R-D3: after an error every delta is refused until the next key frame", async () => {
    const decoder = new FrameDecoder(new Display());
    await decoder.apply(key());
    await decoder.apply(message({}, [[1, 0, Encoding.SOLID, Uint8Array.of(1)]]));
    expect(decoder.needsKeyFrame).toBe(true);
    const r = await decoder.apply(message({ seq: 2 }, []));
    expect(Result.isFailure(r) && r.failure.reason).toBe("MissingReference");
    expect(Result.isSuccess(await decoder.apply(message({ key: true, seq: 5 }, [])))).toBe(true);
    expect(Result.isSuccess(await decoder.apply(message({ seq: 6 }, [])))).toBe(true);
  });

  it("R-V6: a palette index past the palette is BadPayload", async () => {
    const encoders = createTileEncoders();
    const px = new Uint32Array(64 * 64).map((_, i) => (i % 3 ? 0xff0000ff : 0xff00ff00));
    const payload = encoders[Encoding.PALETTE256].encode({
      width: 64,
      height: 64,
      pixels: px,
      previous: undefined,
      copy: undefined,
    })!;
    payload[0] = 0; // claims one colour, but the indices use two
    expect(await reasonAfterKey(message({}, [[1, 0, Encoding.PALETTE256, payload]]))).toBe("BadPayload");
  });

  const runCompressors = [
    [Encoding.PALETTE_RUN_DEFLATE, (b: Uint8Array) => deflateRawSync(b)],
    [Encoding.PALETTE_RUN_LZ4, compressBlock],
  ] as const;
  describe.each(runCompressors)("R-D3 palette runs (encoding %i)", (runEncoding, compress) => {
    // A run over both tiles of the 128×64 screen: two colours (2 bits an index), the left half kept as it is.
    const runPayload = (
      tiles: number,
      colours = 2,
      index = (i: number) => (i % 128 < 64 ? 0 : 1 + (i % 2)),
    ) => {
      const bits = colours + 1 <= 2 ? 1 : colours + 1 <= 4 ? 2 : colours + 1 <= 16 ? 4 : 8;
      const rowBytes = Math.ceil((128 * bits) / 8);
      const packed = new Uint8Array(rowBytes * 64);
      for (let i = 0; i < 128 * 64; i++) {
        const x = i % 128;
        const y = (i - x) / 128;
        packed[y * rowBytes + ((x * bits) >> 3)]! |= index(i) << (8 - bits - ((x * bits) & 7));
      }
      const palette = [9, 9, 9, 200, 100, 50].slice(0, colours * 3);
      return Uint8Array.from([tiles, colours, ...palette, ...compress(packed)]);
    };

    it("R-D3: one record draws a run of tiles; index 0 keeps what the viewer holds", async () => {
      const display = new Display();
      const decoder = new FrameDecoder(display);
      expect(Result.isSuccess(await decoder.apply(key()))).toBe(true);
      const r = await decoder.apply(message({}, [[0, 0, runEncoding, runPayload(2)]]));
      expect(Result.isSuccess(r)).toBe(true);
      const at = (x: number, y: number) => [
        ...display.pixels.subarray((y * 128 + x) * 4, (y * 128 + x) * 4 + 3),
      ];
      expect(at(10, 10)).toEqual([1, 0, 0]); // kept: the key frame's SOLID
      expect(at(64, 0)).toEqual([9, 9, 9]);
      expect(at(65, 0)).toEqual([200, 100, 50]);
    });

    it("R-D3: a run off the screen, over another record's tile, corrupt or past its palette is refused", async () => {
      const run = (payload: Uint8Array, tx = 0): Record => [tx, 0, runEncoding, payload];
      expect(await reasonAfterKey(message({}, [run(runPayload(2), 1)]))).toBe("OutOfBounds");
      expect(await reasonAfterKey(message({}, [[1, 0, Encoding.SOLID, solid(3)], run(runPayload(2))]))).toBe(
        "DuplicateTile",
      );
      expect(await reasonAfterKey(message({}, [run(runPayload(0))]))).toBe("BadPayload");
      const corrupt = runPayload(2);
      corrupt.fill(0xff, 8, 12);
      expect(await reasonAfterKey(message({}, [run(corrupt)]))).toBe("BadPayload");
      expect(await reasonAfterKey(message({}, [run(runPayload(1))]))).toBe("BadPayload"); // 128 wide for 64
      const pastPalette = runPayload(2, 2, (i) => (i === 200 ? 3 : 1));
      expect(await reasonAfterKey(message({}, [run(pastPalette)]))).toBe("BadPayload"); // index 3 of 2
      expect(await reasonAfterKey(message({}, [run(Uint8Array.of(2))]))).toBe("BadPayload");
    });
  });

  describe("R-D3 palette runs with the palette in the stream (PALETTE_RUN_DEFLATED_PALETTE)", () => {
    const run = (payload: Uint8Array): Record => [0, 0, Encoding.PALETTE_RUN_DEFLATED_PALETTE, payload];
    /** Two tiles of the 128×64 screen: colours (200, 100, 50) then (9, 9, 9) as differences, 2 bits an index. */
    const payload = (colours = 2, index = (i: number) => (i % 128 < 64 ? 0 : 1 + (i % 2)), extra = 0) => {
      const bits = colours + 1 <= 2 ? 1 : colours + 1 <= 4 ? 2 : 8;
      const rowBytes = Math.ceil((128 * bits) / 8);
      const raw = new Uint8Array(colours * 3 + rowBytes * 64 + extra);
      // Reds 200, 9 → 200, −191; greens 100, 9 → 100, −91; blues 50, 9 → 50, −41 (mod 256).
      const deltas = [200, 256 - 191, 100, 256 - 91, 50, 256 - 41];
      for (let ch = 0; ch < 3; ch++)
        for (let k = 0; k < colours; k++) raw[ch * colours + k] = deltas[ch * 2 + k]!;
      for (let i = 0; i < 128 * 64; i++) {
        const x = i % 128;
        const y = (i - x) / 128;
        raw[colours * 3 + y * rowBytes + ((x * bits) >> 3)]! |= index(i) << (8 - bits - ((x * bits) & 7));
      }
      return Uint8Array.from([2, colours, ...deflateRawSync(raw)]);
    };

    it("R-D3: the palette is rebuilt from its differences; index 0 keeps what the viewer holds", async () => {
      const display = new Display();
      const decoder = new FrameDecoder(display);
      expect(Result.isSuccess(await decoder.apply(key()))).toBe(true);
      expect(Result.isSuccess(await decoder.apply(message({}, [run(payload())])))).toBe(true);
      const at = (x: number) => [...display.pixels.subarray(x * 4, x * 4 + 3)];
      expect(at(10)).toEqual([1, 0, 0]); // kept: the key frame's SOLID
      expect(at(64)).toEqual([200, 100, 50]);
      expect(at(65)).toEqual([9, 9, 9]);
    });

    it("R-D3: a cut head, a stream of the wrong size, a corrupt stream or an index past the palette is BadPayload", async () => {
      expect(await reasonAfterKey(message({}, [run(Uint8Array.of(2))]))).toBe("BadPayload");
      expect(await reasonAfterKey(message({}, [run(payload(2, undefined, 1))]))).toBe("BadPayload");
      const short = payload();
      expect(await reasonAfterKey(message({}, [run(short.subarray(0, short.length - 3))]))).toBe(
        "BadPayload",
      );
      const corrupt = payload();
      corrupt.fill(0xff, 4, 8);
      expect(await reasonAfterKey(message({}, [run(corrupt)]))).toBe("BadPayload");
      expect(await reasonAfterKey(message({}, [run(payload(2, (i) => (i === 200 ? 3 : 1)))]))).toBe(
        "BadPayload",
      );
      expect(await reasonAfterKey(message({}, [run(payload(2))]))).toBe("ok");
    });
  });
});
