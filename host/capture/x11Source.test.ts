// X11Source against a real Xvfb: pixels match what an X client drew, DAMAGE narrows reads, monitors are reported (R-D3, R-V2).
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RgbaImage } from "../../protocol/frame/index.ts";
import { DisplayConnection } from "../x11/connection.ts";
import { createTestWindow, paintRoot, repaintWindow } from "../x11/testClient.ts";
import { findXvfb, startXvfb, type Xvfb } from "../x11/xvfb.ts";
import { X11Source } from "./x11Source.ts";

const haveXvfb = findXvfb() !== undefined;
if (!haveXvfb) console.warn("SKIPPED X11 capture tests: Xvfb is not installed (apt-get install xvfb)");

const pixel = (image: RgbaImage, x: number, y: number): number[] =>
  Array.from(image.data.subarray((y * image.width + x) * 4, (y * image.width + x) * 4 + 4));
const rgba = (rgb: number): number[] => [(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff, 255];

describe.skipIf(!haveXvfb)("X11Source on Xvfb 1920×1080", () => {
  let xvfb: Xvfb;
  let painter: DisplayConnection;

  beforeAll(async () => {
    xvfb = await startXvfb();
    painter = await DisplayConnection.open({ display: xvfb.display, shm: false });
    await paintRoot(painter, 0x204060);
  });
  afterAll(async () => {
    await painter?.close();
    await xvfb?.stop();
  });

  /** A 300×150 window at (100, 200) whose colour has three different channels, so a swapped pair shows. */
  const drawTestWindow = () =>
    createTestWindow(painter, { x: 100, y: 200, width: 300, height: 150, colour: 0x3366cc });

  it.each([
    [true, "wasm"],
    [false, "ts"],
  ] as const)(
    "R-D3: grabs exactly the pixels an X client drew (core GetImage, kernels %s)",
    async (useKernels, kind) => {
      const wid = await drawTestWindow();
      const source = await X11Source.open({
        display: xvfb.display,
        useShm: false,
        useDamage: false,
        useKernels,
      });
      try {
        expect(source.readPath).toBe("core");
        expect(source.pixelKernels).toBe(kind);
        expect([source.width, source.height]).toEqual([1920, 1080]);
        const { image, dirty } = await source.grab();
        expect(dirty).toBeUndefined();
        expect(pixel(image, 100, 200)).toEqual(rgba(0x3366cc));
        expect(pixel(image, 399, 349)).toEqual(rgba(0x3366cc));
        expect(pixel(image, 400, 350)).toEqual(rgba(0x204060));
        expect(pixel(image, 1919, 1079)).toEqual(rgba(0x204060));
      } finally {
        painter.client.DestroyWindow(wid);
        await source.close();
      }
    },
  );

  // MIT-SHM is main-thread only (see shmReader), and vitest runs this file in a worker: grab in a process.
  it.each([
    ["on", "wasm"],
    ["off", "ts"],
  ] as const)(
    "R-D3: grabs exactly the pixels an X client drew (MIT-SHM in a process of its own, kernels %s)",
    async (kernels, kind) => {
      const wid = await drawTestWindow();
      try {
        const probe = fileURLToPath(new URL("./grabProbe.ts", import.meta.url));
        const points = ["100,200", "399,349", "400,350", "1919,1079"];
        const { stdout } = await promisify(execFile)(
          process.execPath,
          ["--import", "tsx", probe, xvfb.display, ...points],
          { env: { ...process.env, GRAB_PROBE_KERNELS: kernels } },
        );
        expect(JSON.parse(stdout)).toEqual({
          readPath: "shm",
          pixelKernels: kind,
          width: 1920,
          height: 1080,
          pixels: [rgba(0x3366cc), rgba(0x3366cc), rgba(0x204060), rgba(0x204060)],
        });
      } finally {
        painter.client.DestroyWindow(wid);
        await painter.sync();
      }
    },
  );

  it("R-D3: with DAMAGE a grab reads only the tiles that changed, and an idle screen reads nothing", async () => {
    const wid = await createTestWindow(painter, { x: 640, y: 320, width: 100, height: 50, colour: 0xff0000 });
    const source = await X11Source.open({ display: xvfb.display });
    try {
      expect(source.tracksDamage).toBe(true);
      const first = await source.grab();
      expect(first.dirty).toBeUndefined(); // the first grab reads everything
      expect((await source.grab()).dirty).toEqual([]);
      await repaintWindow(painter, wid, 0x00ff00);
      const next = await source.grab();
      expect(next.dirty).toEqual([{ x: 640, y: 320, width: 128, height: 64 }]);
      expect(pixel(next.image, 650, 330)).toEqual(rgba(0x00ff00));
      expect(pixel(next.image, 10, 10)).toEqual(rgba(0x204060));
    } finally {
      painter.client.DestroyWindow(wid);
      await painter.sync();
      await source.close();
    }
  });

  it("R-V2: reports the single monitor with its position and resolution", async () => {
    const source = await X11Source.open({ display: xvfb.display });
    try {
      const monitors = await source.monitors();
      expect(monitors).toHaveLength(1);
      expect(monitors[0]).toMatchObject({ x: 0, y: 0, width: 1920, height: 1080, primary: true });
    } finally {
      await source.close();
    }
  });
});

describe.skipIf(!haveXvfb)("X11Source on a two-monitor Xvfb (Xinerama)", () => {
  // Xvfb's Xinerama stacks its screens at the origin and sizes the root to the largest; real servers lay them
  // out side by side. What this checks is that the Xinerama path reports every monitor with its resolution.
  it("R-V2: reports every monitor with its resolution when RandR sees only one", async () => {
    const xvfb = await startXvfb({ screens: ["1280x1024x24", "1920x1080x24"], xinerama: true });
    const source = await X11Source.open({ display: xvfb.display });
    try {
      const monitors = await source.monitors();
      expect(monitors.map(({ x, y, width, height }) => ({ x, y, width, height }))).toEqual([
        { x: 0, y: 0, width: 1280, height: 1024 },
        { x: 0, y: 0, width: 1920, height: 1080 },
      ]);
      expect(monitors.map((m) => m.name)).toEqual(["screen-0", "screen-1"]);
      expect(monitors.filter((m) => m.primary)).toHaveLength(1);
      const { image } = await source.grab();
      expect([image.width, image.height]).toEqual([source.width, source.height]);
    } finally {
      await source.close();
      await xvfb.stop();
    }
  });
});
