// Screen sharing on a real X server, end to end (R-D3, R-S8, R-V4): Xvfb with an X client drawing on it, the real
// server, the host session capturing with X11Source and applying input through XTEST, and an agent's viewer. The
// viewer's picture matches the X screen; its clicks and keys reach the X client; the customer's own mouse wins;
// the agent's ink shows on the customer's screen but never comes back in the picture; the customer's own stroke
// reaches the viewer.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { XEvent } from "x11";
import type { RgbaImage } from "../../protocol/frame/index.ts";
import {
  addAgent,
  addPortal,
  Client,
  customerPost,
  login,
  type TestServer,
  testServer,
} from "../../server/testing.ts";
import { X11Source } from "../capture/index.ts";
import { type InputDecision, RemoteControl, XTestSink } from "../input/index.ts";
import { AnnotationOverlay, CustomerTools, OverlayFreeSource } from "../overlay/index.ts";
import { DisplayConnection } from "../x11/connection.ts";
import { createTestWindow, paintRoot, recordEvents, repaintWindow } from "../x11/testClient.ts";
import { findXvfb, startXvfb, type Xvfb } from "../x11/xvfb.ts";
import { controlSink } from "./controlSink.ts";
import { HostSession } from "./hostSession.ts";
import { samePixels, TestViewer, until } from "./testViewer.ts";

const haveXvfb = findXvfb() !== undefined;
if (!haveXvfb)
  console.warn("SKIPPED real-X screen sharing e2e: Xvfb is not installed (apt-get install xvfb)");

const QUIET_MS = 800;
const APP = 0x3a6ea5;
const rgbAt = (pixels: Uint8Array | Uint8ClampedArray, width: number, x: number, y: number): number => {
  const i = (y * width + x) * 4;
  return (pixels[i]! << 16) | (pixels[i + 1]! << 8) | pixels[i + 2]!;
};

