// The screen image both sides share: RGBA bytes, row-major, alpha ignored on the wire (opaque screens).

export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  /** width × height × 4 bytes: R, G, B, A per pixel. */
  readonly data: Uint8Array;
}

/** A new opaque black image. */
export const createImage = (width: number, height: number): RgbaImage => {
  const data = new Uint8Array(width * height * 4);
  new Uint32Array(data.buffer).fill(0xff000000);
  return { width, height, data };
};

/** A deep copy, so that later changes to one never show in the other. */
export const cloneImage = (image: RgbaImage): RgbaImage => ({
  width: image.width,
  height: image.height,
  data: image.data.slice(),
});
