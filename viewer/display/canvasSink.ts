// A DisplaySink that paints each damaged rectangle onto a 2D canvas with one putImageData call.
import type { DisplaySink } from "./Display.ts";

/** The one canvas call the sink needs, so tests can pass a recording fake. */
export interface ImageTarget {
  putImageData(
    image: ImageData,
    dx: number,
    dy: number,
    dirtyX: number,
    dirtyY: number,
    dirtyW: number,
    dirtyH: number,
  ): void;
}

export const canvasSink = (
  target: ImageTarget,
  makeImageData = (px: Uint8ClampedArray<ArrayBuffer>, w: number, h: number) => new ImageData(px, w, h),
): DisplaySink => {
  let image: ImageData | undefined;
  let source: Uint8ClampedArray | undefined;
  return {
    present: (pixels, width, height, damage) => {
      // The ImageData wraps the back buffer itself, so it is rebuilt only when the buffer is replaced.
      if (source !== pixels) {
        image = makeImageData(pixels as Uint8ClampedArray<ArrayBuffer>, width, height);
        source = pixels;
      }
      target.putImageData(image!, 0, 0, damage.x, damage.y, damage.width, damage.height);
    },
  };
};
