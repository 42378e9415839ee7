// R-D3 glyph cells end to end: a scrolling terminal's new lines draw most glyphs from the viewer's cell cache, the
// picture stays bit-exact through requested key frames (which empty both caches), and the frames cost far less.
import * as Result from "effect/Result";
import { describe, expect, it } from "vitest";
import { allEncodings, createImage, Encoding, readFrame } from "../../protocol/frame/index.ts";
import { FrameDecoder } from "../../viewer/decoders/index.ts";
import { Display } from "../../viewer/display/index.ts";
import { terminalScroll } from "../scenes/terminalScroll.ts";
import { FrameEncoder } from "./frameEncoder.ts";

const FRAMES = 40;

/** Encodes the scene's first FRAMES frames (a key frame asked for at `keyAt`), decodes each, checks the picture. */
const replay = async (encoder: FrameEncoder, keyAt: number) => {
  const scene = terminalScroll({ width: 1280, height: 720, seed: 3 });
  const image = createImage(scene.width, scene.height);
  const display = new Display();
  const decoder = new FrameDecoder(display);
  const bytes: number[] = [];
  const drawn: number[] = [];
  for (let i = 0; i < FRAMES; i++) {
    scene.render(i, image);
    if (i === keyAt) encoder.requestKeyFrame();
    const frame = Result.getOrThrow(encoder.encode(image));
    bytes.push(frame.bytes.length);
    drawn.push(frame.records.CELL_DRAWS);
    expect(Result.isSuccess(await decoder.apply(frame.bytes)), `frame ${i}`).toBe(true);
    expect(Buffer.from(display.pixels).equals(Buffer.from(image.data)), `frame ${i} bit-exact`).toBe(true);
    const kinds = Result.getOrThrow(readFrame(frame.bytes)).tiles.map((t) => t.encoding);
    // The draws come before any tile record, the stores last.
    if (kinds.includes(Encoding.CELL_STORES)) expect(kinds.at(-1)).toBe(Encoding.CELL_STORES);
    const firstTile = kinds.findIndex((k) => k !== Encoding.COPY && k !== Encoding.CELL_DRAWS);
    if (kinds.includes(Encoding.CELL_DRAWS))
      expect(kinds.indexOf(Encoding.CELL_DRAWS)).toBeLessThan(firstTile);
  }
  return { bytes, drawn };
};

describe("R-D3 glyph cells", () => {
  it("R-D3: a scrolling terminal draws its glyphs from the viewer's cache, bit-exact through key frames, in far fewer bytes", async () => {
    const withCells = await replay(new FrameEncoder(), 25);
    const without = await replay(
      new FrameEncoder({
        encodings: allEncodings.filter((e) => e !== Encoding.CELL_DRAWS && e !== Encoding.CELL_STORES),
      }),
      25,
    );
    console.log(
      "DRAWN",
      withCells.drawn.join(","),
      "BYTES",
      withCells.bytes.join(","),
      "WITHOUT",
      without.bytes.join(","),
    );
    // Every frame after the first few draws cells, except the key frame, whose cache starts empty.
    expect(withCells.drawn.slice(5, 25).every((n) => n === 1)).toBe(true);
    expect(withCells.drawn[25]).toBe(0);
    expect(without.drawn.every((n) => n === 0)).toBe(true);
    const sum = (xs: number[]) => xs.slice(5, 25).reduce((a, b) => a + b, 0);
    expect(sum(withCells.bytes)).toBeLessThan(sum(without.bytes) * 0.7);
  });
});
