// The one table of wire numbers for tile encodings; host encoders and viewer decoders are keyed by it.

/** Wire number of each tile encoding (the `encoding` byte of a tile record). Never renumber. */
export const Encoding = {
  /** Whole tile one colour: payload is 3 bytes R, G, B. */
  SOLID: 0,
  /** A block of tiles copied from elsewhere in the previous frame (scroll, window drag). */
  COPY: 1,
  /** Packed RGB XOR the previous frame's same tile, as one raw LZ4 block. */
  XOR_DELTA_LZ4: 2,
  /** Packed RGB pixels as one raw LZ4 block. */
  LZ4: 3,
  /** A PNG image (8-bit RGB or RGBA, not interlaced) of exactly the tile's size. */
  PNG: 4,
  /** Up to 256 RGB palette entries, then bit-packed indices as one raw LZ4 block (R-V6). */
  PALETTE256: 5,
  /**
   * A run of tiles along one tile row sharing one palette of up to 255 colours; index 0 keeps the pixel the viewer
   * holds. The indices of the whole run, row by row, as one raw deflate stream: text, where glyphs repeat along a line.
   */
  PALETTE_RUN_DEFLATE: 6,
  /**
   * PALETTE_RUN_DEFLATE's layout with the indices as one raw LZ4 block: what the host sends when a frame changes most
   * of the screen, where deflate's encode and inflate time would cost the frame rate more than its bytes save.
   */
  PALETTE_RUN_LZ4: 7,
  /**
   * PALETTE_RUN_DEFLATE with the palette inside the deflate stream, before the indices: each channel's values as
   * differences from the colour before. The host sorts the palette, so the anti-aliased ramps of text cost ~half.
   */
  PALETTE_RUN_DEFLATED_PALETTE: 8,
  /**
   * Glyph cells drawn from the viewer's cell cache: a list of (slot, x, y), deflated. Applied where it stands (the
   * host sends it after the COPY records, before any other); not in a key frame. See `cells.ts`.
   */
  CELL_DRAWS: 9,
  /**
   * Rectangles of the picture, as it is where the record stands, kept in the viewer's cell cache: a list of
   * (x, y, width, height), deflated, each taking the next slot in turn. The host sends it last in a frame.
   */
  CELL_STORES: 10,
} as const;

export type EncodingName = keyof typeof Encoding;
export type Encoding = (typeof Encoding)[EncodingName];

const names: ReadonlyMap<number, EncodingName> = new Map(
  (Object.keys(Encoding) as EncodingName[]).map((name) => [Encoding[name], name]),
);

/** Every encoding, in wire-number order. */
export const allEncodings: readonly Encoding[] = [...names.keys()].sort((a, b) => a - b) as Encoding[];

/** True when `n` is a wire number this version knows. */
export const isEncoding = (n: number): n is Encoding => names.has(n);

/** The table name of a wire number, or `undefined` for an unknown one. */
export const encodingName = (n: number): EncodingName | undefined => names.get(n);
