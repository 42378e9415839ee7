// Picks one encoding per changed tile: the smallest payload among the cheap candidates, PNG only when it may pay.
import { Encoding } from "../../protocol/frame/index.ts";
import { sampleSame } from "./pixels.ts";
import type { TileEncoders } from "./registry.ts";
import type { TileInput } from "./tileEncoder.ts";

export interface ChoiceOptions {
  /** Encodings the host may use (LZ4 is always allowed: it can represent any tile). */
  readonly allowed: ReadonlySet<Encoding>;
  /** Try PNG only when the best cheap payload is above this share of the packed RGB size. */
  readonly pngTryAboveRatio: number;
  /** Skip PNG when even LZ4 could not shrink the tile below this share (noise: deflate won't either). */
  readonly pngSkipAboveRatio: number;
  /** Stop trying further candidates once a payload is below this share (good enough). */
  readonly goodEnoughRatio: number;
}

export interface TileChoice {
  readonly encoding: Encoding;
  readonly payload: Uint8Array;
}

/** The cheap candidates, in the order tried: palette (text, UI), delta (small edits), plain LZ4. */
const CHEAP = [Encoding.PALETTE256, Encoding.XOR_DELTA_LZ4, Encoding.LZ4] as const;

/** Pixels sampled to guess how much of a tile stayed the same. */
const SAME_SAMPLES = 64;

/**
 * Whether a delta or a plain block is worth compressing: a tile whose content was replaced (no sampled
 * pixel stayed) skips the delta; one that barely changed (nearly all stayed) skips the plain block.
 */
const worthTrying = (tile: TileInput, encoding: Encoding): boolean => {
  if (tile.previous === undefined) return encoding !== Encoding.XOR_DELTA_LZ4;
  if (encoding !== Encoding.XOR_DELTA_LZ4 && encoding !== Encoding.LZ4) return true;
  const count = tile.width * tile.height;
  const samples = Math.min(count, SAME_SAMPLES);
  const same = sampleSame(tile.pixels, tile.previous, count, samples);
  return encoding === Encoding.XOR_DELTA_LZ4 ? same > 0 : same < samples * 0.9;
};

/** `speedOverSize`: the frame changes most of the screen on a fast link, where PNG's encode time outweighs its bytes. */
export const chooseTileEncoding = (
  encoders: TileEncoders,
  tile: TileInput,
  options: ChoiceOptions,
  speedOverSize = false,
): TileChoice => {
  const { allowed } = options;
  if (allowed.has(Encoding.SOLID)) {
    const solid = encoders[Encoding.SOLID].encode(tile);
    if (solid !== undefined) return { encoding: Encoding.SOLID, payload: solid };
  }
  const raw = tile.width * tile.height * 3;
  let best: TileChoice | undefined;
  let paletted = false;
  for (const encoding of CHEAP) {
    if (!allowed.has(encoding) && encoding !== Encoding.LZ4) continue;
    if (best !== undefined && best.payload.length < raw * options.goodEnoughRatio) break;
    // LZ4 is the fallback: it is skipped only when something else already produced a payload.
    if ((encoding !== Encoding.LZ4 || best !== undefined) && !worthTrying(tile, encoding)) continue;
    // A tile that fits a palette is the same picture as its indices, 3 bytes a pixel instead of 1: plain LZ4
    // of the RGB is next to never smaller (2 tiles in 31 k of the bench scenes, by 5 bytes in all), and it is
    // the costliest candidate. Skipping it is what keeps a full-screen change under 33 ms.
    if (encoding === Encoding.LZ4 && paletted) continue;
    const payload = encoders[encoding].encode(tile);
    if (encoding === Encoding.PALETTE256 && payload !== undefined) paletted = true;
    if (payload !== undefined && (best === undefined || payload.length < best.payload.length)) {
      best = { encoding, payload };
    }
  }
  const cheapest = best!; // LZ4 always yields a payload
  const ratio = cheapest.payload.length / raw;
  const pngMayPay = ratio > options.pngTryAboveRatio && ratio < options.pngSkipAboveRatio;
  if (allowed.has(Encoding.PNG) && pngMayPay && !speedOverSize) {
    const png = encoders[Encoding.PNG].encode(tile);
    if (png !== undefined && png.length < cheapest.payload.length)
      return { encoding: Encoding.PNG, payload: png };
  }
  return cheapest;
};
