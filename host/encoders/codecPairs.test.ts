// R-D3 / R-V6: each tile encoder and its viewer decoder are mirror images, bit-exact on random tiles of every size.
import { describe, expect, it } from "vitest";
import {
  blockRect,
  Encoding,
  encodingName,
  FrameWriter,
  type RgbaImage,
} from "../../protocol/frame/index.ts";
import { createPrng, type Prng } from "../capture/prng.ts";
import { firstDifference, TestViewer } from "./codecTesting.ts";
import { createTileEncoders, type TileEncoding } from "./registry.ts";

type Kind = "noise" | "few" | "gradient" | "solid" | "text";
const KINDS: readonly Kind[] = ["noise", "few", "gradient", "solid", "text"];

const randomTile = (prng: Prng, w: number, h: number, kind: Kind): Uint32Array => {
  const colours = Array.from(
    { length: 1 + prng.int(kind === "few" ? 256 : 3) },
    () => prng.u32() | 0xff000000,
  );
  return new Uint32Array(w * h).map((_, i) => {
    const x = i % w;
    const y = (i - x) / w;
    if (kind === "noise") return prng.u32() | 0xff000000;
    if (kind === "gradient") return (0xff000000 | ((x * 4) << 16) | ((y * 4) << 8) | ((x + y) & 0xff)) >>> 0;
    if (kind === "solid") return colours[0]!;
    if (kind === "text") return prng.next() < 0.8 ? colours[0]! : colours[colours.length - 1]!;
    return colours[prng.int(colours.length)]!;
  });
};

const imageOf = (w: number, h: number, px: Uint32Array): RgbaImage => ({
  width: w,
  height: h,
  data: new Uint8Array(px.buffer.slice(0)),
});

/** A one-tile screen: key frame of `before` (LZ4), then one record of `encoding` for `after`. */
const roundTrip = async (
  encoding: TileEncoding,
  w: number,
  h: number,
  before: Uint32Array,
  after: Uint32Array,
) => {
  const encoders = createTileEncoders();
  const payload = encoders[encoding].encode({
    width: w,
    height: h,
    pixels: after,
    previous: before,
    copy: undefined,
  });
  if (payload === undefined) return undefined;
  const viewer = new TestViewer();
  const frames = [
    {
      key: true,
      encoding: Encoding.LZ4,
      payload: encoders[Encoding.LZ4].encode({
        width: w,
        height: h,
        pixels: before,
        previous: undefined,
        copy: undefined,
      })!,
    },
    { key: false, encoding, payload },
  ];
  for (const [seq, f] of frames.entries()) {
    const writer = new FrameWriter();
    writer.begin({ key: f.key, tileSize: 64, seq, width: w, height: h });
    writer.addTile(0, 0, f.encoding, f.payload);
    const error = await viewer.apply(writer.finish());
    expect(error).toBeUndefined();
  }
  return firstDifference(imageOf(w, h, after), viewer.display);
};

const PIXEL_ENCODINGS = [
  Encoding.SOLID,
  Encoding.XOR_DELTA_LZ4,
  Encoding.LZ4,
  Encoding.PNG,
  Encoding.PALETTE256,
  Encoding.PALETTE_RUN_DEFLATE,
  Encoding.PALETTE_RUN_LZ4,
  Encoding.PALETTE_RUN_DEFLATED_PALETTE,
] as const;

