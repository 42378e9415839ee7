// Captures the real X11 screen (the root window) through the pure-JavaScript `x11` client: MIT-SHM reads, DAMAGE hints.
import type { XEvent } from "x11";
import type { Rect } from "../../protocol/frame/index.ts";
import { DisplayConnection } from "../x11/connection.ts";
import type { CapturedFrame, CaptureSource, Monitor, PointerCursor } from "./captureSource.ts";
import { type FrameMemory, plainFrameMemory } from "./frameMemory.ts";
import { rowBands } from "./rowBands.ts";
import { shmProvider } from "./shmProvider.ts";
import { CaptureKernels } from "./wasm/captureKernels.ts";
import { X11Cursor } from "./x11Cursor.ts";
import { DamageWatch } from "./x11Damage.ts";
import { queryMonitors } from "./x11Monitors.ts";
import { coreReader, type PixelReader, shmAllowedHere, shmReader } from "./x11PixelReader.ts";
import { assertSupportedLayout, type ZPixmapLayout } from "./zPixmap.ts";

export interface X11SourceOptions {
  /** Display name such as ":0"; defaults to `$DISPLAY`. */
  readonly display?: string;
  /**
   * Read pixels through a MIT-SHM segment when the server and the connection allow it (local displays, and
   * the main thread only: see `shmReader`).
   */
  readonly useShm?: boolean;
  /** Read only the tiles that DAMAGE reports as changed since the previous grab (the whole screen otherwise). */
  readonly useDamage?: boolean;
  /** Read the pointer and its cursor through XFIXES (`cursor()`). */
  readonly useCursor?: boolean;
  /** Turn X's pixels into RGBA with the WebAssembly kernels where they build (`wasm/captureKernels.ts`). */
  readonly useKernels?: boolean;
}

export const defaultX11SourceOptions = {
  useShm: true,
  useDamage: true,
  useCursor: true,
  useKernels: true,
} as const satisfies X11SourceOptions;

let kernels: Promise<FrameMemory> | undefined;

/** The kernels, loaded once per process; the TS loop, with a word on stderr, where they cannot be. */
const kernelFrameMemory = (): Promise<FrameMemory> => {
  kernels ??= CaptureKernels.load().then((loaded) => {
    if (loaded.kernels !== undefined) return loaded.kernels;
    console.error(
      `capture: WebAssembly kernels unavailable (${loaded.reason}); converting pixels in JavaScript`,
    );
    return plainFrameMemory;
  });
  return kernels;
};

const STRUCTURE_NOTIFY = 0x00020000;

export class X11Source implements CaptureSource {
  private seq = 0;
  private fullGrabDue = true;
  private pendingSize: { width: number; height: number } | undefined;
  private inFlight: Promise<CapturedFrame> | undefined;
  private closed = false;
  private readonly onEvent = (ev: XEvent) => {
    if (ev.name !== "ConfigureNotify" || ev.wid1 !== this.conn.root) return;
    const { width, height } = ev as unknown as { width: number; height: number };
    if (width !== this.width || height !== this.height) this.pendingSize = { width, height };
  };

  private constructor(
    private readonly conn: DisplayConnection,
    private readonly reader: PixelReader,
    private readonly damage: DamageWatch | undefined,
    private readonly pointer: X11Cursor | undefined,
    /** "wasm" when the WebAssembly kernels turn the pixels into RGBA, "ts" when the TS loop does. */
    readonly pixelKernels: "wasm" | "ts",
  ) {
    conn.client.on("event", this.onEvent);
    conn.client.ChangeWindowAttributes(conn.root, { eventMask: STRUCTURE_NOTIFY });
  }

  static async open(options: X11SourceOptions = {}): Promise<X11Source> {
    const o = { ...defaultX11SourceOptions, ...options };
    const useShm = o.useShm && shmAllowedHere();
    const memory = o.useKernels ? await kernelFrameMemory() : plainFrameMemory;
    const conn = await DisplayConnection.open({
      ...(o.display ? { display: o.display } : {}),
      shm: useShm && shmProvider(memory),
    });
    try {
      const screen = conn.display.screen[0]!;
      const layout: ZPixmapLayout = {
        bitsPerPixel: conn.display.format[String(screen.root_depth)]?.bits_per_pixel ?? 0,
        msbFirst: conn.display.image_byte_order === 1,
      };
      assertSupportedLayout(layout, screen.root_depth);
      const { pixel_width: width, pixel_height: height } = screen;
      const shm = useShm ? await shmReader(conn, layout, memory, width, height) : undefined;
      const damage = o.useDamage ? await DamageWatch.start(conn, width, height) : undefined;
      const pointer = o.useCursor ? await X11Cursor.start(conn) : undefined;
      const reader = shm ?? coreReader(conn, layout, memory, width, height);
      return new X11Source(conn, reader, damage, pointer, memory === plainFrameMemory ? "ts" : "wasm");
    } catch (err) {
      await conn.close();
      throw err;
    }
  }

  get width(): number {
    return this.reader.image.width;
  }

  get height(): number {
    return this.reader.image.height;
  }

  /** "shm" when pixels come through shared memory, "core" when they cross the X socket. */
  get readPath(): "shm" | "core" {
    return this.reader.kind;
  }

  /** Whether grabs read only what DAMAGE reported. */
  get tracksDamage(): boolean {
    return this.damage !== undefined;
  }

  get displayName(): string {
    return this.conn.name;
  }

  monitors(): Promise<readonly Monitor[]> {
    return queryMonitors(this.conn, this.width, this.height);
  }

  /** Grabs are serialised: a second call waits for the first, as both write the same buffer. */
  grab(): Promise<CapturedFrame> {
    if (this.closed) return Promise.reject(new Error("X11Source is closed"));
    const previous = this.inFlight ?? Promise.resolve(undefined);
    const next = previous.then(
      () => this.grabNow(),
      () => this.grabNow(),
    );
    this.inFlight = next;
    return next;
  }

  cursor(): Promise<PointerCursor | undefined> {
    return this.closed || this.pointer === undefined ? Promise.resolve(undefined) : this.pointer.read();
  }

  /** The next grab reads the whole screen, whatever DAMAGE says. */
  requestFullGrab(): void {
    this.fullGrabDue = true;
  }

  private async grabNow(): Promise<CapturedFrame> {
    if (this.pendingSize !== undefined) await this.resize(this.pendingSize);
    const whole: Rect = { x: 0, y: 0, width: this.width, height: this.height };
    const full = this.fullGrabDue || this.damage === undefined;
    this.fullGrabDue = false;
    // Collect even for a full read: it re-arms DAMAGE so the next grab knows what changed after this one.
    const damaged = this.damage ? await this.damage.collect() : [];
    const rects = full ? [whole] : damaged;
    if (rects.length > 0) await this.reader.read(rowBands(rects));
    return { image: this.reader.image, seq: this.seq++, dirty: full ? undefined : rects };
  }

  private async resize(size: { width: number; height: number }): Promise<void> {
    this.pendingSize = undefined;
    await this.reader.resize(size.width, size.height);
    this.damage?.resize(size.width, size.height);
    this.fullGrabDue = true;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.inFlight?.catch(() => undefined);
    this.conn.client.off("event", this.onEvent);
    this.damage?.close();
    await this.reader.close();
    await this.conn.close();
  }
}
