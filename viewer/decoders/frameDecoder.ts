// Applies frame messages to a Display: checks the frame against the picture, prepares every tile, then draws in order.
import * as Result from "effect/Result";
import {
  blockRect,
  decodeError,
  Encoding,
  type Frame,
  FrameDecodeError,
  type FrameHeader,
  type Rect,
  readCopyPayload,
  readFrame,
  tileGrid,
} from "../../protocol/frame/index.ts";
import type { Display } from "../display/index.ts";
import { createTileDecoders, type DecoderOptions, type TileDecoders } from "./registry.ts";
import type { TileDecoder, TileJob } from "./tileDecoder.ts";

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
  apply(message: Uint8Array | Frame): Result.Result<FrameHeader, FrameDecodeError> {
    const read = message instanceof Uint8Array ? readFrame(message) : Result.succeed(message);
    if (Result.isFailure(read)) return this.fail(read.failure);
    const { header, tiles } = read.success;
    const refused = this.refusal(header);
    if (refused !== undefined) return this.fail(refused);
    const planned = this.plan(header, tiles);
    if (planned instanceof FrameDecodeError) return this.fail(planned);
    if (header.key) {
      this.display.reset(header.width, header.height);
      for (const decoder of Object.values(this.decoders)) decoder.reset?.();
    }
    const move = this.sharedMove(planned);
    const plan = move === undefined ? planned : planned.slice(move.records);
    const prepared = plan.map(({ decoder, job }) => decoder.prepare?.(job));
    // The move reads the old picture: only once every record is known to be drawable.
    const unprepared = prepared.find((p) => p instanceof FrameDecodeError);
    if (unprepared !== undefined) return this.fail(unprepared);
    if (move !== undefined) this.display.moveRects(move.sources, move.dx, move.dy);
    for (let i = 0; i < plan.length; i++) {
      const error = plan[i]!.decoder.draw(plan[i]!.job, prepared[i] as Uint8Array | undefined);
      if (error !== undefined) return this.fail(error);
    }
    this.lastSeq = header.seq;
    this.ready = true;
    return Result.succeed(header);
  }

  /**
   * The frame's COPY records as one move, when they come first (nothing of the frame is drawn before they read),
   * all move by the same (dx, dy) — a scroll cut into pieces, a dragged window — and lie inside the picture: then
   * they move in place (`Display.moveRects`) instead of each drawing from a snapshot of its source, which cost two
   * passes over the moved pixels and a buffer their size, most of a scroll frame's decode. Otherwise undefined, and
   * the copies go their own way (whose `prepare` also reports a bad one).
   */
  private sharedMove(
    plan: readonly Planned[],
  ): { records: number; sources: Rect[]; dx: number; dy: number } | undefined {
    let n = 0;
    while (n < plan.length && plan[n]!.job.record.encoding === Encoding.COPY) n++;
    if (n === 0 || plan.some((p, i) => i >= n && p.job.record.encoding === Encoding.COPY)) return undefined;
    const sources: Rect[] = [];
    let dx = 0;
    let dy = 0;
    for (let i = 0; i < n; i++) {
      const { record, tileSize } = plan[i]!.job;
      const read = readCopyPayload(record.payload, record.tx, record.ty, tileSize);
      if (Result.isFailure(read)) return undefined;
      const { srcX, srcY, dstX, dstY, width, height } = read.success;
      if (i === 0) [dx, dy] = [dstX - srcX, dstY - srcY];
      else if (dstX - srcX !== dx || dstY - srcY !== dy) return undefined;
      const source = { x: srcX, y: srcY, width, height };
      if (!this.display.contains(source) || !this.display.contains({ ...source, x: dstX, y: dstY }))
        return undefined;
      sources.push(source);
    }
    return { records: n, sources, dx, dy };
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
