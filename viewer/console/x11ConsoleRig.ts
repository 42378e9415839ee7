// Issue 5 end to end, shared by the real-X console test and the screen-latency bench: Xvfb with a real X client
// drawing known content, the server, a HostSession capturing with X11Source (past the annotation overlay) and
// applying input through XTEST, and an agent in the real console in headless Chromium watching the shared screen.
//
// The decode worker's frames and paints are stamped as they happen (`recordWorkerTimings`); a probe pixel lets the
// bench match a colour the X client drew to the grab that first saw it and to the paint that first showed it.

import type { BrowserContext, Page } from "playwright-core";
import type { XEvent } from "x11";
import { type CapturedFrame, type CaptureSource, X11Source } from "../../host/capture/index.ts";
import { controlSink } from "../../host/cli/controlSink.ts";
import { type ConsentPrompt, HostSession } from "../../host/cli/hostSession.ts";
import { RemoteControl } from "../../host/input/index.ts";
import { AnnotationOverlay, OverlayFreeSource } from "../../host/overlay/index.ts";
import { TERMINAL_SCROLL_LINE_PX, terminalScroll } from "../../host/scenes/terminalScroll.ts";
import { DisplayConnection } from "../../host/x11/connection.ts";
import { createTestWindow, paintRoot, recordEvents } from "../../host/x11/testClient.ts";
import { startXvfb, type Xvfb } from "../../host/x11/xvfb.ts";
import type { AnnotationDiff } from "../../protocol/annotations/index.ts";
import { createImage } from "../../protocol/frame/index.ts";
import type { ControlLevel } from "../../protocol/screen/index.ts";
import { type TestServer, testServer } from "../../server/testing.ts";
import { type DetachableChromium, launchDetachableChromium } from "../../testing/detachableChromium.ts";
import { recordWorkerTimings, type WorkerTiming } from "../screen/harness/workerTiming.ts";
import { openSession } from "./consoleSession.testing.ts";
import { screenWorkerUrl } from "./views/screenPanel.ts";

export const ROOT_COLOUR = 0x1d2b3a;
export const APP_COLOUR = 0x3a6ea5;

/** Where the X client's windows sit (screen pixels); all inside a 640×360 screen. */
export const layout = {
  app: { x: 40, y: 30, width: 360, height: 240 },
  texture: { x: 420, y: 40, width: 200, height: 150 },
  probe: { x: 440, y: 230, width: 64, height: 64 },
} as const;

export interface RigOptions {
  readonly width: number;
  readonly height: number;
  readonly framesPerSecondMax?: number;
  /** Screen pixel whose colour the timing reports carry (the bench's changing window). */
  readonly probe?: { x: number; y: number };
  /** Browser viewport; the shared screen's stage is 380 px high in the chat tab. */
  readonly viewport?: { width: number; height: number };
  /**
   * A large textured window under the other ones that `showBusy` redraws (the bench's heavy frames); "scroll" is a
   * page of text that each redraw scrolls by one line, over the other windows.
   */
  readonly busy?: { x: number; y: number; width: number; height: number; kind: TextureKind | "scroll" };
}

export interface GrabStamp {
  /** Date.now() when the host started the grab, and when it had the picture. */
  startedAt: number;
  endedAt: number;
  /** 0xRRGGBB at the probe pixel in the grabbed picture (-1 without a probe). */
  probe: number;
}

export interface Rig {
  xvfb: Xvfb;
  /** The customer's application: its window listens for keys and buttons. */
  app: DisplayConnection;
  appWindow: number;
  appEvents: XEvent[];
  probeWindow: number;
  /** Redraws the busy window with its i-th texture (issued, not synced). */
  showBusy(i: number): void;
  /** An independent look at the X screen (no DAMAGE, no overlay filtering). */
  raw: X11Source;
  overlay: AnnotationOverlay;
  control: RemoteControl;
  t: TestServer;
  browser: DetachableChromium;
  /** The console's context and page, while the driver is attached. */
  context: BrowserContext;
  page: Page;
  host: HostSession;
  /** What the consent prompt was asked, in order; the prompt grants whatever is suggested. */
  consents: { reason: string; suggested: ControlLevel }[];
  annotations: AnnotationDiff[];
  timings: WorkerTiming[];
  /** Every grab the host made, in order: the host sends one frame per grab, so grab i became frame seq i. */
  grabs: GrabStamp[];
  /**
   * Lets go of the browser, as the bench does before it measures: `context` and `page` are then dead, the console and
   * the timing stamps run on (see testing/detachableChromium.ts for what the driver costs).
   */
  detachDriver(): Promise<void>;
  close(): Promise<void>;
}

