// The capture kernels against the TS loop they replace: the same RGBA from the same ZPixmap words (R-D3).
import { beforeAll, describe, expect, it } from "vitest";
import type { RgbaImage } from "../../../protocol/frame/index.ts";
import { type ZPixmapLayout, zPixmapRowsToRgba } from "../zPixmap.ts";
import { CaptureKernels } from "./captureKernels.ts";

let kernels: CaptureKernels;

beforeAll(async () => {
  const loaded = await CaptureKernels.load();
  if (loaded.kernels === undefined) throw new Error(loaded.reason);
  kernels = loaded.kernels;
});

/** A frame of random words in the kernels' memory, and a plain copy of it. */
const randomFrame = (width: number, height: number, seed: number): [RgbaImage, RgbaImage] => {
  const data = kernels.allocate(width * height * 4);
  const words = new Uint32Array(data.buffer, data.byteOffset, width * height);
  for (let i = 0; i < words.length; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    words[i] = seed;
  }
  return [
    { width, height, data },
    { width, height, data: data.slice() },
  ];
};

const layouts: ZPixmapLayout[] = [
  { bitsPerPixel: 32, msbFirst: false },
  { bitsPerPixel: 32, msbFirst: true },
];

describe("capture kernels", () => {
  it.each(layouts)(
    "R-D3: turn ZPixmap rows into the RGBA the TS loop gives (msbFirst $msbFirst)",
    (layout) => {
      // Widths that leave 0–3 pixels after the four-pixel steps; row ranges at the top, inside and at the bottom.
      for (const [width, height] of [
        [1, 1],
        [3, 5],
        [64, 64],
        [1921, 7],
        [1366, 768],
      ] as const) {
        for (const [y0, y1] of [
          [0, height],
          [Math.min(1, height - 1), Math.max(1, height - 1)],
          [height - 1, height],
        ] as const) {
          const [image, reference] = randomFrame(width, height, width * 31 + y0);
          kernels.toRgba(image, y0, y1, layout);
          zPixmapRowsToRgba(reference, y0, y1, layout);
          expect(Buffer.compare(image.data, reference.data), `${width}×${height} rows ${y0}–${y1}`).toBe(0);
        }
      }
    },
  );

  it("R-D3: each frame has memory of its own, so a new frame never moves an older one", () => {
    const [first] = randomFrame(640, 360, 1);
    const before = first.data.slice();
    const [second] = randomFrame(1920, 1080, 2);
    expect(first.data.byteLength).toBe(640 * 360 * 4);
    expect(Buffer.compare(first.data, before)).toBe(0);
    expect(second.data.buffer).not.toBe(first.data.buffer);
  });

  it("R-D3: a frame in other memory is converted by the TS loop", () => {
    const plain = { width: 5, height: 2, data: new Uint8Array(40).map((_, i) => i * 7) };
    const reference = { ...plain, data: plain.data.slice() };
    kernels.toRgba(plain, 0, 2, layouts[0]!);
    zPixmapRowsToRgba(reference, 0, 2, layouts[0]!);
    expect(Array.from(plain.data)).toEqual(Array.from(reference.data));
  });
});
