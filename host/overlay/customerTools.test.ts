// The customer's own annotation tools on a real Xvfb (R-V4): with the pen picked, the customer's mouse draws a stroke
// (sent as diffs) instead of clicking the application beneath; back to the mouse, clicks reach it again.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { XEvent } from "x11";
import type { AnnotationDiff } from "../../protocol/annotations/index.ts";
import { XTestSink } from "../input/index.ts";
import { DisplayConnection } from "../x11/connection.ts";
import { createTestWindow, recordEvents, waitUntil } from "../x11/testClient.ts";
import { findXvfb, startXvfb, type Xvfb } from "../x11/xvfb.ts";
import { CustomerTools } from "./customerTools.ts";

const haveXvfb = findXvfb() !== undefined;
if (!haveXvfb) console.warn("SKIPPED customer tools tests: Xvfb is not installed (apt-get install xvfb)");

describe.skipIf(!haveXvfb)("CustomerTools on Xvfb", () => {
  let xvfb: Xvfb;
  let app: DisplayConnection;
  let events: XEvent[];
  let mouseConn: DisplayConnection; // stands for the customer's physical mouse
  let mouse: XTestSink;
  let tools: CustomerTools;
  const diffs: AnnotationDiff[] = [];
  const lasers: [number, number][] = [];

  const drag = async (points: [number, number][]) => {
    await mouse.apply({ type: "pointer.move", x: points[0]![0], y: points[0]![1] });
    await mouse.apply({ type: "pointer.button", button: 1, down: true });
    for (const [x, y] of points.slice(1)) await mouse.apply({ type: "pointer.move", x, y });
    await mouse.apply({ type: "pointer.button", button: 1, down: false });
    await mouseConn.sync();
  };

  beforeAll(async () => {
    xvfb = await startXvfb();
    app = await DisplayConnection.open({ display: xvfb.display, shm: false });
    events = recordEvents(app);
    await createTestWindow(app, { x: 0, y: 0, width: 800, height: 600, colour: 0xeeeeee, listen: true });
    mouseConn = await DisplayConnection.open({ display: xvfb.display, shm: false });
    mouse = await XTestSink.open(mouseConn);
    tools = await CustomerTools.open({
      display: xvfb.display,
      onDiff: (d) => diffs.push(d),
      onLaser: (x, y) => lasers.push([x, y]),
      runId: "t",
    });
  });
  afterAll(async () => {
    await tools?.close();
    await mouse?.close();
    await mouseConn?.close();
    await app?.close();
    await xvfb?.stop();
  });

  it("R-V4: with the pen the customer's mouse draws a blue stroke, and the application beneath gets no click", async () => {
    expect(await tools.select("pen")).toBe(true);
    await drag([
      [100, 100],
      [140, 110],
      [180, 120],
      [220, 130],
    ]);
    await waitUntil("the stroke to reach the last point", () =>
      diffs.some((d) => d.updated.some((a) => a.points.at(-2) === 220 && a.points.at(-1) === 130)),
    );
    const last = diffs.at(-1)!;
    const stroke = [...last.added, ...last.updated][0]!;
    expect(stroke).toMatchObject({ id: "customer-t-1", kind: "pen", colour: "#1e5bff", author: "customer" });
    expect(stroke.points.slice(0, 2)).toEqual([100, 100]);
    expect(stroke.points.slice(-2)).toEqual([220, 130]);
    // the first diff adds the stroke; every later one updates it with a newer version
    expect(diffs[0]!.added.map((a) => a.id)).toEqual(["customer-t-1"]);
    const versions = diffs.flatMap((d) => [...d.added, ...d.updated].map((a) => a.version));
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
    expect(events.filter((e) => e.name === "ButtonPress")).toHaveLength(0);
  });

  it("R-V4: the highlighter draws yellow; clear sends clear all", async () => {
    expect(await tools.select("highlighter")).toBe(true);
    diffs.length = 0;
    await drag([
      [300, 300],
      [360, 300],
    ]);
    await waitUntil("the highlighter stroke", () => diffs.length > 0);
    expect([...diffs.at(-1)!.added, ...diffs.at(-1)!.updated][0]).toMatchObject({
      id: "customer-t-2",
      kind: "highlighter",
      colour: "#ffd400",
    });
    tools.clear();
    expect(diffs.at(-1)).toEqual({ added: [], updated: [], removed: [], clear: true });
  });

  it("R-V4: with the laser the customer's mouse points, pressed or not, and draws and clicks nothing", async () => {
    expect(await tools.select("laser")).toBe(true);
    diffs.length = 0;
    await mouse.apply({ type: "pointer.move", x: 400, y: 200 });
    await drag([
      [420, 210],
      [450, 230],
    ]);
    await waitUntil("the laser at its last point", () => lasers.some(([x, y]) => x === 450 && y === 230));
    expect(lasers).toContainEqual([400, 200]);
    expect(diffs).toEqual([]);
    expect(events.filter((e) => e.name === "ButtonPress")).toHaveLength(0);
  });

  it("R-V4: back to the mouse, the customer's clicks reach the application again", async () => {
    expect(await tools.select("mouse")).toBe(true);
    diffs.length = 0;
    await drag([
      [400, 400],
      [420, 420],
    ]);
    await waitUntil("the click", () => events.some((e) => e.name === "ButtonRelease"));
    expect(diffs).toEqual([]);
  });
});
