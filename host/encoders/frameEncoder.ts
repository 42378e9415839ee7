// Encodes successive screen images into frame messages: diff, copy/move search, then for what is left either runs of
// tiles along a row (shared palette, deflate) or one encoding per tile.
import { deflateRawSync } from "node:zlib";
import * as Result from "effect/Result";
import {
  blockRect,
  CELL_ENTRY_BYTES,
  CELL_LIST_HEAD_BYTES,
  type CopyPayload,
  copyTile,
  Encoding,
  type EncodingName,
  encodingName,
  type FrameEncodeError,
  FrameWriter,
  packCellDraws,
  packCellStores,
  type Rect,
  type RgbaImage,
  type TileGrid,
  tileGrid,
} from "../../protocol/frame/index.ts";
import { type CellPlan, HostCellCache } from "./cellCache.ts";
import { findCells } from "./cellFinder.ts";
import { ColourfulTiles } from "./colourfulTiles.ts";
import { CopyDetector } from "./copyDetector.ts";
import { overlayCopies, sameWords } from "./copyOverlay.ts";
import { imageProblem } from "./imageCheck.ts";
import { defaultFrameEncoderOptions, type FrameEncoderOptions } from "./options.ts";
import { PaletteRunBuilder, RUN_DEFLATE_LEVEL, type RunEncoding } from "./paletteRunEncoder.ts";
import { copyRect, gatherTile } from "./pixels.ts";
import { quantize256 } from "./quantize256.ts";
import { createTileEncoders, type TileEncoders } from "./registry.ts";
import { SegmentHashes } from "./segmentHashes.ts";
import { solidColourIn, solidPayload } from "./solidEncoder.ts";
import { type ChoiceOptions, chooseTileEncoding, SpeedTileChooser, type TileRows } from "./tileChooser.ts";
import { diffTiles } from "./tileDiff.ts";
import type { TileInput } from "./tileEncoder.ts";

export interface EncodedFrame {
  readonly bytes: Uint8Array;
  readonly key: boolean;
  readonly seq: number;
  /** Tiles that changed since the previous frame. */
  readonly dirtyTiles: number;
  /** Tile records written, per encoding (a COPY record may cover many tiles). */
  readonly records: Readonly<Record<EncodingName, number>>;
}

/**
 * A tile's pixels (and the viewer's, if it holds any) as `height` rows of `width` words, the first at `from`,
 * `stride` apart: read in place in the screen, or the `gathered` tile.
 */
interface TileView extends TileRows {
  readonly gathered: TileInput | undefined;
}

interface TileBuffers {
  readonly pixels: Uint32Array;
  readonly previous: Uint32Array;
}

/** Everything that depends on the screen size; rebuilt (with a key frame) when the size changes. */
interface Screen {
  readonly width: number;
  readonly height: number;
  readonly grid: TileGrid;
  /** The viewer's picture after the last frame: what deltas and copies refer to. */
  readonly ref: Uint32Array;
  readonly prevHashes: SegmentHashes;
  readonly curHashes: SegmentHashes;
  readonly dirty: Uint8Array;
  /** The tiles last found too colourful for a palette run. */
  readonly colourful: ColourfulTiles;
  /** Working copy of the input: quantised in 256-colour mode, or an aligned copy. */
  readonly work: Uint32Array;
}

export class FrameEncoder {
  readonly options: FrameEncoderOptions;
  private readonly encoders: TileEncoders;
  private readonly detector: CopyDetector;
  private readonly choice: ChoiceOptions;
  private readonly writer = new FrameWriter();
  /** One tile's pixels and the viewer's, gathered; `spare` for tiles a noisy run gives back while the next is held. */
  private readonly buffers: TileBuffers;
  private readonly spare: TileBuffers;
  private readonly run = new PaletteRunBuilder();
  private readonly speedTiles: SpeedTileChooser;
  private screen: Screen | undefined;
  /** The viewer's cache of glyph cells, and what this frame draws from it and keeps in it. */
  private readonly cells = new HostCellCache();
  private cellPlan: CellPlan | undefined;
  private seq = 0;
  /**
   * The link's rate as the host measures it (bits per second); undefined while unknown, taken as fast. It decides
   * whether a frame that changes most of the screen is sent for speed (LZ4 runs) or for size (deflate runs).
   */
  linkBitsPerSecond: number | undefined;
  private keyRequested = true;

