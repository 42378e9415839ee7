// Fixed 1920×1080 frame sequences for the codec benchmark: the scripted scenes of host/scenes, a fast terminal
// scroll, a support-session mix, a full-screen change of desktop content and random noise. Frames are drawn on
// demand (a pure function of the frame number), so no sequence is held in memory.
import { createPrng } from "../host/capture/prng.ts";
import { bodyArea, drawBackdrop, drawWindow, TASKBAR_PX } from "../host/scenes/desktop.ts";
import { MONO_FONT, SANS_BOLD_FONT, SANS_FONT } from "../host/scenes/fonts.ts";
import { createScene, type SceneName } from "../host/scenes/index.ts";
import { blit, fill, rgbaWord } from "../host/scenes/raster.ts";
import { TERMINAL_SCROLL_FPS, terminalScroll } from "../host/scenes/terminalScroll.ts";
import { LineCache } from "../host/scenes/textLines.ts";
import { commandOutput, sentence } from "../host/scenes/words.ts";
import type { RgbaImage } from "../protocol/frame/index.ts";

export const WIDTH = 1920;
export const HEIGHT = 1080;
const SIZE = { width: WIDTH, height: HEIGHT, seed: 1 } as const;

export interface BenchCase {
  readonly name: string;
  /** Frames replayed: frame 0 is the key frame; then warm-up frames; the rest are measured. */
  readonly frames: number;
  readonly warmupFrames: number;
  /** The frame rate the content naturally plays at, when it is not the 30 fps every case is also quoted at. */
  readonly naturalFps?: number;
  /** Draws frame `i` over the whole of `out`. */
  render(i: number, out: RgbaImage): void;
}

type Render = (i: number, out: RgbaImage) => void;

const scene = (name: SceneName): Render => {
  const s = createScene(name, SIZE);
  return (i, out) => s.render(i, out);
};

/** One scene after another, as in a support session: each segment plays `frames` frames of its scene. */
const sessionMix = (): { frames: number; render: Render } => {
  const segments: { render: Render; frames: number }[] = [
    { render: scene("idle-cursor"), frames: 20 },
    { render: scene("terminal-typing"), frames: 40 },
    { render: terminalScroll(SIZE).render, frames: 20 },
    { render: scene("document-scroll"), frames: 30 },
    { render: scene("window-drag"), frames: 30 },
    { render: scene("busy-animation"), frames: 15 },
    { render: scene("idle-cursor"), frames: 25 },
  ];
  return {
    frames: segments.reduce((n, s) => n + s.frames, 0),
    render: (i, out) => {
      let k = i;
      for (const s of segments) {
        if (k < s.frames) return s.render(k, out);
        k -= s.frames;
      }
      throw new Error(`frame ${i} is past the end of the mix`);
    },
  };
};

/**
 * Every frame a whole new screen of ordinary desktop content, cycling through three looks: a maximised document
 * (white page, toolbar, new text), a maximised terminal (dark, new output), and a wallpaper with a text window
 * at a new place. Every tile changes; nothing is copied from the previous frame; it is not noise.
 */
