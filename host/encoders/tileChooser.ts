// Picks one encoding per changed tile: the smallest payload among the cheap candidates, PNG only when it may pay.
import { Encoding, RGB_BYTES, TILE_SIZE_PX } from "../../protocol/frame/index.ts";
import { KeptChoices } from "./keptChoices.ts";
import { compressBlock, compressExpecting, compressProbed, probeShare } from "./lz4Block.ts";
import { packRgbRows, packXorRgbRows, sampleSame, sampleSameRows } from "./pixels.ts";
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

/** How much worse than when it won (a share of the packed size) a tile's winner may compress and still be kept… */
const SHARE_SLACK = 0.05;
/** …and for at most this many frames before both are looked at again. */
const KEPT_FRAMES_MAX = 7;

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
  return worthByStayed(
    encoding,
    sampleSame(tile.pixels, tile.previous, tile.width, tile.height, samples),
    samples,
  );
};

/** `worthTrying` for a delta or a plain block, given how many of `samples` sampled pixels stayed. */
const worthByStayed = (encoding: Encoding, same: number, samples: number): boolean =>
  encoding === Encoding.XOR_DELTA_LZ4 ? same > 0 : same < samples * 0.9;

/**
 * `colourful`: the tile's changed pixels alone have more than 255 colours (it could not start a palette run), so a
 * palette of at most 256 is not worth counting. `speedOverSize`: speed comes before size (a link not known to be
 * slow), where PNG's encode and decode time outweigh its bytes: PNG is not tried. */
export const chooseTileEncoding = (
  encoders: TileEncoders,
  tile: TileInput,
  options: ChoiceOptions,
  speedOverSize = false,
  colourful = false,
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
    if (encoding === Encoding.PALETTE256 && colourful) continue;
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

/**
 * A tile read in place in the screen: `height` rows of `width` words, the first at `from`, `stride` apart, in
 * `pixels` and (what the viewer holds there, absent in key frames) `previous`.
 */
export interface TileRows {
  readonly pixels: Uint32Array;
  readonly previous: Uint32Array | undefined;
  readonly width: number;
  readonly height: number;
  readonly from: number;
  readonly stride: number;
}

/**
 * The choice for a colourful tile (more than 255 colours changed: photos, noise) in a frame sent for speed, where
 * PNG and palettes are out: XOR_DELTA_LZ4 whenever the viewer holds a previous tile — a photo's next picture may keep
 * no pixel yet XOR to little (its gradients), and skipping the delta then cost 7 % more bytes on the bench's photo
 * redraw — and LZ4 unless nearly every sampled pixel stayed. When both are candidates only one is compressed in full:
 * the one whose first 2 KiB compress smaller, and for the next 7 frames at that tile (1–7 after its first choice,
 * `KeptChoices`) the same one, while it
 * compresses about as well as when it won (a photo, a video keep their kind frame after frame) — about a third of
 * the LZ4 time of trying both, for ~1 % more bytes on photo-like tiles. Packed straight from the screen, with no gathered copy of the tile.
 */
export class SpeedTileChooser {
  private readonly delta: Uint8Array;
  private readonly plain: Uint8Array;
  /**
   * Per tile index: which won the last time both were compressed (0 none yet, else its encoding + 1), its payload's
   * share of the packed size then, and for how many more frames it may be kept without a new look.
   */
  private won = new Uint8Array(0);
  private wonShare = new Float32Array(0);
  private readonly kept = new KeptChoices(KEPT_FRAMES_MAX);

  constructor(maxTileSizePx = TILE_SIZE_PX) {
    // 4-aligned, as the packers need.
    this.delta = new Uint8Array(maxTileSizePx * maxTileSizePx * RGB_BYTES + 4);
    this.plain = new Uint8Array(maxTileSizePx * maxTileSizePx * RGB_BYTES + 4);
  }

  /**
   * `deltaAllowed`: XOR_DELTA_LZ4 is among the encodings the host may use (LZ4 always is). `index`: the tile's place
   * on the screen, under which this choice is remembered for the next frame.
   */
  choose(tile: TileRows, deltaAllowed: boolean, index: number): TileChoice {
    const { pixels, previous, width, height, from, stride } = tile;
    const count = width * height;
    const samples = Math.min(count, SAME_SAMPLES);
    const same =
      previous === undefined ? 0 : sampleSameRows(pixels, previous, from, stride, width, height, samples);
    const tryDelta = deltaAllowed && previous !== undefined;
    const tryPlain = !tryDelta || worthByStayed(Encoding.LZ4, same, samples);
    const packPlain = () =>
      this.plain.subarray(0, packRgbRows(pixels, from, stride, width, height, this.plain));
    const packDelta = () =>
      this.delta.subarray(0, packXorRgbRows(pixels, previous!, from, stride, width, height, this.delta));
    if (!tryPlain) return { encoding: Encoding.XOR_DELTA_LZ4, payload: compressBlock(packDelta()) };
    if (!tryDelta) return { encoding: Encoding.LZ4, payload: compressBlock(packPlain()) };
    const kept = this.asLastTime(index, packDelta, packPlain);
    if (kept !== undefined) return kept;
    const choice = this.byProbe(packDelta(), packPlain());
    this.remember(index, choice, count * RGB_BYTES);
    return choice;
  }

  /** Last time's winner at `index`, if it compresses now at most a little worse than it did then. */
  private asLastTime(
    index: number,
    packDelta: () => Uint8Array,
    packPlain: () => Uint8Array,
  ): TileChoice | undefined {
    const won = index < this.won.length ? this.won[index]! : 0;
    if (won === 0 || !this.kept.canReuse(index)) return undefined;
    const encoding = won - 1 === Encoding.XOR_DELTA_LZ4 ? Encoding.XOR_DELTA_LZ4 : Encoding.LZ4;
    const packed = encoding === Encoding.XOR_DELTA_LZ4 ? packDelta() : packPlain();
    const share = this.wonShare[index]!;
    const payload = compressExpecting(packed, share);
    if (payload.length > packed.length * (share + SHARE_SLACK)) return undefined;
    this.kept.reused(index);
    return { encoding, payload };
  }

  private remember(index: number, choice: TileChoice, packedBytes: number): void {
    if (index >= this.won.length) {
      const won = new Uint8Array(Math.max(index + 1, this.won.length * 2));
      const share = new Float32Array(won.length);
      won.set(this.won);
      share.set(this.wonShare);
      this.won = won;
      this.wonShare = share;
    }
    this.won[index] = choice.encoding + 1;
    this.wonShare[index] = choice.payload.length / packedBytes;
    this.kept.choseAt(index);
  }

  /**
   * The candidate whose first 2 KiB compress smaller, compressed in full; the plain one on a tie (noise, which neither
   * shrinks): the viewer writes a plain tile without reading the one it holds.
   */
  private byProbe(delta: Uint8Array, plain: Uint8Array): TileChoice {
    const deltaShare = probeShare(delta);
    const plainShare = probeShare(plain);
    if (deltaShare === 0 || plainShare === 0) {
      // Too small to probe (an edge tile): both in full, the smaller wins.
      const d = compressBlock(delta);
      const p = compressBlock(plain);
      return p.length <= d.length
        ? { encoding: Encoding.LZ4, payload: p }
        : { encoding: Encoding.XOR_DELTA_LZ4, payload: d };
    }
    return plainShare <= deltaShare
      ? { encoding: Encoding.LZ4, payload: compressProbed(plain, plainShare) }
      : { encoding: Encoding.XOR_DELTA_LZ4, payload: compressProbed(delta, deltaShare) };
  }
}