describe.skipIf(!haveXvfb)("screen sharing of a real X screen through the server", () => {
  let xvfb: Xvfb;
  let app: DisplayConnection; // the customer's application
  let appWindow: number;
  let appEvents: XEvent[];
  let owner: DisplayConnection; // the customer's own mouse
  let ownerMouse: XTestSink;
  let raw: X11Source; // an independent look at the X screen
  let overlay: AnnotationOverlay;
  let control: RemoteControl;
  let t: TestServer;
  let token: string;
  let sessionId: string;
  let host: HostSession;
  let viewer: TestViewer;
  const decisions: InputDecision[] = [];

  const screen = async (): Promise<RgbaImage> => (await raw.grab()).image;
  const pointer = async () => {
    const p = await owner.call<{ rootX: number; rootY: number }>((cb) =>
      owner.client.QueryPointer(owner.root, cb),
    );
    return [p.rootX, p.rootY];
  };
  const pictureMatchesScreen = async () => samePixels(viewer.display, await screen());

  beforeAll(async () => {
    xvfb = await startXvfb({ screens: ["1024x768x24"] });
    app = await DisplayConnection.open({ display: xvfb.display, shm: false });
    await paintRoot(app, 0x1d2b3a);
    appEvents = recordEvents(app);
    appWindow = await createTestWindow(app, {
      x: 120,
      y: 80,
      width: 640,
      height: 480,
      colour: APP,
      listen: true,
    });
    await createTestWindow(app, { x: 800, y: 600, width: 150, height: 90, colour: 0xe8e8e8 });
    app.client.SetInputFocus(appWindow, 1);
    await app.sync();
    owner = await DisplayConnection.open({ display: xvfb.display, shm: false });
    ownerMouse = await XTestSink.open(owner);
    raw = await X11Source.open({ display: xvfb.display, useDamage: false });

    t = await testServer();
    const ann = await addAgent(t, "ann");
    const portalId = addPortal(t, { type: "smartBox", mode: "standard", members: [ann.id] });
    token = await login(t.url, ann.email);
    const agent = await Client.hello(t.wsUrl, { role: "agent", token });
    const { c: customer, requestId } = await customerPost(t, { portalId, question: "my printer dialog" });
    await agent.ok({ type: "request.answer", requestId });
    const joined = await customer.next((m) => m.type === "session.joined");
    sessionId = joined.sessionId;

    overlay = await AnnotationOverlay.open({ display: xvfb.display });
    control = await RemoteControl.open({
      display: xvfb.display,
      localInputQuietMs: QUIET_MS,
      pollIntervalMs: 20,
    });
    host = new HostSession({
      screenUrl: t.screenUrl,
      sessionId,
      key: joined.host.sessionKey,
      source: new OverlayFreeSource(await X11Source.open({ display: xvfb.display }), overlay),
      consent: async ({ suggested }) => suggested,
      level: "control",
      input: controlSink(control, (_, decision) => decisions.push(decision)),
      framesPerSecondMax: 60,
      onAnnotations: (diff) => overlay.apply(diff),
      onLaser: (x, y) => overlay.laser(x, y),
    });
    viewer = await TestViewer.open(t, sessionId, token);
    expect(await host.start()).toBe(true);
  }, 30_000);

  afterAll(async () => {
    await host?.close();
    await t?.close();
    await control?.close();
    await overlay?.close();
    await raw?.close();
    await ownerMouse?.close();
    await owner?.close();
    await app?.close();
    await xvfb?.stop();
  });

  test("R-D3: the viewer's decoded picture matches the X screen pixel-exact, and follows what the X client draws", async () => {
    await until(pictureMatchesScreen, "the viewer's picture to match the X screen");
    expect([viewer.display.width, viewer.display.height]).toEqual([1024, 768]);
    await repaintWindow(app, appWindow, 0xc04030);
    await until(
      () => rgbAt(viewer.display.pixels, 1024, 400, 300) === 0xc04030,
      "the repainted window in the picture",
    );
    await until(pictureMatchesScreen, "the picture to match the X screen again");
    await repaintWindow(app, appWindow, APP);
  });

  test("R-S8: under shared control the viewer's clicks and keys reach the X client through XTEST", async () => {
    await until(
      () => viewer.messages.some((m) => m.type === "state" && m.control === true),
      "control granted",
    );
    appEvents.length = 0;
    viewer.send({ type: "input.pointer", x: 300, y: 200, buttons: 0 });
    viewer.send({ type: "input.pointer", x: 300, y: 200, buttons: 1 });
    viewer.send({ type: "input.pointer", x: 300, y: 200, buttons: 0 });
    viewer.send({ type: "input.key", key: "a", down: true });
    viewer.send({ type: "input.key", key: "a", down: false });
    await until(() => appEvents.some((e) => e.name === "KeyPress"), "the key press");
    expect(appEvents.find((e) => e.name === "ButtonPress")).toMatchObject({
      wid: appWindow,
      keycode: 1,
      rootx: 300,
      rooty: 200,
      x: 180,
      y: 120,
    });
    expect(appEvents.find((e) => e.name === "KeyPress")).toMatchObject({ wid: appWindow });
  });

  test("R-S8: the owner's mouse wins: while the customer moves it, remote input is dropped; then it applies again", async () => {
    owner.client.WarpPointer(0, owner.root, 0, 0, 0, 0, 700, 500);
    await owner.sync();
    await until(() => control.policy.ownerActive(), "the owner's motion to be noticed");
    appEvents.length = 0;
    decisions.length = 0;
    viewer.send({ type: "input.pointer", x: 200, y: 150, buttons: 1 });
    viewer.send({ type: "input.pointer", x: 200, y: 150, buttons: 0 });
    await until(() => decisions.length >= 4, "the host to handle the input");
    // Dropped while the owner is active: the pointer stays where the owner put it, and the X client sees no click.
    expect(decisions).toEqual(Array(4).fill({ apply: false, reason: "owner-active" }));
    expect(await pointer()).toEqual([700, 500]);
    expect(appEvents.filter((e) => e.name === "ButtonPress")).toHaveLength(0);
    await until(() => !control.policy.ownerActive(), "the quiet period", 5 * QUIET_MS);
    viewer.send({ type: "input.pointer", x: 210, y: 160, buttons: 0 });
    await until(async () => (await pointer()).join() === "210,160", "remote input to apply again");
  });

  test("R-V1: the customer's pointer and its cursor picture reach the viewer beside the frames (XFIXES)", async () => {
    owner.client.WarpPointer(0, owner.root, 0, 0, 0, 0, 432, 321);
    await owner.sync();
    await until(
      () => viewer.messages.some((m) => m.type === "cursor" && m.x === 432 && m.y === 321),
      "the pointer's position",
    );
    const shapes = viewer.messages.filter((m) => m.type === "cursorShape");
    const shape = shapes[shapes.length - 1];
    expect(shape).toBeDefined();
    const bytes = Buffer.from(shape.rgba, "base64");
    expect(bytes.length).toBe(shape.width * shape.height * 4);
    // A visible cursor: some opaque pixels, and its hot spot inside it.
    expect(bytes.some((b, i) => i % 4 === 3 && b === 255)).toBe(true);
    expect(shape.hotX).toBeLessThan(shape.width);
    expect(shape.hotY).toBeLessThan(shape.height);
    // The picture itself never contains the cursor: the screen under it is what the X client drew.
    const late = await TestViewer.open(t, sessionId, token);
    await until(
      () => late.messages.some((m) => m.type === "cursorShape"),
      "the shape for a viewer that joins later",
    );
    expect(late.messages.some((m) => m.type === "cursor" && m.x === 432)).toBe(true);
    late.ws.close();
  });

  test("R-V4: the agent's stroke shows on the customer's screen but never comes back in the viewer's picture", async () => {
    viewer.send({
      type: "annotations",
      diff: {
        added: [
          {
            id: "ann-1",
            version: 1,
            kind: "pen",
            points: [200, 300, 600, 300],
            colour: "#1e5bff",
            author: "a",
          },
        ],
        updated: [],
        removed: [],
      },
    });
    await until(
      async () => rgbAt((await screen()).data, 1024, 400, 300) === 0x1e5bff,
      "the ink on the X screen",
    );
    const seen = viewer.applied.length;
    await until(() => viewer.applied.length >= seen + 3, "three frames after the ink");
    expect(rgbAt(viewer.display.pixels, 1024, 400, 300)).toBe(APP);
    expect(rgbAt(viewer.display.pixels, 1024, 200, 300)).toBe(APP);
    viewer.send({ type: "annotations", diff: { added: [], updated: [], removed: [], clear: true } });
    await until(async () => rgbAt((await screen()).data, 1024, 400, 300) === APP, "the ink to go");
  });

  test("R-V4: the customer's own pen stroke reaches the agent's viewer as annotations", async () => {
    const tools = await CustomerTools.open({
      display: xvfb.display,
      onDiff: (diff) => {
        overlay.apply(diff);
        host.sendAnnotations(diff);
      },
    });
    try {
      expect(await tools.select("pen")).toBe(true);
      for (const [x, y, down] of [
        [150, 150, true],
        [200, 170, true],
        [250, 190, true],
        [250, 190, false],
      ] as const) {
        await ownerMouse.apply({ type: "pointer.move", x, y });
        await ownerMouse.apply({ type: "pointer.button", button: 1, down });
      }
      await until(
        () =>
          viewer.messages.some(
            (m) =>
              m.type === "annotations" &&
              [...m.diff.added, ...m.diff.updated].some(
                (a: { author: string; points: number[] }) =>
                  a.author === "customer" && a.points.at(-2) === 250,
              ),
          ),
        "the customer's stroke at the viewer",
      );
      await until(
        async () => rgbAt((await screen()).data, 1024, 150, 150) === 0x1e5bff,
        "the stroke on screen too",
      );
    } finally {
      await tools.select("mouse");
      await tools.close();
    }
  });

  test("R-V4: the customer's own laser shows on their screen and reaches the agent's viewer", async () => {
    const tools = await CustomerTools.open({
      display: xvfb.display,
      onDiff: () => {},
      onLaser: (x, y) => {
        overlay.laser(x, y);
        host.sendLaser(x, y);
      },
    });
    try {
      expect(await tools.select("laser")).toBe(true);
      for (const x of [600, 640, 680]) await ownerMouse.apply({ type: "pointer.move", x, y: 420 });
      await until(
        () => viewer.messages.some((m) => m.type === "laser" && m.x === 680 && m.y === 420),
        "the customer's laser at the viewer",
      );
      await until(async () => {
        const rgb = rgbAt((await screen()).data, 1024, 680, 420);
        return rgb >> 16 > 200 && ((rgb >> 8) & 255) < 80 && (rgb & 255) < 80;
      }, "the red dot on the customer's own screen");
      // Nothing of it comes back in the picture the agent sees.
      const seen = viewer.applied.length;
      await until(() => viewer.applied.length >= seen + 2, "two frames after the dot");
      expect(rgbAt(viewer.display.pixels, 1024, 680, 420)).toBe(APP);
    } finally {
      await tools.select("mouse");
      await tools.close();
    }
  });
});
