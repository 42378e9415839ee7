// Shows the session's annotations on the customer's own screen (R-V4): an override-redirect X window that takes no
// input (its SHAPE input region is empty, so clicks reach the windows beneath) and whose bounding region follows
// the ink, so it needs no compositor; translucent ink is blended by hand over what lies beneath.
import { createCanvas } from "@napi-rs/canvas";
import type { ShapeExtension, XEvent } from "x11";
import { type Annotation, type AnnotationDiff, LASER_SHOWN_MS } from "../../protocol/annotations/index.ts";
import type { RgbaImage } from "../../protocol/frame/index.ts";
import { AnnotationScene, type Pen, renderScene } from "../../viewer/annotations/index.ts";
import { assertSupportedLayout, zPixmapRowsToRgba } from "../capture/zPixmap.ts";
import { DisplayConnection } from "../x11/connection.ts";
import { type Box, Coverage, inkBox, inkRectangles } from "./coverage.ts";

export interface AnnotationOverlayOptions {
  /** Display name such as ":0"; defaults to `$DISPLAY`. */
  readonly display?: string;
  /** How long the laser dot stays on screen after its last move. */
  readonly laserShownMs?: number;
  /** Largest PutImage request, in bytes: big boxes go in bands of rows. */
  readonly putImageBytesMax?: number;
}

export const defaultAnnotationOverlayOptions = {
  laserShownMs: LASER_SHOWN_MS,
  putImageBytesMax: 256 * 1024,
} as const;

const Z_PIXMAP = 2;
const INPUT_OUTPUT = 1;
const EXPOSURE = 0x8000;
const SUBSTRUCTURE_NOTIFY = 0x80000;

export class AnnotationOverlay {
  private readonly scene = new AnnotationScene();
  private readonly pen: Pen & {
    getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
  };
  private readonly coverage: Coverage;
  private readonly depth: number;
  private readonly o: Required<Omit<AnnotationOverlayOptions, "display">>;
  /** What the window shows now: its box and composed pixels (kept to repaint on Expose). */
  private shown: { box: Box; pixels: Buffer } | null = null;
  private mapped = false;
  private laserAt: [number, number] | undefined;
  private laserTimer: NodeJS.Timeout | undefined;
  private rendering: Promise<void> = Promise.resolve();
  private renderWanted = false;
  private closed = false;
  private readonly onEvent = (ev: XEvent) => {
    if (ev.name === "Expose" && ev.wid === this.wid && ev.count === 0) this.repaint();
    // Another window mapped on top: stay above it, or the customer would not see the agent's ink.
    else if (ev.name === "MapNotify" && ev.wid !== this.wid && this.mapped)
      this.conn.client.RaiseWindow(this.wid);
  };

  private constructor(
    private readonly conn: DisplayConnection,
    private readonly shape: ShapeExtension,
    private readonly wid: number,
    private readonly gc: number,
    private readonly msbFirst: boolean,
    options: AnnotationOverlayOptions,
  ) {
    const screen = conn.display.screen[0]!;
    this.o = { ...defaultAnnotationOverlayOptions, ...options } as typeof this.o;
    this.coverage = new Coverage(screen.pixel_width, screen.pixel_height);
    this.depth = screen.root_depth;
    const canvas = createCanvas(screen.pixel_width, screen.pixel_height);
    this.pen = canvas.getContext("2d") as unknown as typeof this.pen;
    conn.client.on("event", this.onEvent);
  }

  /** Opens its own X connection and an unmapped overlay window; fails when the server has no SHAPE. */
  static async open(options: AnnotationOverlayOptions = {}): Promise<AnnotationOverlay> {
    const conn = await DisplayConnection.open({
      ...(options.display ? { display: options.display } : {}),
      shm: false,
    });
    try {
      const shape = await conn.extension("shape");
      if (shape === undefined) throw new Error(`the X server on ${conn.name} has no SHAPE extension`);
      const screen = conn.display.screen[0]!;
      const bitsPerPixel = conn.display.format[String(screen.root_depth)]?.bits_per_pixel ?? 0;
      assertSupportedLayout(
        { bitsPerPixel, msbFirst: conn.display.image_byte_order === 1 },
        screen.root_depth,
      );
      const wid = conn.client.AllocID();
      // No background (the default): the server never paints over the ink before an Expose repaints it.
      conn.client.CreateWindow(
        wid,
        conn.root,
        0,
        0,
        screen.pixel_width,
        screen.pixel_height,
        0,
        0,
        INPUT_OUTPUT,
        0,
        {
          overrideRedirect: 1,
          eventMask: EXPOSURE,
        },
      );
      // Input region empty: every click, wheel and motion goes to the window beneath (SHAPE 1.1).
      shape.Rectangles(shape.Op.Set, shape.Kind.Input, wid, 0, 0, []);
      shape.Rectangles(shape.Op.Set, shape.Kind.Bounding, wid, 0, 0, []);
      conn.client.ChangeWindowAttributes(conn.root, { eventMask: SUBSTRUCTURE_NOTIFY });
      const gc = conn.client.AllocID();
      conn.client.CreateGC(gc, wid, {});
      await conn.sync();
      return new AnnotationOverlay(conn, shape, wid, gc, conn.display.image_byte_order === 1, options);
    } catch (err) {
      await conn.close();
      throw err;
    }
  }

