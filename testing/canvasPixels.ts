// Browser-test support: how many pixels of a screen canvas (from its top-left corner) differ from an image, compared
// on a screenshot of the element, so whatever the page draws over the picture (cursor, annotations) counts too.
import type { Locator } from "playwright-core";
import { PNG } from "pngjs";
import type { RgbaImage } from "../protocol/frame/index.ts";

export async function differingPixels(canvas: Locator, image: RgbaImage): Promise<number> {
  // A bounded wait: a canvas with nothing drawn yet has no size, and an unbounded screenshot would wait forever.
  const shot = PNG.sync.read(await canvas.screenshot({ timeout: 5_000 }));
  let bad = 0;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const a = (y * shot.width + x) * 4;
      const b = (y * image.width + x) * 4;
      if (
        shot.data[a] !== image.data[b] ||
        shot.data[a + 1] !== image.data[b + 1] ||
        shot.data[a + 2] !== image.data[b + 2]
      )
        bad++;
    }
  }
  return bad;
}
