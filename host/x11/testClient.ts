// Test helpers for a real X server: a plain X client that paints and listens, and waiting on conditions instead of sleeping.
import type { XEvent } from "x11";
import type { DisplayConnection } from "./connection.ts";

const EVENT_MASK = {
  KeyPress: 0x1,
  ButtonPress: 0x4,
  ButtonRelease: 0x8,
  PointerMotion: 0x40,
  Exposure: 0x8000,
};

export interface TestWindowOptions {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** 0xRRGGBB on a 24-bit TrueColor screen. */
  readonly colour: number;
  /** Select key, button and motion events so tests can see what input reached the window. */
  readonly listen?: boolean;
}

/** An override-redirect window (no window manager needed) with a solid background, mapped and on screen. */
export const createTestWindow = async (conn: DisplayConnection, o: TestWindowOptions): Promise<number> => {
  const wid = conn.client.AllocID();
  const eventMask = o.listen
    ? EVENT_MASK.KeyPress | EVENT_MASK.ButtonPress | EVENT_MASK.ButtonRelease | EVENT_MASK.PointerMotion
    : 0;
  conn.client.CreateWindow(wid, conn.root, o.x, o.y, o.width, o.height, 0, 0, 1, 0, {
    backgroundPixel: o.colour,
    overrideRedirect: 1,
    eventMask,
  });
  conn.client.MapWindow(wid);
  await conn.sync();
  return wid;
};

/** Repaints a window in a new colour, as an application redrawing itself. */
export const repaintWindow = async (conn: DisplayConnection, wid: number, colour: number): Promise<void> => {
  conn.client.ChangeWindowAttributes(wid, { backgroundPixel: colour });
  conn.client.ClearArea(wid, 0, 0, 0, 0, 0);
  await conn.sync();
};

/** Paints the root window one colour, like `xsetroot -solid`. */
export const paintRoot = (conn: DisplayConnection, colour: number): Promise<void> =>
  repaintWindow(conn, conn.root, colour);

/** Collects every event the connection receives, for assertions on what arrived. */
export const recordEvents = (conn: DisplayConnection): XEvent[] => {
  const seen: XEvent[] = [];
  conn.client.on("event", (ev) => seen.push(ev));
  return seen;
};

/** Polls `check` every few ms until it holds; fails with `what` after `timeoutMs`. */
export const waitUntil = async (
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 3000,
  intervalMs = 5,
): Promise<void> => {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
};
