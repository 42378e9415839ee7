// Reads and writes screen frames as PNG files (pngjs), named so that a folder sorts into playback order.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PNG } from "pngjs";
import type { RgbaImage } from "../../protocol/frame/index.ts";

/** `frame-000042.png`: six digits keep name order and frame order the same up to a million frames. */
export const frameFileName = (index: number): string => `frame-${String(index).padStart(6, "0")}.png`;

export const isFrameFile = (name: string): boolean => /^frame-\d+\.png$/.test(name);

export const readPng = (path: string): RgbaImage => {
  const png = PNG.sync.read(readFileSync(path));
  return {
    width: png.width,
    height: png.height,
    data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.length),
  };
};

/** Fast settings (deflate level 1, no row filter): recording must keep up with capture; files are bigger. */
export const writePng = (folder: string, index: number, image: RgbaImage): string => {
  const png = new PNG({ width: image.width, height: image.height });
  png.data = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.length);
  const path = join(folder, frameFileName(index));
  writeFileSync(path, PNG.sync.write(png, { deflateLevel: 1, filterType: 0 }));
  return path;
};