const rgbAt = (data: Uint8Array | Uint8ClampedArray, width: number, x: number, y: number): number => {
  const i = (y * width + x) * 4;
  return (data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!;
};

/** "photo": gradients, stripes and glyph-like speckle; "document": lines of dark glyph cells on white. */
export type TextureKind = "photo" | "document";

/** A textured picture for a window's background pixmap; `phase` gives another picture of the same kind. */
const texture = (width: number, height: number, phase = 0, kind: TextureKind = "photo"): Buffer => {
  const data = Buffer.alloc(width * height * 4); // ZPixmap, 32 bpp, little-endian BGRX
  if (kind === "document") {
    data.fill(0xff);
    for (let y = 0; y < height; y++) {
      const line = Math.floor(y / 18);
      const row = y % 18;
      if (row < 3 || row > 14) continue; // leading between lines
      for (let x = 8; x < width - 8; x++) {
        const cell = Math.floor(x / 9);
        const word = (cell * 31 + line * 17 + phase * 101) % 11; // spaces between words
        const glyph = (cell * 7919 + line * 104729 + phase * 1299709) % 97;
        const on = word !== 0 && x % 9 < 7 && ((glyph >> ((row + x) % 5)) & 1) === 1;
        if (on) data.fill(0x20, (y * width + x) * 4, (y * width + x) * 4 + 3);
      }
    }
    return data;
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      const u = x + phase * 5;
      const glyph = (u >> 3) % 3 !== 2 && (y >> 4) % 2 === 0 && ((u * 7 + y * 13) ^ (u >> 2)) % 5 < 2;
      data[o] = glyph ? 30 : (u + y) % 16 < 8 ? 200 : 90;
      data[o + 1] = glyph ? 20 : ((y + phase * 11) * 255) / height;
      data[o + 2] = glyph ? 20 : (x * 255) / width;
    }
  }
  return data;
};

// CreatePixmap and backgroundPixmap are in the x11 package but not in host/x11/x11.d.ts.
type PixmapClient = {
  AllocID(): number;
  CopyArea(
    src: number,
    dst: number,
    gc: number,
    srcX: number,
    srcY: number,
    dstX: number,
    dstY: number,
    width: number,
    height: number,
  ): void;
  CreatePixmap(pid: number, drawable: number, depth: number, width: number, height: number): void;
  CreateGC(gc: number, drawable: number, values: Record<string, number>): void;
  PutImage(...args: unknown[]): void;
  CreateWindow(...args: unknown[]): void;
  ChangeWindowAttributes(wid: number, values: Record<string, number>): void;
  ClearArea(wid: number, x: number, y: number, width: number, height: number, exposures: number): void;
  MapWindow(wid: number): void;
};

const texturePixmap = (
  conn: DisplayConnection,
  width: number,
  height: number,
  phase: number,
  kind: TextureKind,
): number => {
  return pixmapOf(conn, width, height, texture(width, height, phase, kind));
};

/** A pixmap holding `data` (ZPixmap, 32 bpp, little-endian BGRX), put in bands under the request size limit. */
const pixmapOf = (conn: DisplayConnection, width: number, height: number, data: Buffer): number => {
  const client = conn.client as unknown as PixmapClient;
  const pixmap = client.AllocID();
  client.CreatePixmap(pixmap, conn.root, 24, width, height);
  const gc = client.AllocID();
  client.CreateGC(gc, pixmap, {});
  const rowsPerBand = Math.max(1, Math.floor(200_000 / (width * 4)));
  for (let row = 0; row < height; row += rowsPerBand) {
    const rows = Math.min(rowsPerBand, height - row);
    const band = data.subarray(row * width * 4, (row + rows) * width * 4);
    client.PutImage(2, pixmap, gc, width, rows, 0, row, 0, 24, band);
  }
  return pixmap;
};

