// Recording frames as PNG files and playing them back gives the same pixels, in order (R-D3).
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { cloneImage, type RgbaImage } from "../../protocol/frame/index.ts";
import { RecordedSource } from "./recordedSource.ts";
import { recordFrames } from "./recorder.ts";
import { SyntheticSource } from "./syntheticSource.ts";

const folders: string[] = [];
const tempFolder = () => {
  const f = mkdtempSync(join(tmpdir(), "tandem-recording-"));
  folders.push(f);
  return f;
};
afterEach(() => {
  for (const f of folders.splice(0)) rmSync(f, { recursive: true, force: true });
});

describe("RecordedSource", () => {
  it("R-D3: plays back recorded frames pixel for pixel, then holds the last one", async () => {
    const folder = tempFolder();
    await recordFrames(new SyntheticSource({ scene: "window-drag", seed: 4 }), folder, 3);
    expect(readdirSync(folder).sort()).toEqual(["frame-000000.png", "frame-000001.png", "frame-000002.png"]);

    const original = new SyntheticSource({ scene: "window-drag", seed: 4 });
    const expected: RgbaImage[] = [];
    for (let i = 0; i < 3; i++) expected.push(cloneImage((await original.grab()).image));

    const playback = new RecordedSource(folder);
    expect([playback.width, playback.height, playback.frameCount]).toEqual([1920, 1080, 3]);
    for (const want of expected) {
      const frame = await playback.grab();
      expect(Buffer.compare(frame.image.data, want.data)).toBe(0);
    }
    expect(playback.ended).toBe(true);
    const still = await playback.grab();
    expect(still.dirty).toEqual([]);
    expect(Buffer.compare(still.image.data, expected[2]!.data)).toBe(0);
  });

  it("R-D3: loops when asked to", async () => {
    const folder = tempFolder();
    await recordFrames(new SyntheticSource({ scene: "busy-animation", seed: 1 }), folder, 2);
    const playback = new RecordedSource(folder, { loop: true });
    const first = cloneImage((await playback.grab()).image);
    await playback.grab();
    expect(Buffer.compare((await playback.grab()).image.data, first.data)).toBe(0);
    expect(playback.ended).toBe(false);
  });

  it("refuses a folder without frames", () => {
    expect(() => new RecordedSource(tempFolder())).toThrow(/no frame-NNNNNN.png/);
  });
});