  constructor(options: Partial<FrameEncoderOptions> = {}) {
    this.options = { ...defaultFrameEncoderOptions, ...options };
    const t = this.options.tileSizePx;
    this.encoders = createTileEncoders(t);
    this.detector = new CopyDetector(this.options);
    this.choice = { ...this.options, allowed: new Set(this.options.encodings) };
    this.speedTiles = new SpeedTileChooser(t);
    this.buffers = { pixels: new Uint32Array(t * t), previous: new Uint32Array(t * t) };
    this.spare = { pixels: new Uint32Array(t * t), previous: new Uint32Array(t * t) };
  }

  /** The next frame will be a key frame (a new viewer joined, or a viewer lost its picture). */
  requestKeyFrame(): void {
    this.keyRequested = true;
  }

  encode(image: RgbaImage): Result.Result<EncodedFrame, FrameEncodeError> {
    const problem = imageProblem(image, this.options.tileSizePx);
    if (problem !== undefined) return Result.fail(problem);
    const screen = this.screenFor(image);
    const cur = this.pixelsOf(image, screen);
    const key = this.keyRequested || this.screen !== screen;
    this.screen = screen;
    const dirtyTiles = key
      ? fillDirty(screen.dirty)
      : diffTiles(cur, screen.ref, screen.width, screen.height, screen.grid, screen.dirty);
    if (key) this.cells.reset();
    this.cellPlan = undefined;
    const records = emptyCounts();
    this.writer.begin({ key, tileSize: screen.grid.tileSize, seq: this.seq, ...size(screen) });
    const written = this.writeTiles(screen, cur, key, dirtyTiles, records);
    if (Result.isFailure(written)) return Result.fail(written.failure);
    this.commit(screen, cur);
    const frame = { bytes: this.writer.finish(), key, seq: this.seq, dirtyTiles, records };
    this.seq = (this.seq + 1) >>> 0;
    this.keyRequested = false;
    return Result.succeed(frame);
  }