/**
 * A window whose background is a pixmap, so the X server redraws it on every Expose (the overlay causes some);
 * `show(i)` switches it to another of `phases` textures, as an application redrawing a large area.
 */
const createTextureWindow = async (
  conn: DisplayConnection,
  o: { x: number; y: number; width: number; height: number },
  phases = 1,
  kind: TextureKind = "photo",
) => {
  const client = conn.client as unknown as PixmapClient;
  const pixmaps = Array.from({ length: phases }, (_, i) => texturePixmap(conn, o.width, o.height, i, kind));
  const wid = client.AllocID();
  client.CreateWindow(wid, conn.root, o.x, o.y, o.width, o.height, 0, 0, 1, 0, {
    backgroundPixmap: pixmaps[0]!,
    overrideRedirect: 1,
  });
  client.MapWindow(wid);
  await conn.sync();
  return {
    wid,
    show: (i: number) => {
      client.ChangeWindowAttributes(wid, { backgroundPixmap: pixmaps[i % phases]! });
      client.ClearArea(wid, 0, 0, 0, 0, 0);
    },
  };
};

/** Lines of text the scrolling window's document holds beyond one window's height. */
const SCROLL_LINES = 120;

/**
 * A window over a long terminal log (the codec bench's terminal scene, drawn that tall once) that `show(i)` scrolls
 * to its i-th line, as a terminal or an editor moves by a line: one copy of the window's picture from the log, which
 * the host sees as the window's content moving up with one new line at the bottom.
 */
const createScrollingWindow = async (
  conn: DisplayConnection,
  o: { x: number; y: number; width: number; height: number },
) => {
  const client = conn.client as unknown as PixmapClient;
  const tall = o.height + SCROLL_LINES * TERMINAL_SCROLL_LINE_PX;
  const log = createImage(o.width, tall);
  terminalScroll({ width: o.width, height: tall, seed: 1 }).render(0, log);
  const document = pixmapOf(conn, o.width, tall, rgbaToBgrx(log.data));
  const wid = client.AllocID();
  client.CreateWindow(wid, conn.root, o.x, o.y, o.width, o.height, 0, 0, 1, 0, {
    backgroundPixmap: document,
    overrideRedirect: 1,
  });
  const gc = client.AllocID();
  client.CreateGC(gc, wid, {});
  client.MapWindow(wid);
  await conn.sync();
  return {
    wid,
    show: (i: number) => {
      const top = (i % SCROLL_LINES) * TERMINAL_SCROLL_LINE_PX;
      client.CopyArea(document, wid, gc, 0, top, 0, 0, o.width, o.height);
    },
  };
};

/** RGBA bytes as the ZPixmap's little-endian BGRX. */
const rgbaToBgrx = (rgba: Uint8Array): Buffer => {
  const out = Buffer.alloc(rgba.length);
  for (let i = 0; i < rgba.length; i += 4) {
    out[i] = rgba[i + 2]!;
    out[i + 1] = rgba[i + 1]!;
    out[i + 2] = rgba[i]!;
  }
  return out;
};

