// Records any capture source's frames as a PNG sequence that RecordedSource plays back.
import { mkdirSync } from "node:fs";
import type { CaptureSource } from "./captureSource.ts";
import { writePng } from "./pngFiles.ts";

/** Grabs `count` frames from `source` into `folder` (created if missing) and returns the files written. */
export const recordFrames = async (
  source: CaptureSource,
  folder: string,
  count: number,
): Promise<string[]> => {
  mkdirSync(folder, { recursive: true });
  const written: string[] = [];
  for (let i = 0; i < count; i++) {
    const frame = await source.grab();
    written.push(writePng(folder, i, frame.image));
  }
  return written;
};
