// Checks a screen image before encoding: size limits of the wire format and a buffer that matches the size.
import {
  encodeError,
  type FrameEncodeError,
  type RgbaImage,
  SCREEN_EDGE_MAX_PX,
  SCREEN_MAX_PIXELS,
} from "../../protocol/frame/index.ts";

/** Why `image` cannot be encoded with `tileSize`, or `undefined` when it can. */
export const imageProblem = (image: RgbaImage, tileSize: number): FrameEncodeError | undefined => {
  const { width, height } = image;
  if (!Number.isInteger(tileSize) || tileSize < 1 || tileSize > 255) {
    return encodeError("BadDimensions", `tile size ${tileSize} is not in 1–255`);
  }
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    return encodeError("BadDimensions", `screen ${width}×${height}`);
  }
  if (width > SCREEN_EDGE_MAX_PX || height > SCREEN_EDGE_MAX_PX || width * height > SCREEN_MAX_PIXELS) {
    return encodeError("BadDimensions", `screen ${width}×${height} is too large`);
  }
  if (image.data.length !== width * height * 4) {
    return encodeError("BadBuffer", `${image.data.length} bytes for a ${width}×${height} RGBA image`);
  }
  return undefined;
};
