// Copy/move detection for one frame: scroll votes first, then the anchor search on what is left, then verify and merge.
import type { TileGrid } from "../../protocol/frame/index.ts";
import { type CopyBlock, mergeBlocks, verifyMotions } from "./copyPlanner.ts";
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
  /** Row stride of the anchor lookup in the current frame (1 = every row). */
  readonly moveRowStride: number;
}

export interface CopyFrame {
  readonly width: number;
  readonly height: number;
  readonly grid: TileGrid;
  readonly cur: Uint32Array;
  readonly ref: Uint32Array;
  readonly curHashes: Uint32Array;
  readonly prevHashes: Uint32Array;
  readonly dirty: Uint8Array;
}

export class CopyDetector {
  private readonly rows = new IntMap();
  private readonly anchors = new IntMap(1 << 14);
  private readonly votes = new IntMap(1 << 10);
  /** Per tile: 0 = not copied, else 1 + index into the motions found this frame. */
  assigned = new Uint8Array(0);

  constructor(private readonly options: CopyDetectionOptions) {}

  /** The COPY blocks for this frame; `assigned` marks the tiles they cover. */
  detect(frame: CopyFrame): CopyBlock[] {
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
    verifyMotions(verify, scrolls, motions.length + 1);
    motions.push(...scrolls);

    const left = this.unexplained(frame.dirty);
    if (left !== undefined) {
      this.votes.clear();
      const input = {
        ...frame,
        prev: frame.ref,
        prevRegion: frame.dirty,
        curRegion: left,
        curRowStride: this.options.moveRowStride,
      };
      voteMoves(input, this.anchors, this.votes);
      const moves = topMotions(
        this.votes,
        width,
        height,
        this.options.moveVotesMin,
        this.options.copyCandidatesMax,
      );
      verifyMotions(verify, moves, motions.length + 1);
      motions.push(...moves);
    }
    return mergeBlocks(grid, this.assigned, (id) => motions[id - 1]!);
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
