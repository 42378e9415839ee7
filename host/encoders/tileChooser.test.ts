// The tile chooser: plain LZ4 is not tried for a tile that fits a palette; it is still the fallback for every other tile.
// The speed chooser reads a tile in place and keeps the smaller of delta and plain LZ4 (plain on a tie), compressing only that one.
import { describe, expect, it } from "vitest";
import { allEncodings, Encoding } from "../../protocol/frame/index.ts";
import { createPrng } from "../capture/prng.ts";
import { defaultFrameEncoderOptions } from "./options.ts";
import { gatherTile } from "./pixels.ts";
import { createTileEncoders, type TileEncoders } from "./registry.ts";
import { chooseTileEncoding, SpeedTileChooser } from "./tileChooser.ts";

const options = { ...defaultFrameEncoderOptions, allowed: new Set(allEncodings) };

/** The real encoders, with a count of the calls to each. */
const counted = () => {
  const real = createTileEncoders(64);
  const calls = new Map<Encoding, number>();
  const encoders = Object.fromEntries(
    Object.entries(real).map(([k, e]) => [
      k,
      {
        ...e,
        encode: (tile: Parameters<typeof e.encode>[0]) => {
          calls.set(e.encoding, (calls.get(e.encoding) ?? 0) + 1);
          return e.encode(tile);
        },
      },
    ]),
  ) as unknown as TileEncoders;
  return { encoders, calls };
};

const tile = (colours: number, seed: number): Uint32Array => {
  const prng = createPrng(seed);
  const palette = Array.from({ length: colours }, () => (prng.u32() | 0xff000000) >>> 0);
  return new Uint32Array(64 * 64).map(() => palette[prng.int(colours)]!);
};

describe("chooseTileEncoding", () => {
  it("does not compress a palettised tile a second time as plain LZ4", () => {
    const { encoders, calls } = counted();
    const pixels = tile(40, 1);
    const choice = chooseTileEncoding(
      encoders,
      { width: 64, height: 64, pixels, previous: undefined, copy: undefined },
      options,
    );
    expect(choice.encoding).toBe(Encoding.PALETTE256);
    expect(calls.get(Encoding.PALETTE256)).toBe(1);
    expect(calls.get(Encoding.LZ4)).toBeUndefined();
  });

  it("still tries the XOR delta of a palettised tile that partly stayed", () => {
    const { encoders, calls } = counted();
    const previous = tile(40, 2);
    const pixels = previous.slice();
    for (let i = 0; i < 64 * 8; i++) pixels[i] = 0xff123456;
    chooseTileEncoding(encoders, { width: 64, height: 64, pixels, previous, copy: undefined }, options);
    expect(calls.get(Encoding.XOR_DELTA_LZ4)).toBe(1);
    expect(calls.get(Encoding.LZ4)).toBeUndefined();
  });

  it("falls back to plain LZ4 for a tile of more than 256 colours", () => {
    const { encoders, calls } = counted();
    const pixels = tile(4096, 3);
    const choice = chooseTileEncoding(
      encoders,
      { width: 64, height: 64, pixels, previous: undefined, copy: undefined },
      options,
    );
    expect(choice.encoding).toBe(Encoding.LZ4);
    expect(calls.get(Encoding.LZ4)).toBe(1);
  });
});

/** A photo-like screen: gradients, stripes and glyph-like speckle, another picture for each `phase`. */
const photo = (width: number, height: number, phase: number): Uint32Array =>
  new Uint32Array(width * height).map((_, i) => {
    const [x, y] = [i % width, Math.floor(i / width)];
    const u = x + phase * 5;
    const glyph = (u >> 3) % 3 !== 2 && (y >> 4) % 2 === 0 && ((u * 7 + y * 13) ^ (u >> 2)) % 5 < 2;
    const r = glyph ? 30 : (u + y) % 16 < 8 ? 200 : 90;
    const g = glyph ? 20 : ((y + phase * 11) * 255) / height;
    const b = glyph ? 20 : (x * 255) / width;
    return (0xff000000 | (b << 16) | (g << 8) | r) >>> 0;
  });

