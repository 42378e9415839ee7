// Scene "terminal-typing": a user types shell commands one character a frame; each command prints output and scrolls.
import type { RgbaImage } from "../../protocol/frame/index.ts";
import { createPrng, type Prng } from "../capture/prng.ts";
import { bodyArea, drawBackdrop, drawWindow } from "./desktop.ts";
import { MONO_FONT } from "./fonts.ts";
import { blit, fill, rgbaWord, textWidth } from "./raster.ts";
import type { SceneOptions, SceneScript } from "./sceneScript.ts";
import { LineCache, type Run } from "./textLines.ts";
import { command, commandOutput } from "./words.ts";

const LINE_PX = 18;
const PAD_PX = 8;
const PROMPT = "support@customer-pc:~$ ";
const PAPER = "#1d1f21";
const INK = "#c5c8c6";
const PROMPT_INK = "#8fbf5f";

interface Step {
  /** Frame at which typing of this command starts. */
  readonly start: number;
  readonly command: string;
  readonly output: readonly string[];
}

/** Commands in order, made lazily from one PRNG so any frame can be asked for in any order. */
class Transcript {
  private readonly steps: Step[] = [];
  private readonly prng: Prng;

  constructor(seed: number) {
    this.prng = createPrng(seed);
  }

  /** Typing takes one frame per character; Enter one more; the output shows on the frame after. */
  stepsUntil(frame: number): readonly Step[] {
    while (this.steps.length === 0 || this.steps.at(-1)!.start <= frame) {
      const last = this.steps.at(-1);
      const start = last === undefined ? 0 : last.start + last.command.length + 2;
      this.steps.push({
        start,
        command: command(this.prng),
        output: commandOutput(this.prng, 1 + this.prng.int(8)),
      });
    }
    return this.steps;
  }
}

export const terminalTyping = (options: SceneOptions): SceneScript => {
  const { width, height, seed } = options;
  const win = { x: Math.round(width * 0.12), y: Math.round(height * 0.1), width: 1100, height: 700 };
  const body = bodyArea(win.width, win.height);
  const rows = Math.floor((body.height - 2 * PAD_PX) / LINE_PX);
  const backdrop = drawBackdrop(width, height, seed);
  const frame = drawWindow(win.width, win.height, { title: "Terminal — bash", body: PAPER });
  const font = `14px ${MONO_FONT}`;
  const cellPx = textWidth(font, "M");
  const lines = new LineCache({
    width: body.width - 2 * PAD_PX,
    height: LINE_PX,
    font,
    ink: INK,
    paper: PAPER,
    baseline: 14,
    indent: 0,
  });
  const transcript = new Transcript(seed);
  const cursor = rgbaWord(INK);

  const screenLines = (n: number): { runs: Run[][]; cursorCol: number } => {
    const out: Run[][] = [];
    let cursorCol = 0;
    for (const step of transcript.stepsUntil(n)) {
      if (step.start > n) break;
      const typed = step.command.slice(0, n - step.start);
      out.push([{ text: PROMPT, ink: PROMPT_INK }, { text: typed }]);
      cursorCol = PROMPT.length + typed.length;
      if (n - step.start > step.command.length) {
        for (const line of step.output) out.push([{ text: line }]);
        cursorCol = -1; // the command is running: no prompt, no cursor
      }
    }
    return { runs: out.slice(-rows), cursorCol };
  };

  return {
    name: "terminal-typing",
    width,
    height,
    render(n: number, out: RgbaImage) {
      out.data.set(backdrop.data);
      blit(frame, out, win.x, win.y);
      const { runs, cursorCol } = screenLines(n);
      const left = win.x + body.x + PAD_PX;
      const top = win.y + body.y + PAD_PX;
      runs.forEach((line, i) => {
        blit(lines.get(line), out, left, top + i * LINE_PX);
      });
      if (cursorCol < 0) return;
      const x = left + Math.round(cursorCol * cellPx);
      const y = top + (runs.length - 1) * LINE_PX + 2;
      fill(out, { x, y, width: Math.round(cellPx), height: LINE_PX - 3 }, cursor);
    },
  };
};
