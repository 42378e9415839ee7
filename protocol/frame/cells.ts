// CELL_DRAWS and CELL_STORES: a cache of small rectangles of the picture in the viewer — the glyph cells of text —
// that the host fills and refers to by slot. A fast terminal's new line is mostly glyphs it has shown before; drawn
// from the cache, each costs a few bytes of a list instead of ~25 bytes of deflated palette indices.
//
// The host names every slot it uses, so both sides agree with no rule of their own: stores take the slots in turn
// (0, 1, …, CELL_SLOTS − 1, 0, …), a store replaces what its slot held, and a key frame empties every slot and starts
// again at 0. A frame that fails part way leaves the viewer refusing frames until a key frame, which empties it too.
//
// Payload of both records: count u16 LE, then one raw deflate stream that inflates to exactly count entries of
// CELL_ENTRY_BYTES each, little-endian — a draw: slot u16, x u16, y u16 (the cell's top-left corner on screen); a
// store: x u16, y u16, width u8, height u8.
import * as Result from "effect/Result";
import { decodeError, type FrameDecodeError } from "./errors.ts";

export const CELL_SLOTS = 2048;
/** A cell is at most this wide and high: the cache holds at most CELL_SLOTS × 32 × 32 pixels (8 MiB). */
export const CELL_EDGE_MAX_PX = 32;
export const CELL_ENTRY_BYTES = 6;
/** Most entries in one list: a page of text has a few thousand glyphs; more would only be a host's mistake or worse. */
export const CELL_LIST_MAX = 8192;
/** The count ahead of the deflate stream. */
export const CELL_LIST_HEAD_BYTES = 2;

export interface CellDraw {
  readonly slot: number;
  readonly x: number;
  readonly y: number;
}

export interface CellStore {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** The entries' bytes, before deflate. */
export const packCellDraws = (draws: readonly CellDraw[]): Uint8Array => {
  const out = new Uint8Array(draws.length * CELL_ENTRY_BYTES);
  const view = new DataView(out.buffer);
  draws.forEach((d, i) => {
    view.setUint16(i * CELL_ENTRY_BYTES, d.slot, true);
    view.setUint16(i * CELL_ENTRY_BYTES + 2, d.x, true);
    view.setUint16(i * CELL_ENTRY_BYTES + 4, d.y, true);
  });
  return out;
};

export const packCellStores = (stores: readonly CellStore[]): Uint8Array => {
  const out = new Uint8Array(stores.length * CELL_ENTRY_BYTES);
  const view = new DataView(out.buffer);
  stores.forEach((s, i) => {
    view.setUint16(i * CELL_ENTRY_BYTES, s.x, true);
    view.setUint16(i * CELL_ENTRY_BYTES + 2, s.y, true);
    view.setUint8(i * CELL_ENTRY_BYTES + 4, s.width);
    view.setUint8(i * CELL_ENTRY_BYTES + 5, s.height);
  });
  return out;
};

/** Reads inflated draw entries; a slot past the cache is BadPayload (bounds and empty slots are the viewer's). */
export const unpackCellDraws = (bytes: Uint8Array): Result.Result<CellDraw[], FrameDecodeError> => {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const draws: CellDraw[] = [];
  for (let at = 0; at + CELL_ENTRY_BYTES <= bytes.length; at += CELL_ENTRY_BYTES) {
    const slot = view.getUint16(at, true);
    if (slot >= CELL_SLOTS) return Result.fail(decodeError("BadPayload", `cell slot ${slot} past the cache`));
    draws.push({ slot, x: view.getUint16(at + 2, true), y: view.getUint16(at + 4, true) });
  }
  return Result.succeed(draws);
};

/** Reads inflated store entries; an empty or oversized cell is BadPayload. */
export const unpackCellStores = (bytes: Uint8Array): Result.Result<CellStore[], FrameDecodeError> => {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stores: CellStore[] = [];
  for (let at = 0; at + CELL_ENTRY_BYTES <= bytes.length; at += CELL_ENTRY_BYTES) {
    const width = view.getUint8(at + 4);
    const height = view.getUint8(at + 5);
    if (width === 0 || height === 0 || width > CELL_EDGE_MAX_PX || height > CELL_EDGE_MAX_PX) {
      return Result.fail(decodeError("BadPayload", `a ${width}×${height} cell`));
    }
    stores.push({ x: view.getUint16(at, true), y: view.getUint16(at + 2, true), width, height });
  }
  return Result.succeed(stores);
};
