import { describe, expect, it } from "vitest";
import { createImage } from "../../protocol/frame/index.ts";
import { FRAME_PX, TITLE_BAR_PX } from "./desktop.ts";
import { TERMINAL_SCROLL_LINE_PX, terminalScroll } from "./terminalScroll.ts";

describe("terminal-scroll scene", () => {
  const options = { width: 640, height: 360, seed: 7 };

  it("is a pure function of (seed, frame)", () => {
    const a = createImage(640, 360);
    const b = createImage(640, 360);
    terminalScroll(options).render(5, a);
    const other = terminalScroll(options);
    other.render(9, b);
    other.render(5, b);
    expect(Buffer.compare(a.data, b.data)).toBe(0);
  });

  it("scrolls the text up by exactly one line per frame", () => {
    const scene = terminalScroll(options);
    const a = createImage(640, 360);
    const b = createImage(640, 360);
    scene.render(3, a);
    scene.render(4, b);
    expect(Buffer.compare(a.data, b.data)).not.toBe(0);
    // Text row r + 1 of frame 3 is text row r of frame 4: compare the body one line apart.
    const top = FRAME_PX + TITLE_BAR_PX + 8; // border + title bar + padding
    const rowBytes = 640 * 4;
    const span = (scene.rows - 1) * TERMINAL_SCROLL_LINE_PX;
    const from = (top + TERMINAL_SCROLL_LINE_PX) * rowBytes;
    const to = top * rowBytes;
    expect(
      Buffer.compare(
        a.data.subarray(from, from + span * rowBytes),
        b.data.subarray(to, to + span * rowBytes),
      ),
    ).toBe(0);
  });
});
