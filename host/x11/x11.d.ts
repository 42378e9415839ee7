// Type declarations for the subset of the `x11` package (a pure-JavaScript X11 client, shipped without types) that the host uses.
declare module "x11" {
  export interface XError extends Error {
    error: number;
    seq: number;
    badParam?: number;
    majorOpcode?: number;
    minorOpcode?: number;
  }

  /** Reply callbacks may return true to mark an error handled (not re-emitted on the client). */
  export type Callback<T> = (err: XError | null, value: T) => unknown;
  export type VoidCallback = (err: XError | null) => unknown;

  export interface XScreen {
    root: number;
    root_depth: number;
    root_visual: number;
    pixel_width: number;
    pixel_height: number;
    white_pixel: number;
    black_pixel: number;
    default_colormap: number;
  }

  export interface XDisplay {
    client: XClient;
    screen: XScreen[];
    min_keycode: number;
    max_keycode: number;
    /** 0 LSBFirst, 1 MSBFirst: the order of pixel bytes in GetImage replies. */
    image_byte_order: number;
    format: Record<string, { bits_per_pixel: number; scanline_pad: number }>;
    isLocalSocket: boolean;
    vendor: string;
  }

  export interface XEvent {
    name: string;
    type: number;
    seq: number;
    [field: string]: unknown;
  }

  export interface WindowValues {
    backgroundPixel?: number;
    borderPixel?: number;
    overrideRedirect?: boolean | number;
    eventMask?: number;
  }

  export interface QueryPointerReply {
    sameScreen: boolean;
    root: number;
    child: number;
    rootX: number;
    rootY: number;
    childX: number;
    childY: number;
    keyMask: number;
  }

  export interface GetImageReply {
    depth: number;
    visualId: number;
    data: Buffer;
  }

  export interface GeometryReply {
    windowid: number;
    xPos: number;
    yPos: number;
    width: number;
    height: number;
    borderWidth: number;
    depth: number;
  }

  export interface XClient {
    AllocID(): number;
    ReleaseID(id: number): void;
    require(name: "shm", cb: Callback<ShmExtension>): void;
    require(name: "damage", cb: Callback<DamageExtension>): void;
    require(name: "randr", cb: Callback<RandrExtension>): void;
    require(name: "xinerama", cb: Callback<XineramaExtension>): void;
    require(name: "xtest", cb: Callback<XTestExtension>): void;
    require(name: "shape", cb: Callback<ShapeExtension>): void;
    require(name: "fixes", cb: Callback<FixesExtension>): void;
    on(event: "event", listener: (ev: XEvent) => void): this;
    on(event: "error", listener: (err: XError) => void): this;
    on(event: "end" | "close", listener: () => void): this;
    off(event: string, listener: (...args: never[]) => void): this;
    sync(cb: VoidCallback): void;
    sync(): Promise<void>;
    close(cb?: () => void): void;
    terminate(): void;

    GetImage(
      format: number,
      drawable: number,
      x: number,
      y: number,
      width: number,
      height: number,
      planeMask: number,
      cb: Callback<GetImageReply>,
    ): void;
    GetGeometry(drawable: number, cb: Callback<GeometryReply>): void;
    QueryPointer(wid: number, cb: Callback<QueryPointerReply>): void;
    WarpPointer(
      srcWin: number,
      dstWin: number,
      srcX: number,
      srcY: number,
      srcWidth: number,
      srcHeight: number,
      dstX: number,
      dstY: number,
    ): void;
    GetKeyboardMapping(startCode: number, count: number, cb: Callback<number[][]>): void;
    ChangeKeyboardMapping(firstKeycode: number, keysymsPerKeycode: number, keysyms: number[]): void;
    CreateWindow(
      wid: number,
      parent: number,
      x: number,
      y: number,
      width: number,
      height: number,
      borderWidth?: number,
      depth?: number,
      klass?: number,
      visual?: number,
      values?: WindowValues,
    ): void;
    ChangeWindowAttributes(wid: number, values: WindowValues, cb?: VoidCallback): void;
    MapWindow(wid: number): void;
    UnmapWindow(wid: number): void;
    CreateGC(gc: number, drawable: number, values: Record<string, number>): void;
    FreeGC(gc: number): void;
    /** format 2 = ZPixmap; `data` holds `height` rows padded to the format's scanline pad. */
    PutImage(
      format: number,
      drawable: number,
      gc: number,
      width: number,
      height: number,
      dstX: number,
      dstY: number,
      leftPad: number,
      depth: number,
      data: Buffer,
    ): void;
    /** Resolves with the grab status: 0 Success, 1 AlreadyGrabbed, 2 InvalidTime, 3 NotViewable, 4 Frozen. */
    GrabPointer(
      wid: number,
      ownerEvents: number,
      mask: number,
      pointerMode: number,
      keyboardMode: number,
      confineTo: number,
      cursor: number,
      time: number,
      cb: Callback<number>,
    ): void;
    UngrabPointer(time: number): void;
    RaiseWindow(wid: number): void;
    DestroyWindow(wid: number): void;
    ClearArea(wid: number, x: number, y: number, width: number, height: number, exposures: number): void;
    SetInputFocus(wid: number, revertTo: number): void;
  }

