// Fixed numbers of the binary frame layout: magic, version, header sizes, flags and limits.

/** "TNDF" — the first four bytes of every frame message. */
export const FRAME_MAGIC = Uint8Array.of(0x54, 0x4e, 0x44, 0x46);
export const FRAME_VERSION = 1;
/** Bytes before the first tile record. */
export const FRAME_HEADER_BYTES = 24;
/** Bytes before each tile's payload: tx u16, ty u16, encoding u8, payload length u24. */
export const TILE_HEADER_BYTES = 8;
/** Largest payload a tile record can carry (u24). */
export const TILE_PAYLOAD_MAX_BYTES = 0xff_ffff;
/** Header flag: no tile refers to the previous frame; the viewer starts from black. */
export const FLAG_KEY = 0x01;
/** Flag bits this version defines; any other set bit is a bad header. */
export const KNOWN_FLAGS = FLAG_KEY;
/** Default tile edge (R-D3). */
export const TILE_SIZE_PX = 64;
/** Largest screen edge the u16 header fields allow. */
export const SCREEN_EDGE_MAX_PX = 0xffff;
/** Largest screen area accepted (pixel indexes must fit in an int32; 16384×16384). */
export const SCREEN_MAX_PIXELS = 1 << 28;
/** Bytes per pixel inside the packed-RGB payloads (LZ4, XOR_DELTA_LZ4). */
export const RGB_BYTES = 3;