/** Starts everything and leaves the agent looking at the shared screen at Actual size, view only. */
export async function startRig(options: RigOptions): Promise<Rig> {
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  const close = async () => {
    for (const c of cleanups.reverse()) {
      try {
        await c();
      } catch (err) {
        console.error("rig cleanup:", err);
      }
    }
  };
  try {
    const xvfb = await startXvfb({ screens: [`${options.width}x${options.height}x24`] });
    cleanups.push(() => xvfb.stop());
    const app = await DisplayConnection.open({ display: xvfb.display, shm: false });
    cleanups.push(() => app.close());
    await paintRoot(app, ROOT_COLOUR);
    const appEvents = recordEvents(app);
    const textured =
      options.busy && options.busy.kind !== "scroll"
        ? await createTextureWindow(app, options.busy, 4, options.busy.kind)
        : undefined;
    const appWindow = await createTestWindow(app, { ...layout.app, colour: APP_COLOUR, listen: true });
    await createTextureWindow(app, layout.texture);
    const probeWindow = await createTestWindow(app, { ...layout.probe, colour: 0x000000 });
    // The scrolling text goes on top: where it overlaps the others, it is what shows.
    const busy = options.busy?.kind === "scroll" ? await createScrollingWindow(app, options.busy) : textured;
    app.client.SetInputFocus(appWindow, 1);
    await app.sync();

    const raw = await X11Source.open({ display: xvfb.display, useDamage: false });
    cleanups.push(() => raw.close());
    const overlay = await AnnotationOverlay.open({ display: xvfb.display });
    cleanups.push(() => overlay.close());
    const control = await RemoteControl.open({ display: xvfb.display, pollIntervalMs: 20 });
    cleanups.push(() => control.close());

    const t = await testServer({ alertDisplayMs: 120_000 });
    cleanups.push(() => t.close());
    const browser = await launchDetachableChromium(options.viewport ?? { width: 1280, height: 900 });
    cleanups.push(() => browser.close());
    const context = browser.context;
    const { timings, close: stopTimings } = await recordWorkerTimings(
      context,
      `**${screenWorkerUrl}`,
      options.probe,
    );
    cleanups.push(stopTimings);
    const page = context.pages()[0] ?? (await context.newPage());
    page.on("pageerror", (e) => console.error("page error:", e));

    const { joined } = await openSession(page, t, "Xavier Eleven", "my X app");
    await page.getByRole("button", { name: "Show the customer's screen" }).click();
    await page.getByRole("status").filter({ hasText: "Waiting for the customer" }).waitFor();

    const consents: Rig["consents"] = [];
    const consent: ConsentPrompt = async (q) => {
      consents.push(q);
      return q.suggested;
    };
    const grabs: GrabStamp[] = [];
    const probe = options.probe;
    const inner = new OverlayFreeSource(await X11Source.open({ display: xvfb.display }), overlay);
    // Stamps each grab for the bench; otherwise the overlay-free X11 source as the host CLI would use it.
    const source: CaptureSource = {
      get width() {
        return inner.width;
      },
      get height() {
        return inner.height;
      },
      monitors: () => inner.monitors(),
      grab: async (): Promise<CapturedFrame> => {
        const startedAt = Date.now();
        const frame = await inner.grab();
        if (probe)
          grabs.push({
            startedAt,
            endedAt: Date.now(),
            probe: rgbAt(frame.image.data, frame.image.width, probe.x, probe.y),
          });
        return frame;
      },
      cursor: () => inner.cursor(),
      close: () => inner.close(),
    };
    const annotations: AnnotationDiff[] = [];
    const host = new HostSession({
      screenUrl: t.screenUrl,
      sessionId: joined.sessionId,
      key: joined.host.sessionKey,
      source,
      consent,
      level: "view",
      input: controlSink(control),
      framesPerSecondMax: options.framesPerSecondMax ?? 60,
      onAnnotations: (diff) => {
        annotations.push(diff);
        overlay.apply(diff);
      },
      onLaser: (x, y) => overlay.laser(x, y),
      log: (line) => console.warn(`host: ${line}`),
    });
    cleanups.push(() => source.close());
    cleanups.push(() => host.close());
    if (!(await host.start())) throw new Error("the host did not start sharing");
    await page.getByRole("status").filter({ hasText: "view only" }).waitFor();
    await page.getByRole("button", { name: "Actual size" }).click();
    return {
      xvfb,
      app,
      appWindow,
      appEvents,
      probeWindow,
      showBusy: (i) => busy?.show(i),
      raw,
      overlay,
      control,
      t,
      browser,
      context,
      page,
      host,
      consents,
      annotations,
      timings,
      grabs,
      detachDriver: () => browser.detach(),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