describe("R-D3 encoder/decoder pairs", () => {
  for (const encoding of PIXEL_ENCODINGS) {
    it(`R-D3: ${encodingName(encoding)} round-trips bit-exact on random tiles, edge sizes included`, async () => {
      const prng = createPrng(100 + encoding);
      let encoded = 0;
      for (let i = 0; i < 60; i++) {
        const w = i < 8 ? [1, 64, 63, 2, 64, 1, 17, 64][i]! : 1 + prng.int(64);
        const h = i < 8 ? [1, 64, 64, 3, 1, 64, 5, 63][i]! : 1 + prng.int(64);
        const kind = KINDS[i % KINDS.length]!;
        const before = randomTile(prng, w, h, KINDS[prng.int(KINDS.length)]!);
        const after =
          kind === "text" && prng.next() < 0.5
            ? before.map((p, j) => (j % 7 === 0 ? p ^ 0x00ff00 : p))
            : randomTile(prng, w, h, kind);
        const diff = await roundTrip(encoding, w, h, before, after);
        if (diff === undefined) continue;
        encoded++;
        expect(diff, `tile ${i} (${w}×${h}, ${kind})`).toBe(-1);
      }
      expect(encoded).toBeGreaterThan(10);
    });
  }

  it("R-D3: COPY moves any rectangle, overlapping its source included, reading only the previous frame", async () => {
    const prng = createPrng(7);
    const encoders = createTileEncoders();
    for (let i = 0; i < 80; i++) {
      const width = 1 + prng.int(200);
      const height = 1 + prng.int(150);
      const before = randomTile(prng, width, height, "noise");
      const w = 1 + prng.int(width);
      const h = 1 + prng.int(height);
      const copies = Array.from({ length: 1 + prng.int(3) }, () => ({
        dstX: prng.int(width - w + 1),
        dstY: prng.int(height - h + 1),
        width: w,
        height: h,
        srcX: prng.int(width - w + 1),
        srcY: prng.int(height - h + 1),
      }));
      const expected = before.slice();
      for (const c of copies) {
        for (let y = 0; y < h; y++) {
          for (let x = 0; x < w; x++)
            expected[(c.dstY + y) * width + c.dstX + x] = before[(c.srcY + y) * width + c.srcX + x]!;
        }
      }
      const viewer = new TestViewer();
      const key = new FrameWriter();
      key.begin({ key: true, tileSize: 64, seq: 0, width, height });
      const grid = { cols: Math.ceil(width / 64), rows: Math.ceil(height / 64) };
      for (let ty = 0; ty < grid.rows; ty++) {
        for (let tx = 0; tx < grid.cols; tx++) {
          const r = blockRect(width, height, 64, tx, ty);
          const px = new Uint32Array(r.width * r.height).map(
            (_, j) => before[(r.y + Math.floor(j / r.width)) * width + r.x + (j % r.width)]!,
          );
          key.addTile(
            tx,
            ty,
            Encoding.LZ4,
            encoders[Encoding.LZ4].encode({
              width: r.width,
              height: r.height,
              pixels: px,
              previous: undefined,
              copy: undefined,
            })!,
          );
        }
      }
      expect(await viewer.apply(key.finish())).toBeUndefined();
      const delta = new FrameWriter();
      delta.begin({ key: false, tileSize: 64, seq: 1, width, height });
      for (const c of copies) {
        const payload = encoders[Encoding.COPY].encode({
          width: 0,
          height: 0,
          pixels: expected,
          previous: undefined,
          copy: c,
        })!;
        delta.addTile(Math.floor(c.dstX / 64), Math.floor(c.dstY / 64), Encoding.COPY, payload);
      }
      // Later copies win where they overlap, as records apply in order.
      expect(await viewer.apply(delta.finish())).toBeUndefined();
      expect(firstDifference(imageOf(width, height, expected), viewer.display)).toBe(-1);
    }
  });

  it("R-V6: PALETTE256 takes any tile of at most 256 colours and refuses one with more", () => {
    const encoders = createTileEncoders();
    const tile = (colours: number) => ({
      width: 64,
      height: 64,
      pixels: new Uint32Array(64 * 64).map((_, i) => (0xff000000 | ((i % colours) * 0x010101)) >>> 0),
      previous: undefined,
      copy: undefined,
    });
    expect(encoders[Encoding.PALETTE256].encode(tile(256))).toBeDefined();
    expect(encoders[Encoding.PALETTE256].encode(tile(257))).toBeUndefined();
    expect(encoders[Encoding.PALETTE256].encode(tile(2))!.length).toBeLessThan(100);
  });
});
