// The command the customer runs, `tandem-host`, as a real process on a real X server (R-D3, R-S8, R-V4): its own X11
// wiring (capture, XTEST input, the annotation overlay the capture sees past), not a HostSession built by the test.
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { XEvent } from "x11";
import { answeredSession, type TestServer, testServer } from "../../server/testing.ts";
import { X11Source } from "../capture/index.ts";
import { type Cleanups, hostProcess } from "../tools/hostProcess.testing.ts";
import { DisplayConnection } from "../x11/connection.ts";
import { createTestWindow, paintRoot, recordEvents, repaintWindow } from "../x11/testClient.ts";
import { findXvfb, startXvfb, type Xvfb } from "../x11/xvfb.ts";
import { samePixels, TestViewer, until } from "./testViewer.ts";

const haveXvfb = findXvfb() !== undefined;
if (!haveXvfb) console.warn("SKIPPED tandem-host on X e2e: Xvfb is not installed (apt-get install xvfb)");

const binPath = fileURLToPath(new URL("./bin.mjs", import.meta.url));
const PEN = 0x1e5bff;
const rgbAt = (pixels: Uint8Array | Uint8ClampedArray, width: number, x: number, y: number): number => {
  const i = (y * width + x) * 4;
  return (pixels[i]! << 16) | (pixels[i + 1]! << 8) | pixels[i + 2]!;
};

describe.skipIf(!haveXvfb)("tandem-host on a real X screen", () => {
  const cleanups: Cleanups = [];
  let xvfb: Xvfb;
  let app: DisplayConnection;
  let appWindow: number;
  let appEvents: XEvent[];
  let marker: number; // a small window repainted to mark a later frame
  let raw: X11Source;
  let t: TestServer;
  let viewer: TestViewer;

  beforeAll(async () => {
    xvfb = await startXvfb({ screens: ["800x600x24"] });
    app = await DisplayConnection.open({ display: xvfb.display, shm: false });
    await paintRoot(app, 0x20303f);
    appEvents = recordEvents(app);
    appWindow = await createTestWindow(app, {
      x: 100,
      y: 60,
      width: 500,
      height: 400,
      colour: 0x3a6ea5,
      listen: true,
    });
    marker = await createTestWindow(app, { x: 700, y: 540, width: 40, height: 40, colour: 0xe8e8e8 });
    raw = await X11Source.open({ display: xvfb.display, useDamage: false });
    t = await testServer();
    const joined = await answeredSession(t, "a dialog will not close");
    viewer = await TestViewer.open(t, joined.sessionId, joined.token);
    const host = hostProcess(
      [
        process.execPath,
        binPath,
        ...["--server", t.wsUrl, "--session", joined.sessionId, "--key", joined.hostKey],
        ...["--source", "x11", "--level", "control", "--yes", "--tools", "off", "--prompt", "json"],
      ],
      { ...process.env, DISPLAY: xvfb.display },
      cleanups,
    );
    await host.next(
      (l) => typeof l.notice === "string" && l.notice.startsWith("Sharing your screen"),
      30_000,
    );
  }, 60_000);

  afterAll(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
    await t?.close();
    await raw?.close();
    await app?.close();
    await xvfb?.stop();
  });

  test("R-D3: the viewer's picture is the X screen, pixel-exact, as the process captures it", async () => {
    await until(
      async () => samePixels(viewer.display, (await raw.grab()).image),
      "the picture to match the X screen",
      15_000,
    );
    expect([viewer.display.width, viewer.display.height]).toEqual([800, 600]);
  });

  test("R-S8: under the shared control the customer agreed to, the viewer's click reaches the X client", async () => {
    await until(
      () => viewer.messages.some((m) => m.type === "state" && m.control === true),
      "control granted",
    );
    appEvents.length = 0;
    viewer.send({ type: "input.pointer", x: 250, y: 160, buttons: 0 });
    viewer.send({ type: "input.pointer", x: 250, y: 160, buttons: 1 });
    viewer.send({ type: "input.pointer", x: 250, y: 160, buttons: 0 });
    await until(() => appEvents.some((e) => e.name === "ButtonPress"), "the click", 10_000);
    expect(appEvents.find((e) => e.name === "ButtonPress")).toMatchObject({ wid: appWindow, x: 150, y: 100 });
  });

  test("R-V4: the agent's pen stroke shows on the X screen, and the capture sees past it", async () => {
    viewer.send({
      type: "annotations",
      diff: {
        added: [
          {
            id: "s1",
            version: 1,
            kind: "pen",
            points: [200, 300, 400, 300],
            colour: "#1e5bff",
            author: "ann",
          },
        ],
        updated: [],
        removed: [],
      },
    });
    await until(
      async () => rgbAt((await raw.grab()).image.data, 800, 300, 300) === PEN,
      "the ink on the X screen",
      10_000,
    );
    // The host's picture leaves the overlay out. A change drawn after the ink reaches the viewer in a later frame;
    // by then the viewer still has the window's colour under the ink.
    await repaintWindow(app, marker, 0xc04030);
    await until(() => rgbAt(viewer.display.pixels, 800, 720, 560) === 0xc04030, "the later change", 10_000);
    expect(rgbAt(viewer.display.pixels, 800, 300, 300)).toBe(0x3a6ea5);
  });
});
