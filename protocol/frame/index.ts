// Public face of the binary frame format: wire table, layout, header, reader, writer, payloads, errors.
export {
  CELL_EDGE_MAX_PX,
  CELL_ENTRY_BYTES,
  CELL_LIST_HEAD_BYTES,
  CELL_LIST_MAX,
  CELL_SLOTS,
  type CellDraw,
  type CellStore,
  packCellDraws,
  packCellStores,
  unpackCellDraws,
  unpackCellStores,
} from "./cells.ts";
export { allEncodings, Encoding, type EncodingName, encodingName, isEncoding } from "./encodings.ts";
export {
  decodeError,
  encodeError,
  FrameDecodeError,
  type FrameDecodeReason,
  FrameEncodeError,
  type FrameEncodeReason,
} from "./errors.ts";
export { type Frame, readFrame, type TileRecord } from "./frameReader.ts";
export { type FrameStart, FrameWriter } from "./frameWriter.ts";
export { blockRect, type Rect, type TileGrid, tileGrid } from "./geometry.ts";
export { type FrameHeader, readFrameHeader, writeFrameHeader } from "./header.ts";
export { cloneImage, createImage, type RgbaImage } from "./image.ts";
export {
  FLAG_KEY,
  FRAME_HEADER_BYTES,
  FRAME_MAGIC,
  FRAME_VERSION,
  RGB_BYTES,
  SCREEN_EDGE_MAX_PX,
  SCREEN_MAX_PIXELS,
  TILE_HEADER_BYTES,
  TILE_PAYLOAD_MAX_BYTES,
  TILE_SIZE_PX,
} from "./layout.ts";
export {
  COPY_PAYLOAD_BYTES,
  type CopyPayload,
  copyTile,
  PALETTE_MAX_ENTRIES,
  paletteBitsPerIndex,
  paletteIndexOffset,
  paletteRowBytes,
  RUN_COLOURS_MAX,
  RUN_DEFLATED_PALETTE_STREAM_OFFSET,
  RUN_TILES_MAX,
  readCopyPayload,
  runBitsPerIndex,
  runIndexOffset,
  SOLID_PAYLOAD_BYTES,
  writeCopyPayload,
} from "./payloads.ts";