  private writeTiles(
    s: Screen,
    cur: Uint32Array,
    key: boolean,
    dirtyTiles: number,
    records: Record<EncodingName, number>,
  ) {
    if (this.options.copyDetection) hashDirty(s, cur);
    const search =
      !key &&
      this.options.copyDetection &&
      this.choice.allowed.has(Encoding.COPY) &&
      dirtyTiles >= this.options.copySearchMinDirtyTiles;
    const copies = search ? this.findCopies(s, cur) : [];
    const covered = copies.length > 0 ? this.detector.assigned : undefined;
    // COPY records go first: the viewer applies records in order, and residuals refer to the copied pixels.
    for (const copy of copies) {
      const added = this.addCopy(copy, s.grid.tileSize, records);
      if (Result.isFailure(added)) return added;
    }
    const speed = this.speedOverSize(s, dirtyTiles - (covered === undefined ? 0 : countSet(covered)));
    const cellPlan = speed ? undefined : this.planCells(s, cur, key, copies, covered);
    if (cellPlan !== undefined && cellPlan.draws.length > 0) {
      records.CELL_DRAWS++;
      const added = this.writer.addTile(0, 0, Encoding.CELL_DRAWS, cellList(packCellDraws(cellPlan.draws)));
      if (Result.isFailure(added)) return added;
    }
    // What the viewer holds exactly where copies and cells drew: the tiles' residuals keep it.
    const overlays: readonly Overlay[] =
      cellPlan === undefined || cellPlan.drawn.length === 0
        ? copies
        : [
            ...copies,
            ...cellPlan.drawn.map((r) => ({ dstX: r.x, dstY: r.y, width: r.width, height: r.height })),
          ];
    const runEncoding = this.runEncoding(speed);
    const runs = runEncoding !== undefined;
    const allowSolid = this.choice.allowed.has(Encoding.SOLID);
    const run = this.run;
    run.tiles = 0;
    let runStart = 0;
    const flush = () => {
      if (run.tiles === 0) return Result.void;
      const tiles = run.tiles;
      const encoding = runEncoding!;
      const payload = run.finish(encoding);
      run.tiles = 0;
      // Noise-like indices (photos that happen to have few colours) inflate slowly and compress no better than the
      // per-tile encodings: those tiles go one by one instead. LZ4 indices decode fast, and that frame is in a hurry.
      if (
        encoding !== Encoding.PALETTE_RUN_LZ4 &&
        payload.length > run.pixels * this.options.runNoisyAboveBytesPerPixel
      ) {
        for (let k = 0; k < tiles; k++) {
          const input = this.tileInput(s, cur, runStart + k, key, overlays, this.spare);
          const added = this.addPixels(s, runStart + k, input, records, speed);
          if (Result.isFailure(added)) return added;
        }
        return Result.void;
      }
      const tx = runStart % s.grid.cols;
      records[encodingName(encoding)!]++;
      return this.writer.addTile(tx, (runStart - tx) / s.grid.cols, encoding, payload);
    };
    for (let t = 0; t < s.dirty.length; t++) {
      // A run continues only with the next tile of the same row.
      if (run.tiles > 0 && (t !== runStart + run.tiles || t % s.grid.cols === 0)) {
        const flushed = flush();
        if (Result.isFailure(flushed)) return flushed;
      }
      if (s.dirty[t] === 0 || (covered !== undefined && covered[t] !== 0)) continue;
      const view = this.tileView(s, cur, t, key, overlays);
      if (view === undefined) continue;
      const { pixels, previous, width, height, from, stride } = view;
      const solid = allowSolid ? solidColourIn(pixels, from, width, height, stride) : -1;
      if (solid >= 0) {
        records.SOLID++;
        const tx = t % s.grid.cols;
        const added = this.writer.addTile(tx, (t - tx) / s.grid.cols, Encoding.SOLID, solidPayload(solid));
        if (Result.isFailure(added)) return added;
        continue;
      }
      let colourful = false;
      if (runs) {
        // In a frame sent for speed a photo-like tile that was too colourful for a run when last tried skips the try.
        colourful = speed && s.colourful.skipsRun(t, view);
        if (colourful) {
          // It ends the run, as the failed try would.
          const flushed = flush();
          if (Result.isFailure(flushed)) return flushed;
        } else {
          if (run.tiles > 0 && run.add(pixels, previous, width, from, stride)) continue;
          const flushed = flush();
          if (Result.isFailure(flushed)) return flushed;
          run.begin(height, s.width);
          runStart = t;
          if (run.add(pixels, previous, width, from, stride)) continue;
          // Alone it takes a run past 255 colours, so a tile palette (256 at most) is next to never possible.
          colourful = true;
          s.colourful.found(t);
        }
      }
      const added =
        speed && colourful
          ? this.addSpeedTile(s, t, view, records)
          : this.addPixels(
              s,
              t,
              view.gathered ?? this.tileInput(s, cur, t, key, overlays),
              records,
              speed,
              colourful,
            );
      if (Result.isFailure(added)) return added;
    }
    const flushed = flush();
    if (Result.isFailure(flushed)) return flushed;
    this.cellPlan = cellPlan;
    if (cellPlan === undefined || cellPlan.stores.length === 0) return Result.void;
    // Last: the viewer keeps the cells as the frame leaves them.
    records.CELL_STORES++;
    return this.writer.addTile(0, 0, Encoding.CELL_STORES, cellList(packCellStores(cellPlan.stores)));
  }

