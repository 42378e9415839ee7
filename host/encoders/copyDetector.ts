// Copy/move detection for one frame: scroll votes first, then the anchor search on what is left, then verify and merge.
import type { CopyPayload } from "../../protocol/frame/index.ts";
import type { ChangedScreen } from "./changedScreen.ts";
import { planCopies, verifyMotions } from "./copyPlanner.ts";
import { IntMap } from "./intMap.ts";
import { type Motion, topMotions } from "./motionVotes.ts";
import { voteMoves } from "./moveDetector.ts";
import { voteScroll } from "./scrollDetector.ts";

export interface CopyDetectionOptions {
  /** Most motions verified per search (each costs one comparison per unexplained tile). */
  readonly copyCandidatesMax: number;
  /** Rows that must agree on a scroll offset before it is verified. */
  readonly scrollVotesMin: number;
  /** Anchors that must agree on a move before it is verified. */
  readonly moveVotesMin: number;
  /** Anchor rows indexed in the previous frame: every n-th. */
  readonly moveIndexRowStride: number;
  /** Anchor rows looked up in the current frame: `moveIndexRowStride` consecutive ones per this many. */
  readonly moveLookupRowPeriod: number;
  /** Run the moved-window search only when scrolls explained less than this share of the changed tiles. */
  readonly moveSearchBelowExplained: number;
}

/**
 * A change over more than this share of the tiles whose moved-window search verified nothing twice in a row (a photo
 * or a video redrawn, a new page) skips that search, ~2 ms of the bench's 1280×720 photo redraw, until a search
 * finds a move again, or is not skipped…
 */
const LARGE_CHANGE_TILE_SHARE = 0.25;
const MISSES_BEFORE_SKIPPING = 2;
/** …except in every this-many-th such frame, which searches again: a window dragged over it is found that late. */
const SKIPPED_SEARCHES_MAX = 7;

export interface CopyFrame extends ChangedScreen {
  readonly ref: Uint32Array;
  readonly curHashes: Uint32Array;
  readonly prevHashes: Uint32Array;
}

export class CopyDetector {
  private readonly rows = new IntMap();
  private readonly anchors = new IntMap(1 << 14);
  private readonly votes = new IntMap(1 << 10);
  /** Per tile: 0 = not copied, else 1 + index into the motions found this frame. */
  assigned = new Uint8Array(0);
  /** Large changes in a row whose move search verified no motion, and the searches skipped since the last one. */
  private largeMisses = 0;
  private skippedSearches = 0;

  constructor(private readonly options: CopyDetectionOptions) {}

  /** The COPY rectangles for this frame; `assigned` marks the whole tiles they cover. */
  detect(frame: CopyFrame): CopyPayload[] {
    const { grid, width, height } = frame;
    const tiles = grid.cols * grid.rows;
    if (this.assigned.length !== tiles) this.assigned = new Uint8Array(tiles);
    else this.assigned.fill(0);
    const verify = { ...frame, assigned: this.assigned };
    const motions: Motion[] = [];

    this.votes.clear();
    voteScroll({ ...frame, prev: frame.prevHashes, cur: frame.curHashes }, this.rows, this.votes);
    const scrolls = topMotions(
      this.votes,
      width,
      height,
      this.options.scrollVotesMin,
      this.options.copyCandidatesMax,
    );
    const scrolled = verifyMotions(verify, scrolls, motions.length + 1);
    motions.push(...scrolls);

    // A scroll that explains most of the change leaves edges the anchor search cannot help with.
    const left = this.unexplained(frame.dirty);
    const dirtyCount = frame.dirty.reduce((n, d) => n + d, 0);
    const large = dirtyCount > tiles * LARGE_CHANGE_TILE_SHARE;
    if (!large) this.largeMisses = 0;
    const wanted = left !== undefined && scrolled < dirtyCount * this.options.moveSearchBelowExplained;
    if (wanted && !this.skipsMoveSearch(large)) {
      this.votes.clear();
      const input = {
        ...frame,
        prev: frame.ref,
        prevRegion: frame.dirty,
        curRegion: left,
        indexRowStride: this.options.moveIndexRowStride,
        lookupRowPeriod: this.options.moveLookupRowPeriod,
      };
      voteMoves(input, this.anchors, this.votes);
      const moves = topMotions(
        this.votes,
        width,
        height,
        this.options.moveVotesMin,
        this.options.copyCandidatesMax,
      );
      const moved = verifyMotions(verify, moves, motions.length + 1);
      motions.push(...moves);
      this.largeMisses = large && moved === 0 ? this.largeMisses + 1 : 0;
      this.skippedSearches = 0;
    }
    return planCopies(verify, (id) => motions[id - 1]!);
  }

  /** Whether this large change skips the move search after the last ones found nothing (and counts it). */
  private skipsMoveSearch(large: boolean): boolean {
    const skips =
      large && this.largeMisses >= MISSES_BEFORE_SKIPPING && this.skippedSearches < SKIPPED_SEARCHES_MAX;
    if (skips) this.skippedSearches++;
    return skips;
  }

  /** Changed tiles no motion explains yet, or `undefined` when there are none. */
  private unexplained(dirty: Uint8Array): Uint8Array | undefined {
    const left = new Uint8Array(dirty.length);
    let any = false;
    for (let t = 0; t < dirty.length; t++) {
      if (dirty[t] !== 0 && this.assigned[t] === 0) {
        left[t] = 1;
        any = true;
      }
    }
    return any ? left : undefined;
  }
}