const fullScreenChange = (): Render => {
  const maxed = { width: WIDTH, height: HEIGHT - TASKBAR_PX };
  const body = bodyArea(maxed.width, maxed.height);
  const backdrops = [1, 2, 3].map((seed) => drawBackdrop(WIDTH, HEIGHT, seed));
  const docFrame = drawWindow(maxed.width, maxed.height, {
    title: "Contract draft.odt — Writer",
    body: "#ffffff",
  });
  const termFrame = drawWindow(maxed.width, maxed.height, { title: "Terminal — bash", body: "#1d1f21" });
  const noteFrame = drawWindow(1100, 760, { title: "Meeting notes", body: "#fbfbfb" });
  const docLines = new LineCache(
    {
      width: body.width - 60,
      height: 24,
      font: `15px ${SANS_FONT}`,
      ink: "#202124",
      paper: "#ffffff",
      baseline: 17,
      indent: 80,
    },
    1024,
  );
  const termLines = new LineCache(
    {
      width: body.width - 16,
      height: 18,
      font: `14px ${MONO_FONT}`,
      ink: "#c5c8c6",
      paper: "#1d1f21",
      baseline: 14,
      indent: 0,
    },
    1024,
  );
  const noteLines = new LineCache(
    {
      width: 1100 - 2,
      height: 22,
      font: `14px ${SANS_FONT}`,
      ink: "#333333",
      paper: "#fbfbfb",
      baseline: 16,
      indent: 16,
    },
    1024,
  );
  const toolbar = rgbaWord("#f1f3f4");
  const buttons = ["#3d7fd9", "#5f6368", "#5f6368", "#c0504d", "#4caf50"].map(rgbaWord);
  return (i, out) => {
    const prng = createPrng(0xc0ffee ^ (i * 0x9e3779b1));
    out.data.set(backdrops[i % 3]!.data);
    const look = i % 3;
    if (look === 0) {
      blit(docFrame, out, 0, 0);
      fill(out, { x: body.x, y: body.y, width: body.width, height: 40 }, toolbar);
      for (const [k, b] of buttons.entries()) {
        fill(out, { x: body.x + 12 + k * 36, y: body.y + 8, width: 24, height: 24 }, b);
      }
      for (let y = body.y + 56, n = 0; y + 24 <= body.y + body.height; y += 24, n++) {
        const text =
          n % 12 === 0
            ? `${i}.${n / 12 + 1} ${sentence(prng, 5)}`
            : n % 12 === 6
              ? ""
              : sentence(prng, 12 + prng.int(8));
        blit(
          docLines.get([{ text, font: n % 12 === 0 ? `bold 18px ${SANS_BOLD_FONT}` : undefined }]),
          out,
          body.x,
          y,
        );
      }
    } else if (look === 1) {
      blit(termFrame, out, 0, 0);
      for (let y = body.y + 8; y + 18 <= body.y + body.height; y += 18) {
        blit(termLines.get([{ text: commandOutput(prng, 1)[0]! }]), out, body.x + 8, y);
      }
    } else {
      const x = 100 + prng.int(WIDTH - 1100 - 200);
      const y = 40 + prng.int(HEIGHT - TASKBAR_PX - 760 - 80);
      blit(noteFrame, out, x, y);
      const nb = bodyArea(1100, 760);
      for (let ly = y + nb.y + 8; ly + 22 <= y + nb.y + nb.height; ly += 22) {
        blit(noteLines.get([{ text: sentence(prng, 8 + prng.int(10)) }]), out, x + nb.x, ly);
      }
    }
  };
};

/** Every pixel random every frame: the worst case, which no lossless coder shrinks. */
const noise: Render = (i, out) => {
  const prng = createPrng(0xbad ^ i);
  const words = new Uint32Array(out.data.buffer, out.data.byteOffset, WIDTH * HEIGHT);
  for (let k = 0; k < words.length; k++) words[k] = (prng.u32() | 0xff000000) >>> 0;
};

const mix = sessionMix();

export const benchCases: readonly BenchCase[] = [
  {
    name: "terminal scroll (1 line/frame, maximised)",
    frames: 66,
    warmupFrames: 5,
    naturalFps: TERMINAL_SCROLL_FPS,
    render: terminalScroll(SIZE).render,
  },
  { name: "office typing (terminal-typing)", frames: 66, warmupFrames: 5, render: scene("terminal-typing") },
  { name: "document scroll", frames: 46, warmupFrames: 5, render: scene("document-scroll") },
  { name: "window drag", frames: 46, warmupFrames: 5, render: scene("window-drag") },
  { name: "animated region (640×360)", frames: 46, warmupFrames: 5, render: scene("busy-animation") },
  { name: "idle (blinking caret)", frames: 66, warmupFrames: 5, render: scene("idle-cursor") },
  { name: "support-session mix", frames: mix.frames, warmupFrames: 0, render: mix.render },
  {
    name: "full-screen change: new desktop content",
    frames: 31,
    warmupFrames: 3,
    render: fullScreenChange(),
  },
  { name: "full-screen change: random noise", frames: 16, warmupFrames: 3, render: noise },
];
