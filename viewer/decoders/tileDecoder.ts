// The one narrow interface every tile decoder implements, and what it is given.
import type { Encoding, FrameDecodeError, Rect, TileRecord } from "../../protocol/frame/index.ts";
import type { Display } from "../display/index.ts";

export interface TileJob {
  readonly record: TileRecord;
  /** The pixels the record draws: its tile, or its whole block for COPY, clipped to the screen. */
  readonly rect: Rect;
  readonly display: Display;
}

/** Tiles a record covers, as a block from its (tx, ty). */
export interface Span {
  readonly cols: number;
  readonly rows: number;
}

export type Prepared = Uint8Array | FrameDecodeError;

export interface TileDecoder {
  readonly encoding: Encoding;
  /** Refers to the previous frame, so it is not allowed in a key frame. */
  readonly needsReference: boolean;
  /** The block the record covers when it is more than one tile (COPY). */
  span?(payload: Uint8Array): Span | FrameDecodeError;
  /**
   * First pass, run for every record of a frame before any is drawn: read the previous frame (COPY)
   * or decode off the drawing path (PNG, possibly asynchronously).
   */
  prepare?(job: TileJob): Prepared | Promise<Prepared>;
  /** Draws the record into the display; `prepared` is what `prepare` returned. */
  draw(job: TileJob, prepared: Uint8Array | undefined): FrameDecodeError | undefined;
}