  /**
   * The glyph cells of the changed tiles the copies left (`cellFinder.ts`), drawn from the viewer's cache or kept in
   * it (`cellCache.ts`); undefined where cells are not allowed.
   */
  private planCells(
    s: Screen,
    cur: Uint32Array,
    key: boolean,
    copies: readonly CopyPayload[],
    covered: Uint8Array | undefined,
  ): CellPlan | undefined {
    if (!this.choice.allowed.has(Encoding.CELL_DRAWS) || !this.choice.allowed.has(Encoding.CELL_STORES)) {
      return undefined;
    }
    const found = findCells({ ...size(s), grid: s.grid, cur, dirty: s.dirty, covered });
    // The viewer already shows a cell's pixels where a copy brings them, or where they did not change.
    const holds = (r: Rect): boolean => {
      if (key) return false;
      if (copies.some((c) => contains(c, r))) return true;
      if (copies.some((c) => overlaps(c, r))) return false;
      for (let y = r.y; y < r.y + r.height; y++) {
        const row = y * s.width;
        for (let x = r.x; x < r.x + r.width; x++)
          if (((cur[row + x]! ^ s.ref[row + x]!) & 0xffffff) !== 0) return false;
      }
      return true;
    };
    return this.cells.plan(found, cur, s.width, holds);
  }

  /**
   * Whether this frame is sent for speed rather than size: when the tiles left after the copies are more than
   * `speedAboveTileShare` of the screen (a new page, a maximised window, a photo) and the link is not known to be
   * slower than `speedMinLinkBitsPerSecond`. Deflate is then about half of the encode time and most of the
   * viewer's decode time, and PNG most of a photo's: LZ4 takes a fraction of either for more bytes, which only a fast
   * link carries sooner.
   */
  private speedOverSize(s: Screen, pixelTiles: number): boolean {
    const large = pixelTiles > s.dirty.length * this.options.speedAboveTileShare;
    return large && this.fastLink();
  }

  /** The link is not known to be slower than `speedMinLinkBitsPerSecond` (not measured yet counts as fast). */
  private fastLink(): boolean {
    return (this.linkBitsPerSecond ?? Infinity) >= this.options.speedMinLinkBitsPerSecond;
  }

  /**
   * How this frame's runs compress: LZ4 for speed (or when it is the only one allowed), else deflate — with the
   * palette in the stream unless only the older form is allowed.
   */
  private runEncoding(speed: boolean): RunEncoding | undefined {
    const { allowed } = this.choice;
    const lz4 = allowed.has(Encoding.PALETTE_RUN_LZ4);
    const deflate = allowed.has(Encoding.PALETTE_RUN_DEFLATED_PALETTE)
      ? Encoding.PALETTE_RUN_DEFLATED_PALETTE
      : allowed.has(Encoding.PALETTE_RUN_DEFLATE)
        ? Encoding.PALETTE_RUN_DEFLATE
        : undefined;
    if (deflate === undefined) return lz4 ? Encoding.PALETTE_RUN_LZ4 : undefined;
    return lz4 && speed ? Encoding.PALETTE_RUN_LZ4 : deflate;
  }

  private findCopies(s: Screen, cur: Uint32Array): CopyPayload[] {
    return this.detector.detect({
      ...size(s),
      grid: s.grid,
      cur,
      ref: s.ref,
      curHashes: s.curHashes.hashes,
      prevHashes: s.prevHashes.hashes,
      dirty: s.dirty,
    });
  }

  private addCopy(copy: CopyPayload, tileSize: number, records: Record<EncodingName, number>) {
    const input = { width: 0, height: 0, pixels: this.buffers.pixels, previous: undefined, copy };
    const payload = this.encoders[Encoding.COPY].encode(input);
    const { tx, ty } = copyTile(copy, tileSize);
    records.COPY++;
    return this.writer.addTile(tx, ty, Encoding.COPY, payload!);
  }

