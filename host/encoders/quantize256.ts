// The lossy step of the 256-colour mode (R-V6): maps every pixel to a fixed palette of a 6×6×6 cube plus 40 greys.

const CUBE_LEVELS = [0, 51, 102, 153, 204, 255] as const;
const GREYS = Array.from({ length: 40 }, (_, i) => Math.round(((i + 1) * 255) / 41));

const nearestLevel = (v: number): number => CUBE_LEVELS[Math.min(5, Math.round(v / 51))]!;
const nearestGrey = (v: number): number =>
  GREYS.reduce((best, g) => (Math.abs(g - v) < Math.abs(best - v) ? g : best), GREYS[0]!);
const word = (r: number, g: number, b: number): number => (0xff000000 | (b << 16) | (g << 8) | r) >>> 0;

/** The 256 palette colours as 0xAABBGGRR words. */
export const PALETTE_256: readonly number[] = [
  ...CUBE_LEVELS.flatMap((r) => CUBE_LEVELS.flatMap((g) => CUBE_LEVELS.map((b) => word(r, g, b)))),
  ...GREYS.map((v) => word(v, v, v)),
];

let lut: Uint32Array | undefined;

/** Palette word for each RGB555 bucket: the nearer of the cube colour and the grey for the bucket centre. */
const buildLut = (): Uint32Array => {
  const table = new Uint32Array(1 << 15);
  for (let i = 0; i < table.length; i++) {
    const r = ((i & 31) << 3) | 4;
    const g = (((i >>> 5) & 31) << 3) | 4;
    const b = (((i >>> 10) & 31) << 3) | 4;
    const [cr, cg, cb] = [nearestLevel(r), nearestLevel(g), nearestLevel(b)];
    const grey = nearestGrey(Math.round((r + g + b) / 3));
    const cubeErr = (r - cr) ** 2 + (g - cg) ** 2 + (b - cb) ** 2;
    const greyErr = (r - grey) ** 2 + (g - grey) ** 2 + (b - grey) ** 2;
    table[i] = greyErr < cubeErr ? word(grey, grey, grey) : word(cr, cg, cb);
  }
  return table;
};

/** Writes the quantised `src` into `dst` (both 0xAABBGGRR words, `count` long). */
export const quantize256 = (src: Uint32Array, dst: Uint32Array, count: number): void => {
  lut ??= buildLut();
  const table = lut;
  for (let i = 0; i < count; i++) {
    const p = src[i]!;
    dst[i] = table[((p >>> 3) & 0x1f) | ((p >>> 6) & 0x3e0) | ((p >>> 9) & 0x7c00)]!;
  }
};
