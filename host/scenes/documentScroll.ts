// Scene "document-scroll": a word processor page scrolls down steadily, as with a mouse wheel held down.
import type { RgbaImage } from "../../protocol/frame/index.ts";
import { createPrng } from "../capture/prng.ts";
import { bodyArea, drawBackdrop, drawWindow } from "./desktop.ts";
import { SANS_BOLD_FONT, SANS_FONT } from "./fonts.ts";
import { blit, fill, rgbaWord } from "./raster.ts";
import type { SceneOptions, SceneScript } from "./sceneScript.ts";
import { LineCache, type Run } from "./textLines.ts";
import { sentence } from "./words.ts";

const LINE_PX = 24;
const MARGIN_PX = 60;
const SCROLLBAR_PX = 14;
/** Pixels scrolled per frame: a wheel notch is about three lines; this is a smooth scroll of one line a frame. */
export const DOCUMENT_SCROLL_PX_PER_FRAME = LINE_PX;
/** Virtual document height for the scrollbar thumb; the text itself never ends. */
const DOCUMENT_PX = 40_000;

export const documentScroll = (options: SceneOptions): SceneScript => {
  const { width, height, seed } = options;
  const win = { x: Math.round(width * 0.15), y: Math.round(height * 0.05), width: 1240, height: 880 };
  const body = bodyArea(win.width, win.height);
  const pageWidth = body.width - SCROLLBAR_PX;
  const backdrop = drawBackdrop(width, height, seed);
  const frame = drawWindow(win.width, win.height, {
    title: "Quarterly report.odt — Writer",
    body: "#ffffff",
  });
  const lines = new LineCache({
    width: pageWidth,
    height: LINE_PX,
    font: `15px ${SANS_FONT}`,
    ink: "#202124",
    paper: "#ffffff",
    baseline: 17,
    indent: MARGIN_PX,
  });
  const track = rgbaWord("#eceff1");
  const thumb = rgbaWord("#9aa0a6");
  /** Line i of the document: every ninth is a heading, the rest body text; each from its own seeded PRNG. */
  const lineRuns = (i: number): Run[] => {
    const prng = createPrng((seed * 0x9e3779b1) ^ i);
    if (i % 9 === 0)
      return [{ text: `${1 + i / 9}. ${sentence(prng, 4)}`, font: `bold 18px ${SANS_BOLD_FONT}` }];
    if (i % 9 === 1 || i % 9 === 5) return [{ text: "" }];
    return [{ text: sentence(prng, 10 + prng.int(6)) }];
  };

  return {
    name: "document-scroll",
    width,
    height,
    render(n: number, out: RgbaImage) {
      out.data.set(backdrop.data);
      blit(frame, out, win.x, win.y);
      const clip = { x: win.x + body.x, y: win.y + body.y, width: pageWidth, height: body.height };
      const offset = n * DOCUMENT_SCROLL_PX_PER_FRAME;
      const first = Math.floor(offset / LINE_PX);
      for (let i = first; (i - first) * LINE_PX - (offset % LINE_PX) < body.height; i++) {
        blit(lines.get(lineRuns(i)), out, clip.x, clip.y + i * LINE_PX - offset, undefined, clip);
      }
      const barX = clip.x + pageWidth;
      fill(out, { x: barX, y: clip.y, width: SCROLLBAR_PX, height: body.height }, track);
      const thumbPx = 60;
      const thumbY = Math.floor(((offset % DOCUMENT_PX) / DOCUMENT_PX) * (body.height - thumbPx));
      fill(out, { x: barX + 3, y: clip.y + thumbY, width: SCROLLBAR_PX - 6, height: thumbPx }, thumb);
    },
  };
};
