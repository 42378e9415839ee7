// The one interface every screen source implements (X11, synthetic, recorded), in the encoders' RGBA format.
import type { Rect, RgbaImage } from "../../protocol/frame/index.ts";

/** One physical monitor: its place and size inside the captured screen, in pixels. */
export interface Monitor {
  readonly id: number;
  readonly name: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly primary: boolean;
}

export interface CapturedFrame {
  /**
   * The whole screen, RGBA, opaque. Owned by the source and overwritten by the next grab (a capture loop
   * reuses one buffer): clone it with `cloneImage` to keep it.
   */
  readonly image: RgbaImage;
  /** Counts grabs from 0. */
  readonly seq: number;
  /**
   * What changed since the previous grab, when the source knows (X11 DAMAGE): an empty list means nothing
   * did. Undefined means unknown, and the encoder compares every tile.
   */
  readonly dirty: readonly Rect[] | undefined;
}

/** The mouse pointer: where it is, and its cursor picture (straight-alpha RGBA), identified by `serial`. */
export interface PointerCursor {
  readonly x: number;
  readonly y: number;
  /** Changes whenever the cursor picture does (the X server's cursor serial). */
  readonly serial: number;
  readonly width: number;
  readonly height: number;
  readonly hotX: number;
  readonly hotY: number;
  readonly rgba: Uint8Array;
}

export interface CaptureSource {
  readonly width: number;
  readonly height: number;
  /** The monitors that make up the screen (at least one). */
  monitors(): Promise<readonly Monitor[]>;
  grab(): Promise<CapturedFrame>;
  /**
   * The pointer and its cursor, for sources that see one (X11 with XFIXES); the picture itself never contains it,
   * so the viewer draws it over the screen.
   */
  cursor?(): Promise<PointerCursor | undefined>;
  /** Releases the connection, shared memory or files; grabbing after close is an error. */
  close(): Promise<void>;
}

/** The whole screen as one monitor, for sources that have no monitor layout of their own. */
export const singleMonitor = (width: number, height: number): Monitor[] => [
  { id: 0, name: "screen", x: 0, y: 0, width, height, primary: true },
];
