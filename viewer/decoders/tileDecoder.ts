// The one narrow interface every tile decoder implements, and what it is given.
import type { Encoding, FrameDecodeError, Rect, TileRecord } from "../../protocol/frame/index.ts";
import type { Display } from "../display/index.ts";

export interface TileJob {
  readonly record: TileRecord;
  /** The record's tile, clipped to the screen. */
  readonly rect: Rect;
  readonly tileSize: number;
  readonly display: Display;
}

export type Prepared = Uint8Array | FrameDecodeError;

export interface TileDecoder {
  readonly encoding: Encoding;
  /** Refers to the previous frame, so it is not allowed in a key frame. */
  readonly needsReference: boolean;
  /**
   * Draws exactly its own tile, which no other such record of the frame may draw. COPY does not: its
   * rectangle may reach over many tiles, and residual records may follow it on the same tiles.
   */
  readonly drawsOwnTile: boolean;
  /** Records that draw several tiles along their row (PALETTE_RUN_DEFLATE) say how many; absent means one. */
  tilesAlongRow?(record: TileRecord): number | FrameDecodeError;
  /** First pass, run for every record of a frame before any is drawn: read the previous frame (COPY). */
  prepare?(job: TileJob): Prepared;
  /** A key frame starts: forget what earlier frames left behind (the cell cache). */
  reset?(): void;
  /** Draws the record into the display; `prepared` is what `prepare` returned. */
  draw(job: TileJob, prepared: Uint8Array | undefined): FrameDecodeError | undefined;
}
