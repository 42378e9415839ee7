// R-D3 EagerFlips: a finished frame reaches the sink at once, and still at most once per animation frame.
import { describe, expect, it } from "vitest";
import type { Rect } from "../../protocol/frame/index.ts";
import { Display } from "./Display.ts";
import { EagerFlips } from "./eagerFlips.ts";

const setup = () => {
  const frames: (() => void)[] = [];
  const flips = new EagerFlips((cb) => frames.push(cb));
  const presented: Rect[][] = [];
  // What the sink received since the harness last looked: one flip presents its regions in one synchronous burst.
  let batch: Rect[] = [];
  const display = new Display({
    schedule: flips.schedule,
    sink: { present: (_p, _w, _h, r) => batch.push(r) },
  });
  const flipped = () => {
    if (batch.length > 0) presented.push(batch);
    batch = [];
  };
  const animationFrame = () => {
    for (const cb of frames.splice(0)) cb();
    flipped();
  };
  const drawn = () => {
    flips.frameDrawn();
    flipped();
  };
  display.reset(100, 100);
  animationFrame();
  presented.length = 0;
  animationFrame(); // a frame without a flip: the next drawn frame may flip at once
  const draw = (x: number) => display.fillRgb({ x, y: 0, width: 1, height: 1 }, 1, 2, 3);
  return { presented, animationFrame, drawn, draw, pendingFrames: () => frames.length };
};

const px = (x: number): Rect => ({ x, y: 0, width: 1, height: 1 });

describe("R-D3 EagerFlips", () => {
  it("R-D3: a drawn frame is flipped when it is whole, not at its first damage and not at the next animation frame", () => {
    const t = setup();
    t.draw(1);
    t.draw(3);
    expect(t.presented).toEqual([]);
    t.drawn();
    expect(t.presented).toEqual([[px(1), px(3)]]);
    t.animationFrame();
    expect(t.presented.length).toBe(1);
  });

  it("R-D3: frames finished within one animation frame after its flip wait for the next one and flip together", () => {
    const t = setup();
    t.draw(1);
    t.drawn();
    t.draw(2);
    t.drawn();
    t.draw(4);
    t.drawn();
    expect(t.presented).toEqual([[px(1)]]);
    t.animationFrame();
    expect(t.presented).toEqual([[px(1)], [px(2), px(4)]]);
    // That animation frame has had its flip: the next frame waits again.
    t.draw(6);
    t.drawn();
    expect(t.presented.length).toBe(2);
    t.animationFrame();
    expect(t.presented[2]).toEqual([px(6)]);
    // An animation frame without a flip: the next drawn frame goes at once.
    t.animationFrame();
    t.draw(8);
    t.drawn();
    expect(t.presented[3]).toEqual([px(8)]);
  });

  it("R-D3: damage of a frame never reported whole (a decode error half way) is still flipped at the next animation frame", () => {
    const t = setup();
    t.draw(5);
    t.animationFrame();
    expect(t.presented).toEqual([[px(5)]]);
    expect(t.pendingFrames()).toBe(1);
    t.animationFrame();
    expect(t.pendingFrames()).toBe(0);
  });
});
