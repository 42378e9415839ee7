// Byte layouts of the small structured payloads (SOLID, COPY, PALETTE256 and PALETTE_RUN_DEFLATE heads) and palette
// index packing.
import * as Result from "effect/Result";
import { decodeError, type FrameDecodeError } from "./errors.ts";

/** SOLID payload: R, G, B. */
export const SOLID_PAYLOAD_BYTES = 3;

/** COPY payload: offX u8, offY u8, width u16, height u16, srcX u16, srcY u16 (little-endian). */
export const COPY_PAYLOAD_BYTES = 10;

/**
 * A COPY record's meaning: the rectangle at (dstX, dstY) takes the pixels of the same-sized rectangle
 * at (srcX, srcY) of the previous frame. The rectangle starts inside the record's tile (the payload
 * holds the offset from the tile's corner) and may reach over any number of tiles.
 */
export interface CopyPayload {
  readonly dstX: number;
  readonly dstY: number;
  readonly width: number;
  readonly height: number;
  readonly srcX: number;
  readonly srcY: number;
}

/** The tile a COPY record is filed under: the one holding its rectangle's top-left pixel. */
export const copyTile = (p: CopyPayload, tileSize: number): { tx: number; ty: number } => ({
  tx: Math.floor(p.dstX / tileSize),
  ty: Math.floor(p.dstY / tileSize),
});

export const writeCopyPayload = (p: CopyPayload, tileSize: number): Uint8Array => {
  const out = new Uint8Array(COPY_PAYLOAD_BYTES);
  const view = new DataView(out.buffer);
  view.setUint8(0, p.dstX % tileSize);
  view.setUint8(1, p.dstY % tileSize);
  view.setUint16(2, p.width, true);
  view.setUint16(4, p.height, true);
  view.setUint16(6, p.srcX, true);
  view.setUint16(8, p.srcY, true);
  return out;
};

/** Reads a COPY payload filed under tile (tx, ty); checks only what needs no screen (the decoder checks bounds). */
export const readCopyPayload = (
  bytes: Uint8Array,
  tx: number,
  ty: number,
  tileSize: number,
): Result.Result<CopyPayload, FrameDecodeError> => {
  if (bytes.length !== COPY_PAYLOAD_BYTES) {
    return Result.fail(
      decodeError("BadPayload", `COPY payload is ${bytes.length} bytes, expected ${COPY_PAYLOAD_BYTES}`),
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, COPY_PAYLOAD_BYTES);
  const offX = view.getUint8(0);
  const offY = view.getUint8(1);
  const width = view.getUint16(2, true);
  const height = view.getUint16(4, true);
  if (offX >= tileSize || offY >= tileSize)
    return Result.fail(decodeError("BadPayload", "COPY starts outside its tile"));
  if (width === 0 || height === 0)
    return Result.fail(decodeError("BadPayload", "COPY of an empty rectangle"));
  return Result.succeed({
    dstX: tx * tileSize + offX,
    dstY: ty * tileSize + offY,
    width,
    height,
    srcX: view.getUint16(6, true),
    srcY: view.getUint16(8, true),
  });
};

/**
 * PALETTE256 payload: one byte (entries − 1), entries × R G B, then the indices as one raw LZ4 block.
 * Indices use the fewest of 1, 2, 4 or 8 bits that fit the entry count, most significant bits first,
 * each row starting on a whole byte.
 */
export const PALETTE_MAX_ENTRIES = 256;

export const paletteBitsPerIndex = (entries: number): 1 | 2 | 4 | 8 =>
  entries <= 2 ? 1 : entries <= 4 ? 2 : entries <= 16 ? 4 : 8;

/** Bytes of one packed index row. */
export const paletteRowBytes = (width: number, bits: number): number => Math.ceil((width * bits) / 8);

/** Offset of the LZ4 block inside a PALETTE256 payload with `entries` colours. */
export const paletteIndexOffset = (entries: number): number => 1 + entries * 3;

/**
 * PALETTE_RUN_DEFLATE / PALETTE_RUN_LZ4 payload: tiles n (1–255, along the row from the record's tile), colours c
 * (0–255), c × R G B, then one raw deflate stream (or one raw LZ4 block) of the run's indices, row by row across the whole run, b bits an index (the fewest of
 * 1, 2, 4, 8 that hold c + 1 values; most significant first, each row padded to a whole byte): 0 keeps the viewer's
 * pixel, k (1…c) is palette colour k.
 */
export const RUN_TILES_MAX = 255;
export const RUN_COLOURS_MAX = 255;

/** Offset of the compressed indices inside a palette-run payload with `colours` colours. */
export const runIndexOffset = (colours: number): number => 2 + colours * 3;

/**
 * PALETTE_RUN_DEFLATED_PALETTE payload: tiles n, colours c, then one raw deflate stream that inflates to the palette
 * as 3c bytes — c reds, c greens, c blues, each the difference (mod 256) from the colour before's (the first from 0)
 * — followed by the indices as in PALETTE_RUN_DEFLATE.
 */
export const RUN_DEFLATED_PALETTE_STREAM_OFFSET = 2;

/** Bits an index takes in a run of `colours` colours (index 0, "keep", counts as one more value). */
export const runBitsPerIndex = (colours: number): 1 | 2 | 4 | 8 => paletteBitsPerIndex(colours + 1);