describe("SpeedTileChooser", () => {
  const rect = { x: 7, y: 5, width: 61, height: 50 }; // odd width: rows that do not start 4-aligned
  const screenWidth = 100;
  const inPlace = (pixels: Uint32Array, previous: Uint32Array | undefined) => ({
    pixels,
    previous,
    width: rect.width,
    height: rect.height,
    from: rect.y * screenWidth + rect.x,
    stride: screenWidth,
  });
  const gathered = (screen: Uint32Array) => {
    const out = new Uint32Array(rect.width * rect.height);
    gatherTile(screen, screenWidth, rect, out);
    return out;
  };

  it("reads a tile in place in the screen exactly as it would read the tile gathered", () => {
    const [now, before] = [photo(screenWidth, 80, 1), photo(screenWidth, 80, 2)];
    const chooser = new SpeedTileChooser(64);
    for (const [k, previous] of [before, undefined].entries()) {
      const a = chooser.choose(inPlace(now, previous), true, 2 * k);
      const b = chooser.choose(
        { ...inPlace(gathered(now), previous && gathered(previous)), from: 0, stride: rect.width },
        true,
        2 * k + 1,
      );
      expect(a.encoding).toBe(b.encoding);
      expect(Buffer.from(a.payload).equals(Buffer.from(b.payload))).toBe(true);
    }
  });

  it("keeps the smaller of the delta and the plain block, and no delta when it is not allowed", () => {
    const { encoders } = counted();
    const chooser = new SpeedTileChooser(64);
    const input = (pixels: Uint32Array, previous: Uint32Array) => ({
      width: 64,
      height: 64,
      pixels,
      previous,
      copy: undefined,
    });
    const full = (pixels: Uint32Array, previous: Uint32Array) => ({
      ...input(pixels, previous),
      from: 0,
      stride: 64,
    });
    // The next phase of a photo: the delta is the smaller. Noise replaced by a photo, a few pixels left: the plain one.
    const next = [photo(64, 64, 3), photo(64, 64, 4)] as const;
    const noise = tile(4096, 4);
    const replaced = next[0].map((p, i) => (i % 7 === 0 ? noise[i]! : p));
    for (const [index, [pixels, previous, expected]] of [
      ...([
        [next[1], next[0], Encoding.XOR_DELTA_LZ4],
        [replaced, noise, Encoding.LZ4],
      ] as const),
    ].entries()) {
      const choice = chooser.choose(full(pixels, previous), true, index);
      expect(choice.encoding).toBe(expected);
      const smallest = Math.min(
        encoders[Encoding.XOR_DELTA_LZ4].encode(input(pixels, previous))!.length,
        encoders[Encoding.LZ4].encode(input(pixels, previous))!.length,
      );
      expect(choice.payload.length).toBe(smallest);
    }
    expect(chooser.choose(full(next[1], next[0]), false, 2).encoding).toBe(Encoding.LZ4);
  });

  it("sends noise over noise as plain LZ4: the same bytes as the delta, and the viewer need not read its tile", () => {
    const { encoders } = counted();
    const chooser = new SpeedTileChooser(64);
    // A whole tile (probed) and an edge tile (too small to probe: both compressed in full).
    for (const [index, side] of [64, 20].entries()) {
      const pixels = tile(4096, 5 + index).subarray(0, side * side);
      const previous = tile(4096, 7 + index).subarray(0, side * side);
      const choice = chooser.choose(
        { width: side, height: side, pixels, previous, from: 0, stride: side },
        true,
        index,
      );
      expect(choice.encoding).toBe(Encoding.LZ4);
      const delta = encoders[Encoding.XOR_DELTA_LZ4].encode({
        width: side,
        height: side,
        pixels,
        previous,
        copy: undefined,
      });
      expect(choice.payload.length).toBe(delta!.length);
    }
  });

  it("keeps last time's winner at a tile while it compresses as well, and looks again when it does not", () => {
    const chooser = new SpeedTileChooser(64);
    const full = (pixels: Uint32Array, previous: Uint32Array) => ({
      width: 64,
      height: 64,
      pixels,
      previous,
      from: 0,
      stride: 64,
    });
    const phases = [3, 4, 5, 6].map((p) => photo(64, 64, p));
    const noise = tile(4096, 4);
    const replaced = phases[0]!.map((p, i) => (i % 7 === 0 ? noise[i]! : p));
    // Photo phase after phase at tile 0: the delta each time. Then noise replaced by a photo: the delta compresses
    // far worse than before, so plain LZ4 is tried again and wins — as it does at a tile with no history.
    for (let k = 1; k < phases.length; k++)
      expect(chooser.choose(full(phases[k]!, phases[k - 1]!), true, 0).encoding).toBe(Encoding.XOR_DELTA_LZ4);
    expect(chooser.choose(full(replaced, noise), true, 0).encoding).toBe(Encoding.LZ4);
    // A plain winner that compresses as before stays plain, even where the delta would now be the smaller.
    const kept = chooser.choose(full(phases[1]!, phases[0]!), true, 0);
    expect(kept.encoding).toBe(Encoding.LZ4);
    expect(chooser.choose(full(phases[1]!, phases[0]!), true, 1).encoding).toBe(Encoding.XOR_DELTA_LZ4);
  });
});
