// The annotation overlay on a real Xvfb (R-V4): the agent's ink shows on the customer's screen, clicks go through it
// to the window beneath, the laser goes away by itself, and a capture through OverlayFreeSource never sees the ink.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { XEvent } from "x11";
import type { Annotation } from "../../protocol/annotations/index.ts";
import type { RgbaImage } from "../../protocol/frame/index.ts";
import { X11Source } from "../capture/index.ts";
import { XTestSink } from "../input/index.ts";
import { DisplayConnection } from "../x11/connection.ts";
import { createTestWindow, paintRoot, recordEvents, waitUntil } from "../x11/testClient.ts";
import { findXvfb, startXvfb, type Xvfb } from "../x11/xvfb.ts";
import { AnnotationOverlay } from "./annotationOverlay.ts";
import { OverlayFreeSource } from "./overlayFreeSource.ts";

const haveXvfb = findXvfb() !== undefined;
if (!haveXvfb) console.warn("SKIPPED annotation overlay tests: Xvfb is not installed (apt-get install xvfb)");

const WINDOW = 0x336699;
const rgbOf = (image: RgbaImage, x: number, y: number): number => {
  const i = (y * image.width + x) * 4;
  return (image.data[i]! << 16) | (image.data[i + 1]! << 8) | image.data[i + 2]!;
};
const pen = (id: string, points: number[], version = 1): Annotation => ({
  id,
  version,
  kind: "pen",
  points,
  colour: "#1e5bff",
  author: "ann",
});

describe.skipIf(!haveXvfb)("AnnotationOverlay on Xvfb 1920×1080", () => {
  let xvfb: Xvfb;
  let app: DisplayConnection;
  let events: XEvent[];
  let appWindow: number;
  let overlay: AnnotationOverlay;
  let raw: X11Source;
  let input: DisplayConnection;
  let mouse: XTestSink;

  beforeAll(async () => {
    xvfb = await startXvfb();
    app = await DisplayConnection.open({ display: xvfb.display, shm: false });
    await paintRoot(app, 0x202020);
    events = recordEvents(app);
    appWindow = await createTestWindow(app, {
      x: 100,
      y: 100,
      width: 600,
      height: 400,
      colour: WINDOW,
      listen: true,
    });
    overlay = await AnnotationOverlay.open({ display: xvfb.display, laserShownMs: 150 });
    raw = await X11Source.open({ display: xvfb.display, useDamage: false });
    input = await DisplayConnection.open({ display: xvfb.display, shm: false });
    mouse = await XTestSink.open(input);
  });
  afterAll(async () => {
    await mouse?.close();
    await input?.close();
    await raw?.close();
    await overlay?.close();
    await app?.close();
    await xvfb?.stop();
  });

  it("R-V4: after a diff arrives the stroke's colour is on the customer's screen at its points", async () => {
    overlay.apply({ added: [pen("a1", [150, 150, 350, 150, 350, 300])], updated: [], removed: [] });
    await overlay.settled();
    const { image } = await raw.grab();
    expect(rgbOf(image, 150, 150)).toBe(0x1e5bff);
    expect(rgbOf(image, 250, 150)).toBe(0x1e5bff);
    expect(rgbOf(image, 350, 250)).toBe(0x1e5bff);
    expect(rgbOf(image, 250, 170)).toBe(WINDOW); // the window between the strokes is untouched
  });

  it("R-V4: the overlay takes no input: a click on the ink reaches the window beneath", async () => {
    await mouse.apply({ type: "pointer.move", x: 250, y: 150 });
    await mouse.apply({ type: "pointer.button", button: 1, down: true });
    await mouse.apply({ type: "pointer.button", button: 1, down: false });
    await waitUntil("the click to reach the window", () => events.some((e) => e.name === "ButtonRelease"));
    expect(events.find((e) => e.name === "ButtonPress")).toMatchObject({
      wid: appWindow,
      rootx: 250,
      rooty: 150,
    });
  });

  it("R-V4: a capture through OverlayFreeSource sees the window, never the ink (no echo to the agent)", async () => {
    const source = new OverlayFreeSource(raw, overlay);
    const { image } = await source.grab();
    expect(rgbOf(image, 150, 150)).toBe(WINDOW);
    expect(rgbOf(image, 250, 150)).toBe(WINDOW);
    expect(rgbOf(image, 350, 250)).toBe(WINDOW);
  });

  it("R-V4: the highlighter is translucent: yellow blended over the window, not painted over it", async () => {
    overlay.apply({
      added: [{ ...pen("h1", [150, 400, 450, 400]), kind: "highlighter", colour: "#ffd400" }],
      updated: [],
      removed: [],
    });
    await overlay.settled();
    const { image } = await raw.grab();
    const blended = rgbOf(image, 300, 400);
    const channel = (rgb: number, shift: number) => (rgb >> shift) & 0xff;
    for (const shift of [16, 8, 0]) {
      const expected = Math.round(channel(0xffd400, shift) * 0.4 + channel(WINDOW, shift) * 0.6);
      expect(Math.abs(channel(blended, shift) - expected)).toBeLessThanOrEqual(2);
    }
  });

  it("R-V4: clear all takes the ink off the screen and the window shows again", async () => {
    overlay.apply({ added: [], updated: [], removed: [], clear: true });
    await overlay.settled();
    await waitUntil("the window to show where the ink was", async () => {
      const { image } = await raw.grab();
      return rgbOf(image, 250, 150) === WINDOW && rgbOf(image, 300, 400) === WINDOW;
    });
    expect(overlay.covers(250, 150)).toBe(false);
  });

  it("R-V4: the agent's laser pointer shows briefly, then goes away by itself", async () => {
    overlay.laser(500, 300);
    await overlay.settled();
    expect(rgbOf((await raw.grab()).image, 500, 300)).not.toBe(WINDOW);
    await waitUntil("the laser dot to go", async () => {
      await overlay.settled();
      return rgbOf((await raw.grab()).image, 500, 300) === WINDOW;
    });
  });
});
