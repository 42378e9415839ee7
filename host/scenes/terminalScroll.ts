// Scene "terminal-scroll": a maximised terminal prints output fast, so its text scrolls up by one line every frame.
import type { RgbaImage } from "../../protocol/frame/index.ts";
import { createPrng } from "../capture/prng.ts";
import { bodyArea, drawBackdrop, drawWindow, TASKBAR_PX } from "./desktop.ts";
import { MONO_FONT } from "./fonts.ts";
import { blit } from "./raster.ts";
import type { SceneOptions } from "./sceneScript.ts";
import { LineCache, type Run } from "./textLines.ts";
import { commandOutput, sentence } from "./words.ts";

export const TERMINAL_SCROLL_LINE_PX = 18;
/** Frames per second at which this scene is meant to play: one line per refresh of a 60 Hz screen. */
export const TERMINAL_SCROLL_FPS = 60;
const PAD_PX = 8;
const PAPER = "#1d1f21";
const INK = "#c5c8c6";
const LEVEL_INK = { INFO: "#8fbf5f", WARN: "#e0a030", ERROR: "#e05050" } as const;

/** Not one of the five `sceneNames` (those are fixed in sceneScript.ts); same shape as a SceneScript. */
export interface TerminalScrollScene {
  readonly name: "terminal-scroll";
  readonly width: number;
  readonly height: number;
  /** Visible text rows; frame n shows output lines n … n + rows − 1. */
  readonly rows: number;
  render(frame: number, out: RgbaImage): void;
}

/** Output line i, from its own seeded PRNG: a log line (time, level, message) or a file listing, of varied length. */
const outputLine = (seed: number, i: number): Run[] => {
  const prng = createPrng((seed * 0x9e3779b1) ^ (i * 0x85ebca6b));
  if (prng.int(4) === 0) return [{ text: commandOutput(prng, 1)[0]! }];
  const level = (["INFO", "INFO", "INFO", "WARN", "ERROR"] as const)[prng.int(5)]!;
  const ms = i * 17 + prng.int(17);
  const time = `2026-03-14 10:${String(Math.floor(ms / 60_000) % 60).padStart(2, "0")}:${String(Math.floor(ms / 1000) % 60).padStart(2, "0")}.${String(ms % 1000).padStart(3, "0")}`;
  return [
    { text: `${time} ` },
    { text: level.padEnd(6, " "), ink: LEVEL_INK[level] },
    { text: `[worker-${prng.int(16)}] ${sentence(prng, 4 + prng.int(22))}` },
  ];
};

/** The whole screen but the taskbar is the terminal; output never ends and never repeats. */
export const terminalScroll = (options: SceneOptions): TerminalScrollScene => {
  const { width, height, seed } = options;
  const win = { x: 0, y: 0, width, height: height - TASKBAR_PX };
  const body = bodyArea(win.width, win.height);
  const rows = Math.floor((body.height - 2 * PAD_PX) / TERMINAL_SCROLL_LINE_PX);
  const backdrop = drawBackdrop(width, height, seed);
  blit(
    drawWindow(win.width, win.height, { title: "Terminal — tail -f /var/log/app.log", body: PAPER }),
    backdrop,
    0,
    0,
  );
  const lines = new LineCache({
    width: body.width - 2 * PAD_PX,
    height: TERMINAL_SCROLL_LINE_PX,
    font: `14px ${MONO_FONT}`,
    ink: INK,
    paper: PAPER,
    baseline: 14,
    indent: 0,
  });
  const left = win.x + body.x + PAD_PX;
  const top = win.y + body.y + PAD_PX;
  return {
    name: "terminal-scroll",
    width,
    height,
    rows,
    render(n: number, out: RgbaImage) {
      out.data.set(backdrop.data);
      for (let r = 0; r < rows; r++) {
        blit(lines.get(outputLine(seed, n + r)), out, left, top + r * TERMINAL_SCROLL_LINE_PX);
      }
    },
  };
};
