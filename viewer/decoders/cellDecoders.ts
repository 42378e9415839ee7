// CELL_DRAWS and CELL_STORES (protocol/frame/cells.ts): the viewer's cache of glyph cells, filled by stores and drawn
// from by draws. Both decoders share one cache; a key frame empties it (`reset`).

import * as Result from "effect/Result";
import {
  CELL_ENTRY_BYTES,
  CELL_LIST_HEAD_BYTES,
  CELL_LIST_MAX,
  CELL_SLOTS,
  type CellDraw,
  type CellStore,
  decodeError,
  Encoding,
  type FrameDecodeError,
  type Rect,
  unpackCellDraws,
  unpackCellStores,
} from "../../protocol/frame/index.ts";
import type { BlockInflater } from "./blockInflater.ts";
import type { TileDecoder } from "./tileDecoder.ts";

interface Cell {
  readonly width: number;
  readonly height: number;
  /** RGBA rows, as `Display.readRgba` gives them. */
  readonly rgba: Uint8Array;
}

/** The slots, and the one the next store takes. */
class CellCache {
  readonly slots: (Cell | undefined)[] = new Array(CELL_SLOTS);
  next = 0;

  clear(): void {
    this.slots.fill(undefined);
    this.next = 0;
  }
}

/** The record's entries, inflated (exactly count × CELL_ENTRY_BYTES bytes) and read, or why not. */
const listOf = <A>(
  payload: Uint8Array,
  inflater: BlockInflater,
  read: (bytes: Uint8Array) => Result.Result<A[], FrameDecodeError>,
): A[] | FrameDecodeError => {
  if (payload.length < CELL_LIST_HEAD_BYTES)
    return decodeError("BadPayload", "a cell list without its count");
  const count = payload[0]! | (payload[1]! << 8);
  if (count > CELL_LIST_MAX) return decodeError("BadPayload", `a list of ${count} cells`);
  const size = count * CELL_ENTRY_BYTES;
  const out = inflater.deflate(payload.subarray(CELL_LIST_HEAD_BYTES), size);
  if (out === undefined) {
    return decodeError("BadPayload", "a cell list that does not inflate to its count");
  }
  const list = read(out);
  return Result.isFailure(list) ? list.failure : list.success;
};

const rectOf = (c: CellDraw | CellStore, cell: { width: number; height: number }): Rect => ({
  x: c.x,
  y: c.y,
  width: cell.width,
  height: cell.height,
});

export const createCellDecoders = (inflater: BlockInflater): { draws: TileDecoder; stores: TileDecoder } => {
  const cache = new CellCache();
  const draws: TileDecoder = {
    encoding: Encoding.CELL_DRAWS,
    needsReference: true,
    drawsOwnTile: false,
    reset: () => cache.clear(),
    draw: ({ record, display }) => {
      const list = listOf(record.payload, inflater, unpackCellDraws);
      if (!Array.isArray(list)) return list;
      // All checked before any is drawn; then drawn with one damaged rectangle.
      const pieces: { rect: Rect; rgba: Uint8Array }[] = [];
      for (const d of list) {
        const cell = cache.slots[d.slot];
        if (cell === undefined) return decodeError("BadPayload", `cell slot ${d.slot} is empty`);
        const rect = rectOf(d, cell);
        if (!display.contains(rect)) return decodeError("OutOfBounds", `cell at (${d.x}, ${d.y})`);
        pieces.push({ rect, rgba: cell.rgba });
      }
      display.putRgbaAll(pieces);
      return undefined;
    },
  };
  const stores: TileDecoder = {
    encoding: Encoding.CELL_STORES,
    needsReference: false,
    drawsOwnTile: false,
    reset: () => cache.clear(),
    draw: ({ record, display }) => {
      const list = listOf(record.payload, inflater, unpackCellStores);
      if (!Array.isArray(list)) return list;
      for (const s of list) {
        const rect = rectOf(s, s);
        if (!display.contains(rect)) return decodeError("OutOfBounds", `cell at (${s.x}, ${s.y})`);
        const rgba = new Uint8Array(s.width * s.height * 4);
        display.readRgba(rect, rgba);
        cache.slots[cache.next] = { width: s.width, height: s.height, rgba };
        cache.next = (cache.next + 1) % CELL_SLOTS;
      }
      return undefined;
    },
  };
  return { draws, stores };
};
