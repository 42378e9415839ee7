// Applies frame messages to a Display: checks the frame against the picture, prepares every tile, then draws in order.
import { Result } from "effect";
import {
  blockRect,
  decodeError,
  type Frame,
  FrameDecodeError,
  type FrameHeader,
  readFrame,
  tileGrid,
} from "../../protocol/frame/index.ts";
import type { Display } from "../display/index.ts";
import { createTileDecoders, type DecoderOptions, type TileDecoders } from "./registry.ts";
import type { Prepared, TileDecoder, TileJob } from "./tileDecoder.ts";

interface Planned {
  readonly decoder: TileDecoder;
  readonly job: TileJob;
}

export class FrameDecoder {
  private readonly decoders: TileDecoders;
  private covered = new Uint8Array(0);
  private lastSeq = 0;
  private ready = false;

  constructor(
    private readonly display: Display,
    options: DecoderOptions = {},
  ) {
    this.decoders = createTileDecoders(options);
  }

  /** True until a key frame has been applied, and again after any error: ask the host for a key frame. */
  get needsKeyFrame(): boolean {
    return !this.ready;
  }

  /**
   * Applies one frame (a message, or one the stream reader already split). On an error the picture
   * may be half drawn; every later delta frame is refused until a key frame arrives.
   */
  async apply(message: Uint8Array | Frame): Promise<Result.Result<FrameHeader, FrameDecodeError>> {
    const read = message instanceof Uint8Array ? readFrame(message) : Result.succeed(message);
    if (Result.isFailure(read)) return this.fail(read.failure);
    const { header, tiles } = read.success;
    const refused = this.refusal(header);
    if (refused !== undefined) return this.fail(refused);
    const plan = this.plan(header, tiles);
    if (plan instanceof FrameDecodeError) return this.fail(plan);
    if (header.key) this.display.reset(header.width, header.height);
    const prepared = await prepareAll(plan);
    for (let i = 0; i < plan.length; i++) {
      const p = prepared[i];
      if (p instanceof FrameDecodeError) return this.fail(p);
      const error = plan[i]!.decoder.draw(plan[i]!.job, p);
      if (error !== undefined) return this.fail(error);
    }
    this.lastSeq = header.seq;
    this.ready = true;
    return Result.succeed(header);
  }

  /** Why this frame cannot follow the picture the display holds, if it cannot. */
  private refusal(h: FrameHeader): FrameDecodeError | undefined {
    if (h.key) return undefined;
    if (!this.ready) return decodeError("MissingReference", `delta frame ${h.seq} before any key frame`);
    if (h.width !== this.display.width || h.height !== this.display.height) {
      return decodeError(
        "SizeMismatch",
        `delta frame is ${h.width}×${h.height}, picture is ${this.display.width}×${this.display.height}`,
      );
    }
    const expected = (this.lastSeq + 1) >>> 0;
    if (h.seq !== expected) return decodeError("OutOfSequence", `frame ${h.seq}, expected ${expected}`);
    return undefined;
  }

  /** Finds each record's decoder and tile, checking duplicates and references before drawing. */
  private plan(header: FrameHeader, tiles: Frame["tiles"]): Planned[] | FrameDecodeError {
    const grid = tileGrid(header.width, header.height, header.tileSize);
    if (this.covered.length < grid.cols * grid.rows) this.covered = new Uint8Array(grid.cols * grid.rows);
    else this.covered.fill(0);
    const planned: Planned[] = [];
    for (const record of tiles) {
      const decoder = this.decoders[record.encoding];
      if (header.key && decoder.needsReference) {
        return decodeError("MissingReference", `encoding ${record.encoding} in a key frame`);
      }
      const { tx, ty } = record;
      const along = decoder.tilesAlongRow?.(record) ?? 1;
      if (along instanceof FrameDecodeError) return along;
      if (tx + along > grid.cols)
        return decodeError("OutOfBounds", `a run of ${along} tiles from column ${tx} leaves the screen`);
      for (let k = 0; k < along; k++) {
        if (decoder.drawsOwnTile && !this.claim(grid.cols, tx + k, ty)) {
          return decodeError("DuplicateTile", `tile (${tx + k}, ${ty}) drawn twice in frame ${header.seq}`);
        }
      }
      const first = blockRect(header.width, header.height, header.tileSize, tx, ty);
      const last = blockRect(header.width, header.height, header.tileSize, tx + along - 1, ty);
      const rect = { ...first, width: last.x + last.width - first.x };
      planned.push({ decoder, job: { record, rect, tileSize: header.tileSize, display: this.display } });
    }
    return planned;
  }

  private claim(cols: number, tx: number, ty: number): boolean {
    if (this.covered[ty * cols + tx] !== 0) return false;
    this.covered[ty * cols + tx] = 1;
    return true;
  }

  private fail(error: FrameDecodeError): Result.Result<FrameHeader, FrameDecodeError> {
    this.ready = false;
    return Result.fail(error);
  }
}

/** Runs every `prepare` (all before any draw); awaits only when some decoder went asynchronous. */
const prepareAll = async (plan: readonly Planned[]): Promise<(Prepared | undefined)[]> => {
  let pending = false;
  const results = plan.map(({ decoder, job }) => {
    const r = decoder.prepare?.(job);
    if (r instanceof Promise) pending = true;
    return r;
  });
  return pending ? Promise.all(results) : (results as (Prepared | undefined)[]);
};
