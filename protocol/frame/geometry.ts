// Tile-grid arithmetic shared by encoders and decoders: grid size and each tile's clipped rectangle.

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface TileGrid {
  readonly tileSize: number;
  readonly cols: number;
  readonly rows: number;
}

export const tileGrid = (width: number, height: number, tileSize: number): TileGrid => ({
  tileSize,
  cols: Math.ceil(width / tileSize),
  rows: Math.ceil(height / tileSize),
});

/**
 * Pixel rectangle of a block of `cols × rows` tiles whose top-left tile is (tx, ty), clipped to the
 * screen: edge tiles are narrower or shorter when the screen is not a multiple of the tile size.
 */
export const blockRect = (
  screenWidth: number,
  screenHeight: number,
  tileSize: number,
  tx: number,
  ty: number,
  cols = 1,
  rows = 1,
): Rect => {
  const x = tx * tileSize;
  const y = ty * tileSize;
  return {
    x,
    y,
    width: Math.min(cols * tileSize, screenWidth - x),
    height: Math.min(rows * tileSize, screenHeight - y),
  };
};