  /** The overlay window's id (tests look for it; nothing should ever give it input). */
  get window(): number {
    return this.wid;
  }

  annotations(): Annotation[] {
    return this.scene.all();
  }

  /** A diff from the agent or from the customer's own tools. */
  apply(diff: AnnotationDiff): void {
    if (this.scene.apply(diff)) this.requestRender();
  }

  /** The agent's laser pointer: a dot that goes away `laserShownMs` after its last move. */
  laser(x: number, y: number): void {
    this.laserAt = [x, y];
    clearTimeout(this.laserTimer);
    this.laserTimer = setTimeout(() => {
      this.laserAt = undefined;
      this.requestRender();
    }, this.o.laserShownMs);
    this.laserTimer.unref();
    this.requestRender();
  }

  /** Resolves once everything applied so far is on the X server's screen. */
  async settled(): Promise<void> {
    while (this.renderWanted) await this.rendering;
    await this.rendering;
  }

  /** See `Coverage.restoreBeneath`: what a capture calls on each grab so the overlay never shows in it. */
  restoreBeneath(image: RgbaImage, grabStartedAt: number): void {
    this.coverage.restoreBeneath(image, grabStartedAt);
  }

  /** Whether the overlay covers this screen pixel now. */
  covers(x: number, y: number): boolean {
    return this.coverage.covers(x, y);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.laserTimer);
    await this.rendering.catch(() => undefined);
    this.conn.client.off("event", this.onEvent);
    if (this.conn.isOpen) {
      this.conn.client.FreeGC(this.gc);
      this.conn.client.DestroyWindow(this.wid);
    }
    await this.conn.close();
  }

  /** Renders coalesce: while one is on its way to the server, later changes wait and go out as one. */
  private requestRender(): void {
    if (this.closed || this.renderWanted) return;
    this.renderWanted = true;
    this.rendering = this.rendering.then(async () => {
      this.renderWanted = false;
      if (this.closed || !this.conn.isOpen) return;
      await this.render().catch((err: Error) => console.error(`annotation overlay: ${err.message}`));
    });
  }

  private async render(): Promise<void> {
    const { width, height } = this.coverage;
    const annotations = this.scene.all();
    const box = inkBox(annotations, this.laserAt, width, height);
    const previous = this.shown?.box ?? null;
    if (!box && !previous) return;
    let rgba: Uint8ClampedArray | null = null;
    let screen: RgbaImage | null = null;
    let screenBox: Box | null = null;
    if (box) {
      renderScene(this.pen, annotations, { scale: 1, scrollX: 0, scrollY: 0, width, height }, this.laserAt);
      rgba = this.pen.getImageData(box.x, box.y, box.width, box.height).data;
      // Read what lies beneath before drawing over it: on this connection the read is answered before the draw.
      screenBox = this.coverage.unknownBeneath(rgba, box);
      if (screenBox) screen = await this.readScreen(screenBox);
    }
    const gone = this.coverage.cover(rgba, box, screen, screenBox, previous);
    if (box && rgba) {
      const rects = inkRectangles(rgba, box);
      this.shape.Rectangles(this.shape.Op.Set, this.shape.Kind.Bounding, this.wid, 0, 0, rects);
      this.shown = { box, pixels: this.coverage.compose(rgba, box, this.msbFirst) };
      if (!this.mapped) this.conn.client.MapWindow(this.wid);
      this.mapped = true;
      this.conn.client.RaiseWindow(this.wid);
      this.repaint();
    } else {
      this.conn.client.UnmapWindow(this.wid);
      this.mapped = false;
      this.shown = null;
    }
    await this.conn.sync();
    this.coverage.retired(gone, performance.now());
  }

  private async readScreen(box: Box): Promise<RgbaImage> {
    const reply = await this.conn.call<{ data: Buffer }>((cb) =>
      this.conn.client.GetImage(
        Z_PIXMAP,
        this.conn.root,
        box.x,
        box.y,
        box.width,
        box.height,
        0xffffffff,
        cb,
      ),
    );
    const image: RgbaImage = {
      width: box.width,
      height: box.height,
      data: new Uint8Array(box.width * box.height * 4),
    };
    image.data.set(reply.data.subarray(0, image.data.length));
    zPixmapRowsToRgba(image, 0, box.height, { bitsPerPixel: 32, msbFirst: this.msbFirst });
    return image;
  }

  /** Puts the composed pixels in bands small enough for one request each. */
  private repaint(): void {
    if (!this.shown || !this.mapped) return;
    const { box, pixels } = this.shown;
    const rowBytes = box.width * 4;
    const rowsPerBand = Math.max(1, Math.floor(this.o.putImageBytesMax / rowBytes));
    for (let row = 0; row < box.height; row += rowsPerBand) {
      const rows = Math.min(rowsPerBand, box.height - row);
      const band = pixels.subarray(row * rowBytes, (row + rows) * rowBytes);
      this.conn.client.PutImage(
        Z_PIXMAP,
        this.wid,
        this.gc,
        box.width,
        rows,
        box.x,
        box.y + row,
        0,
        this.depth,
        band,
      );
    }
  }
}
