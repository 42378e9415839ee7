// The frame encoder's named options with their defaults (units last in the name).
import { allEncodings, type Encoding, TILE_SIZE_PX } from "../../protocol/frame/index.ts";

export type ColourMode = "lossless" | "palette256";

export interface FrameEncoderOptions {
  /** Tile edge in pixels (R-D3), 1–255. */
  readonly tileSizePx: number;
  /** "palette256" is the host's speed preference (R-V6): the only lossy mode. */
  readonly colourMode: ColourMode;
  /** Encodings the host may choose from; LZ4 is always possible as the fallback. */
  readonly encodings: readonly Encoding[];
  /** Search for scrolls and moved windows. */
  readonly copyDetection: boolean;
  /** Fewest changed tiles for which the copy search runs. */
  readonly copySearchMinDirtyTiles: number;
  readonly copyCandidatesMax: number;
  readonly scrollVotesMin: number;
  readonly moveVotesMin: number;
  readonly moveIndexRowStride: number;
  readonly moveLookupRowPeriod: number;
  readonly moveSearchBelowExplained: number;
  readonly pngTryAboveRatio: number;
  readonly pngSkipAboveRatio: number;
  readonly goodEnoughRatio: number;
  /** A deflate run that deflates to more than this per pixel is noise-like: its tiles go one by one. */
  readonly runNoisyAboveBytesPerPixel: number;
  /** A frame whose tiles left after the copies exceed this share of the screen is sent for speed (LZ4 runs, no PNG)… */
  readonly speedAboveTileShare: number;
  /** …unless the link is known to be slower than this, where deflate's and PNG's fewer bytes arrive sooner. */
  readonly speedMinLinkBitsPerSecond: number;
}

export const defaultFrameEncoderOptions: FrameEncoderOptions = {
  tileSizePx: TILE_SIZE_PX,
  colourMode: "lossless",
  encodings: allEncodings,
  copyDetection: true,
  copySearchMinDirtyTiles: 2,
  copyCandidatesMax: 4,
  scrollVotesMin: 16,
  moveVotesMin: 3,
  moveIndexRowStride: 4,
  moveLookupRowPeriod: 16,
  moveSearchBelowExplained: 0.5,
  pngTryAboveRatio: 0.25,
  pngSkipAboveRatio: 0.97,
  goodEnoughRatio: 0.02,
  runNoisyAboveBytesPerPixel: 0.25,
  speedAboveTileShare: 0.25,
  speedMinLinkBitsPerSecond: 50_000_000,
};
