// The tile chooser: plain LZ4 is not tried for a tile that fits a palette; it is still the fallback for every other tile.
import { describe, expect, it } from "vitest";
import { allEncodings, Encoding } from "../../protocol/frame/index.ts";
import { createPrng } from "../capture/prng.ts";
import { defaultFrameEncoderOptions } from "./options.ts";
import { createTileEncoders, type TileEncoders } from "./registry.ts";
import { chooseTileEncoding } from "./tileChooser.ts";

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
