// LZ4 raw-block compression on the host through lz4-napi, without its 4-byte size prefix.
import { compressSync } from "lz4-napi";

/** lz4-napi (lz4_flex `compress_prepend_size`) puts the uncompressed size in front of the block. */
const SIZE_PREFIX_BYTES = 4;

/**
 * Compresses `data` into one raw LZ4 block. The viewer knows the uncompressed size from the tile's
 * geometry, so the block carries no header at all.
 */
export const compressBlock = (data: Uint8Array): Uint8Array => {
  const input = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return compressSync(input).subarray(SIZE_PREFIX_BYTES);
};
