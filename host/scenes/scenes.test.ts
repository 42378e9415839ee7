// The synthetic desktop scenes: same seed and frame give the same pixels, and each changes the share of tiles it stands for (R-D3).
import { describe, expect, it } from "vitest";
import { cloneImage, createImage, type RgbaImage } from "../../protocol/frame/index.ts";
import { CARET_BLINK_FRAMES, createScene, type SceneName } from "./index.ts";

const TILE = 64;

/** Share of 64×64 tiles where `a` and `b` differ. */
const changedShare = (a: RgbaImage, b: RgbaImage): number => {
  const wa = new Uint32Array(a.data.buffer, a.data.byteOffset, a.width * a.height);
  const wb = new Uint32Array(b.data.buffer, b.data.byteOffset, b.width * b.height);
  const cols = Math.ceil(a.width / TILE);
  const rows = Math.ceil(a.height / TILE);
  const dirty = new Uint8Array(cols * rows);
  for (let y = 0; y < a.height; y++) {
    for (let x = 0; x < a.width; x++) {
      if (wa[y * a.width + x] !== wb[y * a.width + x])
        dirty[Math.floor(y / TILE) * cols + Math.floor(x / TILE)] = 1;
    }
  }
  return dirty.reduce((s, v) => s + v, 0) / dirty.length;
};

const shares = (name: SceneName, frames: number): number[] => {
  const scene = createScene(name, { seed: 3 });
  let prev = createImage(scene.width, scene.height);
  scene.render(0, prev);
  const out: number[] = [];
  for (let n = 1; n <= frames; n++) {
    const cur = createImage(scene.width, scene.height);
    scene.render(n, cur);
    out.push(changedShare(prev, cur));
    prev = cur;
  }
  return out;
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe("synthetic scenes", () => {
  it("R-D3: the same seed and frame give the same pixels; another seed gives others", () => {
    for (const name of ["terminal-typing", "window-drag"] as const) {
      const a = createImage(1920, 1080);
      const b = createImage(1920, 1080);
      createScene(name, { seed: 11 }).render(37, a);
      createScene(name, { seed: 11 }).render(37, b);
      expect(Buffer.compare(a.data, b.data)).toBe(0);
      const other = createImage(1920, 1080);
      createScene(name, { seed: 12 }).render(37, other);
      expect(Buffer.compare(a.data, other.data)).not.toBe(0);
    }
  });

  it("R-D3: frames can be asked for in any order", () => {
    const scene = createScene("terminal-typing", { seed: 5 });
    const late = createImage(1920, 1080);
    scene.render(90, late);
    const kept = cloneImage(late);
    scene.render(3, late);
    const again = createImage(1920, 1080);
    createScene("terminal-typing", { seed: 5 }).render(90, again);
    expect(Buffer.compare(kept.data, again.data)).toBe(0);
  });

  it("R-D3: typing in a terminal changes about one tile a frame, with an occasional burst of output", () => {
    const s = shares("terminal-typing", 40);
    expect(median(s)).toBeLessThanOrEqual(3 / 510);
    expect(Math.min(...s)).toBeGreaterThan(0);
    expect(Math.max(...s)).toBeLessThan(0.3);
  });

  it("R-D3: scrolling a document changes its whole body, about a third of the screen", () => {
    for (const share of shares("document-scroll", 8)) {
      expect(share).toBeGreaterThan(0.25);
      expect(share).toBeLessThan(0.45);
    }
  });

  it("R-D3: dragging a window changes where it was and where it is, 10–25% of the screen", () => {
    for (const share of shares("window-drag", 8)) {
      expect(share).toBeGreaterThan(0.1);
      expect(share).toBeLessThan(0.25);
    }
  });

  it("R-D3: a busy animated region changes the same tiles every frame", () => {
    const s = shares("busy-animation", 6);
    expect(new Set(s).size).toBe(1);
    expect(s[0]).toBeGreaterThan(0.1);
    expect(s[0]).toBeLessThan(0.2);
  });

  it("R-D3: an idle screen changes nothing but one tile when the caret blinks", () => {
    const s = shares("idle-cursor", 2 * CARET_BLINK_FRAMES + 1);
    const changed = s.flatMap((share, i) => (share > 0 ? [{ frame: i + 1, share }] : []));
    expect(changed.map((c) => c.frame)).toEqual([CARET_BLINK_FRAMES, 2 * CARET_BLINK_FRAMES]);
    for (const c of changed) expect(c.share).toBeCloseTo(1 / 510, 6);
  });
});
