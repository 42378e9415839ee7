// XTEST on a real Xvfb: remote pointer motion, clicks and typed keys reach an X client's window (R-S8).

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { XEvent } from "x11";
import { DisplayConnection } from "../x11/connection.ts";
import { createTestWindow, recordEvents, waitUntil } from "../x11/testClient.ts";
import { findXvfb, startXvfb, type Xvfb } from "../x11/xvfb.ts";
import { KeyboardMap } from "./keyboardMap.ts";
import { XTestSink } from "./xtestSink.ts";

const haveXvfb = findXvfb() !== undefined;
if (!haveXvfb) console.warn("SKIPPED XTEST input tests: Xvfb is not installed (apt-get install xvfb)");

const SHIFT_MASK = 1;

describe.skipIf(!haveXvfb)("XTestSink on Xvfb", () => {
  let xvfb: Xvfb;
  let app: DisplayConnection; // the customer's application
  let host: DisplayConnection; // the Tandem host injecting input
  let sink: XTestSink;
  let events: XEvent[];
  let wid: number;

  beforeAll(async () => {
    xvfb = await startXvfb();
    app = await DisplayConnection.open({ display: xvfb.display, shm: false });
    host = await DisplayConnection.open({ display: xvfb.display, shm: false });
    events = recordEvents(app);
    wid = await createTestWindow(app, {
      x: 200,
      y: 100,
      width: 400,
      height: 300,
      colour: 0xeeeeee,
      listen: true,
    });
    sink = await XTestSink.open(host);
  });
  afterAll(async () => {
    await sink?.close();
    await host?.close();
    await app?.close();
    await xvfb?.stop();
  });

  it("R-S8: moves the pointer and clicks inside a window", async () => {
    await sink.apply({ type: "pointer.move", x: 250, y: 180 });
    await host.sync();
    const p = await host.call<{ rootX: number; rootY: number }>((cb) =>
      host.client.QueryPointer(host.root, cb),
    );
    expect([p.rootX, p.rootY]).toEqual([250, 180]);
    await sink.apply({ type: "pointer.button", button: 1, down: true });
    await sink.apply({ type: "pointer.button", button: 1, down: false });
    await waitUntil("ButtonRelease", () => events.some((e) => e.name === "ButtonRelease"));
    const press = events.find((e) => e.name === "ButtonPress")!;
    expect(press).toMatchObject({ wid, keycode: 1, x: 50, y: 80, rootx: 250, rooty: 180 });
  });

  it("R-S8: types keysyms, adding Shift for shifted ones", async () => {
    app.client.SetInputFocus(wid, 1);
    await app.sync();
    const keyboard = await KeyboardMap.load(app);
    for (const keysym of [0x61, 0x41, 0x31, 0x21]) {
      await sink.apply({ type: "key", keysym, down: true });
      await sink.apply({ type: "key", keysym, down: false });
    }
    await waitUntil("four key presses", () => events.filter((e) => e.name === "KeyPress").length >= 6);
    // Shift_L presses are KeyPress events too; look at the others with their modifier state
    const typed = [];
    for (const e of events.filter((x) => x.name === "KeyPress")) {
      const shifted = ((e.buttons as number) & SHIFT_MASK) !== 0;
      const stroke = await Promise.all(
        [0x61, 0x41, 0x31, 0x21].map(async (k) => [k, await keyboard.stroke(k)] as const),
      );
      const hit = stroke.find(([, s]) => s !== undefined && s.keycode === e.keycode && s.shift === shifted);
      if (hit) typed.push(hit[0]);
    }
    expect(typed).toEqual([0x61, 0x41, 0x31, 0x21]);
  });

  it("R-S8: releaseAll lets go of a held button", async () => {
    await sink.apply({ type: "pointer.button", button: 3, down: true });
    await sink.releaseAll();
    const p = await host.call<{ keyMask: number }>((cb) => host.client.QueryPointer(host.root, cb));
    expect(p.keyMask & 0x1f00).toBe(0);
  });
});
