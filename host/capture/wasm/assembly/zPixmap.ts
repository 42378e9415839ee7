// AssemblyScript: zPixmapRowsToRgba of ../../zPixmap.ts in WebAssembly (SIMD: four pixels a step), same answers.
// Compiled from source by ../build.ts; the TS loop stays the reference and the fallback.

/**
 * Rewrites `count` ZPixmap words at `p` as RGBA in place, alpha 255. `msbFirst`: the server's bytes are X, R, G, B;
 * otherwise B, G, R, X (little-endian servers, the usual case).
 */
export function zPixmapToRgba(p: usize, count: usize, msbFirst: bool): void {
  const end = p + (count << 2);
  const alpha = i32x4.splat(0xff000000);
  if (msbFirst) {
    for (; p + 16 <= end; p += 16) {
      const v = v128.load(p);
      v128.store(p, v128.or(v128.shuffle<u8>(v, v, 1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12), alpha));
    }
    for (; p < end; p += 4) store<u32>(p, (load<u32>(p) >>> 8) | 0xff000000);
  } else {
    for (; p + 16 <= end; p += 16) {
      const v = v128.load(p);
      v128.store(p, v128.or(v128.shuffle<u8>(v, v, 2, 1, 0, 3, 6, 5, 4, 7, 10, 9, 8, 11, 14, 13, 12, 15), alpha));
    }
    for (; p < end; p += 4) {
      const v = load<u32>(p);
      store<u32>(p, (v << 16) | (v & 0xff00) | ((v >>> 16) & 0xff) | 0xff000000);
    }
  }
}

/** Where JS may lay out the frame: past the module's static data, 16-aligned. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}