  /**
   * Tile `t` as it is now and as the viewer will hold it before its record: read in place in the screen unless a copy or
   * a cell reaches into it, where it is gathered with them drawn; undefined when they made it.
   */
  private tileView(
    s: Screen,
    cur: Uint32Array,
    t: number,
    key: boolean,
    overlays: readonly Overlay[],
  ): TileView | undefined {
    const tx = t % s.grid.cols;
    const rect = blockRect(s.width, s.height, s.grid.tileSize, tx, (t - tx) / s.grid.cols);
    if (!overlays.some((c) => overlaps(c, rect))) {
      const previous = key ? undefined : s.ref;
      const from = rect.y * s.width + rect.x;
      return {
        pixels: cur,
        previous,
        width: rect.width,
        height: rect.height,
        from,
        stride: s.width,
        gathered: undefined,
      };
    }
    const input = this.tileInput(s, cur, t, key, overlays);
    return input && { ...input, from: 0, stride: input.width, gathered: input };
  }

  /** Tile `t` as it is now and as the viewer will hold it before its record; undefined when the copies and cells made it. */
  private tileInput(
    s: Screen,
    cur: Uint32Array,
    t: number,
    key: boolean,
    overlays: readonly Overlay[],
    into: TileBuffers = this.buffers,
  ): TileInput | undefined {
    const tx = t % s.grid.cols;
    const rect = blockRect(s.width, s.height, s.grid.tileSize, tx, (t - tx) / s.grid.cols);
    const count = gatherTile(cur, s.width, rect, into.pixels);
    if (!key) {
      gatherTile(s.ref, s.width, rect, into.previous);
      // A tile that the copies and cells alone bring up to date needs no record of its own.
      if (
        overlayCopies(overlays, rect, into.pixels, into.previous) &&
        sameWords(into.pixels, into.previous, count)
      ) {
        return undefined;
      }
    }
    return {
      width: rect.width,
      height: rect.height,
      pixels: into.pixels,
      previous: key ? undefined : into.previous,
      copy: undefined,
    };
  }

  /**
   * One record for one tile: the smallest of the per-tile encodings. PNG is for slow links only: on a fast one its
   * deflate costs more than its bytes save (the bench's animated region: 14 % fewer bytes than without it, for 1.6×
   * the encode and 3–4× the decode time).
   */
  private addPixels(
    s: Screen,
    t: number,
    input: TileInput | undefined,
    records: Record<EncodingName, number>,
    speed: boolean,
    colourful = false,
  ) {
    if (input === undefined) return Result.void;
    const tx = t % s.grid.cols;
    const choice = chooseTileEncoding(this.encoders, input, this.choice, speed || this.fastLink(), colourful);
    records[encodingName(choice.encoding)!]++;
    return this.writer.addTile(tx, (t - tx) / s.grid.cols, choice.encoding, choice.payload);
  }

  /** A colourful tile of a frame sent for speed: XOR delta or plain LZ4, packed where it lies (`SpeedTileChooser`). */
  private addSpeedTile(s: Screen, t: number, view: TileView, records: Record<EncodingName, number>) {
    const tx = t % s.grid.cols;
    const choice = this.speedTiles.choose(view, this.choice.allowed.has(Encoding.XOR_DELTA_LZ4), t);
    records[encodingName(choice.encoding)!]++;
    return this.writer.addTile(tx, (t - tx) / s.grid.cols, choice.encoding, choice.payload);
  }

  /** The viewer now holds `cur` in every changed tile; so does the reference, and its row hashes; and its cells. */
  private commit(s: Screen, cur: Uint32Array): void {
    if (this.cellPlan !== undefined) this.cells.commit(this.cellPlan);
    const { cols, rows, tileSize } = s.grid;
    for (let ty = 0; ty < rows; ty++) {
      forEachRun(s.dirty, ty * cols, cols, (t0, t1) => {
        const x = t0 * tileSize;
        const run = {
          x,
          y: ty * tileSize,
          width: Math.min(s.width, t1 * tileSize) - x,
          height: Math.min(tileSize, s.height - ty * tileSize),
        };
        copyRect(cur, s.ref, s.width, run);
        if (this.options.copyDetection)
          for (let tx = t0; tx < t1; tx++) s.prevHashes.copyTile(s.curHashes, tx, ty);
      });
    }
  }

