// Reads full-width row bands of the X root window straight into the frame: via a MIT-SHM segment when it attaches, else GetImage.
import { isMainThread } from "node:worker_threads";
import type { ShmSegment } from "x11";
import type { RgbaImage } from "../../protocol/frame/index.ts";
import type { DisplayConnection } from "../x11/connection.ts";
import type { FrameMemory } from "./frameMemory.ts";
import type { RowBand } from "./rowBands.ts";
import type { ZPixmapLayout } from "./zPixmap.ts";

const Z_PIXMAP = 2;
const ALL_PLANES = 0xffffffff;

export interface PixelReader {
  /** "shm" when pixels come through shared memory, "core" when they travel in GetImage replies. */
  readonly kind: "shm" | "core";
  /** The frame the bands are read into; replaced by `resize`. */
  readonly image: RgbaImage;
  /** Reads the bands (disjoint, inside the screen) into the same rows of `image`. */
  read(bands: readonly RowBand[]): Promise<void>;
  resize(width: number, height: number): Promise<void>;
  close(): Promise<void>;
}

/** Whether this thread may attach a MIT-SHM segment (see `shmReader`). */
export const shmAllowedHere = (): boolean => isMainThread;

/** An opaque black frame in `memory`. */
const blackFrame = (
  memory: FrameMemory,
  width: number,
  height: number,
  data: Uint8Array = memory.allocate(width * height * 4),
): RgbaImage => {
  new Uint32Array(data.buffer, data.byteOffset, width * height).fill(0xff000000);
  return { width, height, data };
};

/** Core GetImage: every pixel crosses the X socket in a reply, then is copied into the frame. */
export const coreReader = (
  conn: DisplayConnection,
  layout: ZPixmapLayout,
  memory: FrameMemory,
  width: number,
  height: number,
): PixelReader => {
  let image: RgbaImage = blackFrame(memory, width, height);
  return {
    kind: "core",
    get image() {
      return image;
    },
    read: async (bands) => {
      const target = image;
      const w = target.width;
      await Promise.all(
        bands.map(async (b) => {
          const reply = await conn.call<{ data: Buffer }>((cb) =>
            conn.client.GetImage(Z_PIXMAP, conn.root, 0, b.y, w, b.height, ALL_PLANES, cb),
          );
          target.data.set(reply.data.subarray(0, w * b.height * 4), b.y * w * 4);
          memory.toRgba(target, b.y, b.y + b.height, layout);
        }),
      );
    },
    resize: async (w, h) => {
      image = blackFrame(memory, w, h);
    },
    close: () => Promise.resolve(),
  };
};

/**
 * MIT-SHM GetImage: the server writes the pixels into a /dev/shm segment handed over with ShmAttachFd (the
 * `x11` package passes the descriptor over the Unix socket) and the client preads them back: pure JavaScript
 * cannot mmap, so one kernel copy remains, but nothing crosses the socket. The frame's pixels *are* the
 * client-side buffer of the segment (allocated in `memory` by the connection's `shmProvider`), and a full-width
 * band sits at the same offset in both, so a band is read in place with no copy at all. Resolves undefined when the
 * server, the connection or the platform cannot do it.
 *
 * Not in worker threads: attaching passes a descriptor that libuv closes behind Node's back, and a worker
 * that tracks its descriptors (the default) later closes that number again when it exits — by then it may
 * belong to another thread's socket, and the process aborts. The main thread does not track descriptors.
 */
export const shmReader = async (
  conn: DisplayConnection,
  layout: ZPixmapLayout,
  memory: FrameMemory,
  width: number,
  height: number,
): Promise<PixelReader | undefined> => {
  if (!shmAllowedHere()) return undefined;
  const shm = await conn.extension("shm");
  if (shm === undefined || !conn.display.isLocalSocket) return undefined;
  const usable = await conn.call<boolean>((cb) => shm.usable(cb)).catch(() => false);
  if (!usable) return undefined;
  const attach = (w: number, h: number) => conn.call<ShmSegment>((cb) => shm.createSegment(w * h * 4, cb));
  const detach = (s: ShmSegment) => new Promise<void>((resolve) => s.detach(() => resolve()));
  const frameOver = (s: ShmSegment, w: number, h: number): RgbaImage =>
    blackFrame(memory, w, h, new Uint8Array(s.buffer.buffer, s.buffer.byteOffset, w * h * 4));
  let segment = await attach(width, height).catch(() => undefined);
  if (segment === undefined) return undefined;
  let image = frameOver(segment, width, height);
  return {
    kind: "shm",
    get image() {
      return image;
    },
    read: async (bands) => {
      const seg = segment!;
      const target = image;
      const stride = target.width * 4;
      await Promise.all(
        bands.map((b) =>
          conn
            .call<{ size: number }>((cb) =>
              seg.getImage(conn.root, 0, b.y, target.width, b.height, ALL_PLANES, Z_PIXMAP, b.y * stride, cb),
            )
            .then(() => memory.toRgba(target, b.y, b.y + b.height, layout)),
        ),
      );
    },
    resize: async (w, h) => {
      await detach(segment!);
      segment = await attach(w, h);
      image = frameOver(segment, w, h);
    },
    close: () => detach(segment!),
  };
};
