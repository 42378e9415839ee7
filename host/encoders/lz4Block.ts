// LZ4 raw-block compression on the host through lz4-napi, without its 4-byte size prefix.
import { compressSync } from "lz4-napi";

/** lz4-napi (lz4_flex `compress_prepend_size`) puts the uncompressed size in front of the block. */
const SIZE_PREFIX_BYTES = 4;

/** Bytes compressed first to see whether the rest is worth it. */
const PROBE_BYTES = 2048;
/** A probe that shrinks by less than this share means noise: store the literals instead. */
const PROBE_MIN_GAIN = 0.02;

const compress = (data: Uint8Array): Uint8Array =>
  compressSync(Buffer.from(data.buffer, data.byteOffset, data.byteLength)).subarray(SIZE_PREFIX_BYTES);

/**
 * One LZ4 block holding `data` as a single run of literals: valid LZ4, built with one copy, for data
 * LZ4 cannot shrink (compressing noise costs ~10× more than storing it and gains nothing).
 */
export const storedBlock = (data: Uint8Array): Uint8Array => {
  const n = data.length;
  const extra = n >= 15 ? Math.floor((n - 15) / 255) + 1 : 0;
  const out = new Uint8Array(1 + extra + n);
  out[0] = Math.min(n, 15) << 4;
  if (n >= 15) {
    out.fill(255, 1, extra);
    out[extra] = (n - 15) % 255;
  }
  out.set(data, 1 + extra);
  return out;
};

/**
 * How well LZ4 shrinks the first bytes of `data`, as compressed / original (0 when `data` is too short to probe):
 * what `compressBlock` looks at before the rest, and a cheap way to tell which of two candidates will be smaller.
 */
export const probeShare = (data: Uint8Array): number =>
  data.length > PROBE_BYTES * 2 ? compress(data.subarray(0, PROBE_BYTES)).length / PROBE_BYTES : 0;

/** `compressBlock` with its probe already taken (`share` from `probeShare(data)`). */
export const compressProbed = (data: Uint8Array, share: number): Uint8Array =>
  share > 1 - PROBE_MIN_GAIN ? storedBlock(data) : compress(data);

/**
 * Compresses `data` into one raw LZ4 block. The viewer knows the uncompressed size from the tile's
 * geometry, so the block carries no header at all.
 */
export const compressBlock = (data: Uint8Array): Uint8Array => compressProbed(data, probeShare(data));

/** Below this expected share a block is compressed without its probe: even with `SHARE_SLACK` it beats storing. */
const UNPROBED_SHARE_MAX = 0.9;

/**
 * `compressBlock` for data expected to shrink to about `expectedShare` of its size (the same tile's last block): when
 * that is well below storing, the 2 KiB probe is skipped — lz4-napi sets up its tables on every call, so the probe
 * costs a third of what compressing a 64×64 tile does. The answer differs from `compressBlock`'s only where the probe
 * would have stored data that compresses after all.
 */
export const compressExpecting = (data: Uint8Array, expectedShare: number): Uint8Array =>
  expectedShare < UNPROBED_SHARE_MAX ? compress(data) : compressBlock(data);