  private screenFor(image: RgbaImage): Screen {
    const s = this.screen;
    if (s !== undefined && s.width === image.width && s.height === image.height) return s;
    const { width, height } = image;
    const grid = tileGrid(width, height, this.options.tileSizePx);
    const hashes = () => new SegmentHashes(width, height, grid);
    return {
      width,
      height,
      grid,
      ref: new Uint32Array(width * height),
      prevHashes: hashes(),
      curHashes: hashes(),
      dirty: new Uint8Array(grid.cols * grid.rows),
      colourful: new ColourfulTiles(),
      work: new Uint32Array(width * height),
    };
  }

  /** The input as words: quantised in 256-colour mode, copied only when the bytes are not 4-aligned. */
  private pixelsOf(image: RgbaImage, s: Screen): Uint32Array {
    const count = s.width * s.height;
    const aligned = image.data.byteOffset % 4 === 0;
    const words = aligned ? new Uint32Array(image.data.buffer, image.data.byteOffset, count) : undefined;
    if (this.options.colourMode === "palette256") {
      quantize256(words ?? new Uint32Array(image.data.slice().buffer), s.work, count);
      return s.work;
    }
    if (words !== undefined) return words;
    new Uint8Array(s.work.buffer).set(image.data);
    return s.work;
  }
}

/** Calls `fn(t0, t1)` for each run of consecutive set entries in `flags[from .. from + length)`, as column indexes. */
const forEachRun = (
  flags: Uint8Array,
  from: number,
  length: number,
  fn: (t0: number, t1: number) => void,
): void => {
  let t = 0;
  while (t < length) {
    if (flags[from + t] === 0) {
      t++;
      continue;
    }
    const start = t;
    while (t < length && flags[from + t] !== 0) t++;
    fn(start, t);
  }
};

const size = (s: Screen) => ({ width: s.width, height: s.height });

/** A rectangle where the viewer will hold exactly the current pixels before the tiles' records: a copy, a cell. */
type Overlay = Pick<CopyPayload, "dstX" | "dstY" | "width" | "height">;

const contains = (c: Overlay, r: Rect): boolean =>
  c.dstX <= r.x && c.dstY <= r.y && r.x + r.width <= c.dstX + c.width && r.y + r.height <= c.dstY + c.height;

/** A cell list's payload: its count, then its entries deflated. */
const cellList = (entries: Uint8Array): Uint8Array => {
  const count = entries.length / CELL_ENTRY_BYTES;
  const stream = deflateRawSync(entries, { level: RUN_DEFLATE_LEVEL });
  const out = new Uint8Array(CELL_LIST_HEAD_BYTES + stream.length);
  out[0] = count & 0xff;
  out[1] = count >>> 8;
  out.set(stream, CELL_LIST_HEAD_BYTES);
  return out;
};

/** Whether an overlay reaches into `rect`. */
const overlaps = (c: Overlay, rect: Rect): boolean =>
  c.dstX < rect.x + rect.width &&
  rect.x < c.dstX + c.width &&
  c.dstY < rect.y + rect.height &&
  rect.y < c.dstY + c.height;

const countSet = (flags: Uint8Array): number => {
  let n = 0;
  for (let i = 0; i < flags.length; i++) if (flags[i] !== 0) n++;
  return n;
};

const fillDirty = (dirty: Uint8Array): number => {
  dirty.fill(1);
  return dirty.length;
};

const hashDirty = (s: Screen, cur: Uint32Array): void => {
  for (let t = 0; t < s.dirty.length; t++) {
    if (s.dirty[t] === 0) continue;
    const tx = t % s.grid.cols;
    s.curHashes.hashTile(cur, tx, (t - tx) / s.grid.cols);
  }
};

const emptyCounts = (): Record<EncodingName, number> => ({
  SOLID: 0,
  COPY: 0,
  XOR_DELTA_LZ4: 0,
  LZ4: 0,
  PNG: 0,
  PALETTE256: 0,
  PALETTE_RUN_DEFLATE: 0,
  PALETTE_RUN_LZ4: 0,
  PALETTE_RUN_DEFLATED_PALETTE: 0,
  CELL_DRAWS: 0,
  CELL_STORES: 0,
});
