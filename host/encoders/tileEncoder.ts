// The one narrow interface every tile encoder implements, and what it is given.
import type { CopyPayload, Encoding } from "../../protocol/frame/index.ts";

export interface TileInput {
  readonly width: number;
  readonly height: number;
  /** The tile's pixels, contiguous, one 0xAABBGGRR word each; alpha is ignored. */
  readonly pixels: Uint32Array;
  /**
   * What the viewer holds for this tile when this record is drawn (the previous frame, with this
   * frame's COPY rectangles already applied); absent in key frames.
   */
  readonly previous: Uint32Array | undefined;
  /** Only for COPY: the rectangle the copy planner verified. */
  readonly copy: CopyPayload | undefined;
}

export interface TileEncoder {
  readonly encoding: Encoding;
  /**
   * The payload for `tile`, or `undefined` when this encoding cannot represent it. The result may be
   * a view of the encoder's scratch memory, valid until its next call.
   */
  encode(tile: TileInput): Uint8Array | undefined;
}