  export interface ShmSegment {
    shmseg: number;
    size: number;
    buffer: Buffer;
    readback(offset?: number, length?: number): void;
    getImage(
      drawable: number,
      x: number,
      y: number,
      width: number,
      height: number,
      planeMask: number,
      format: number | undefined,
      offset: number,
      cb: Callback<{ depth: number; visual: number; size: number }>,
    ): void;
    detach(cb?: () => void): void;
  }

  export interface ShmExtension {
    major: number;
    minor: number;
    fdCapable: boolean;
    usable(cb: Callback<boolean>): void;
    createSegment(size: number, cb: Callback<ShmSegment>): void;
    GetImage(
      drawable: number,
      x: number,
      y: number,
      width: number,
      height: number,
      planeMask: number,
      format: number,
      shmseg: number,
      offset: number,
      cb: Callback<{ depth: number; visual: number; size: number }>,
    ): void;
  }

  /** XFIXES GetCursorImage: the pointer's position and its cursor, ARGB32 premultiplied, little-endian words. */
  export interface CursorImageReply {
    x: number;
    y: number;
    width: number;
    height: number;
    xhot: number;
    yhot: number;
    cursorSerial: number;
    cursorImage: Buffer;
  }

  export interface FixesExtension {
    QueryVersion(major: number, minor: number, cb: Callback<[number, number]>): void;
    GetCursorImage(cb: Callback<CursorImageReply>): void;
  }

  export interface DamageExtension {
    major: number;
    minor: number;
    ReportLevel: { RawRectangles: 0; DeltaRectangles: 1; BoundingBox: 2; NonEmpty: 3 };
    Create(damage: number, drawable: number, reportLevel: number): void;
    Destroy(damage: number): void;
    Subtract(damage: number, repair: number, parts: number): void;
  }

  export interface RandrScreenResources {
    crtcs: number[];
    outputs: number[];
  }

  export interface RandrCrtcInfo {
    status: number;
    x: number;
    y: number;
    width: number;
    height: number;
    mode: number;
    output: number[];
  }

  export interface RandrOutputInfo {
    crtc: number;
    connection: number;
    name: string;
  }

  export interface RandrExtension {
    major_version: number;
    minor_version: number;
    QueryVersion(major: number, minor: number, cb: Callback<[number, number]>): void;
    GetScreenResourcesCurrent(win: number, cb: Callback<RandrScreenResources>): void;
    GetCrtcInfo(crtc: number, configTimestamp: number, cb: Callback<RandrCrtcInfo>): void;
    GetOutputInfo(output: number, configTimestamp: number, cb: Callback<RandrOutputInfo>): void;
    GetOutputPrimary(win: number, cb: Callback<number>): void;
  }

  export interface XineramaExtension {
    IsActive(cb: Callback<number>): void;
    QueryScreens(cb: Callback<{ x: number; y: number; width: number; height: number }[]>): void;
  }

  export interface XTestExtension {
    KeyPress: 2;
    KeyRelease: 3;
    ButtonPress: 4;
    ButtonRelease: 5;
    MotionNotify: 6;
    FakeInput(type: number, detail: number, time: number, wid: number, x: number, y: number): void;
  }

  /** SHAPE (X Nonrectangular Window Shape Extension): bounding and input regions of a window. */
  export interface ShapeExtension {
    majorOpcode: number;
    Kind: { Bounding: 0; Clip: 1; Input: 2 };
    Op: { Set: 0; Union: 1; Intersect: 2; Subtract: 3; Invert: 4 };
    Ordering: { Unsorted: 0; YSorted: 1; YXSorted: 2; YXBanded: 3 };
    QueryVersion(cb: Callback<[number, number]>): void;
    /** Rectangles as [x, y, width, height], relative to (x, y) in the window. */
    Rectangles(
      op: number,
      kind: number,
      window: number,
      x: number,
      y: number,
      rectangles: ReadonlyArray<readonly [number, number, number, number]>,
      ordering?: number,
    ): void;
    GetRectangles(
      window: number,
      kind: number,
      cb: Callback<{ ordering: number; rectangles: [number, number, number, number][] }>,
    ): void;
  }

  /** What the MIT-SHM extension reads and writes a segment through (lib/shm-provider.js has the contract). */
  export interface ShmProviderSegment {
    size: number;
    fd: number | null;
    buffer: Buffer;
  }

  export interface ShmProvider {
    flavor: "fd";
    zeroCopy: boolean;
    create(size: number): ShmProviderSegment;
    commit(seg: ShmProviderSegment, offset?: number, length?: number): void;
    sync(seg: ShmProviderSegment, offset?: number, length?: number): void;
    destroy(seg: ShmProviderSegment): void;
  }

  export interface ClientOptions {
    display?: string;
    shm?: false | "off" | ShmProvider;
    bufferRequests?: boolean;
  }

  export function createClient(
    options: ClientOptions,
    cb: (err: Error | null, display: XDisplay) => void,
  ): XClient & { on(event: "error", listener: (err: Error) => void): unknown };

  export const eventMask: Record<string, number>;

  const x11: {
    createClient: typeof createClient;
    eventMask: typeof eventMask;
  };
  export default x11;
}
