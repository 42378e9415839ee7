// The pointer through XFIXES: X servers keep the cursor out of the framebuffer (GetImage and SHM never see it), so the
// host reads it on its own — position, hot spot and picture — and the viewer draws it over the screen.
import type { CursorImageReply } from "x11";
import type { DisplayConnection } from "../x11/connection.ts";
import type { PointerCursor } from "./captureSource.ts";

export class X11Cursor {
  private constructor(private readonly conn: DisplayConnection) {}

  /** Undefined where the server has no XFIXES 4 (GetCursorImage): sharing goes on without a cursor. */
  static async start(conn: DisplayConnection): Promise<X11Cursor | undefined> {
    const ext = await conn.extension("fixes");
    if (ext === undefined) return undefined;
    // The protocol requires a client to state its version before any other XFIXES request.
    const [major] = await conn.call<[number, number]>((cb) => ext.QueryVersion(5, 0, cb)).catch(() => [0, 0]);
    return major >= 4 ? new X11Cursor(conn) : undefined;
  }

  async read(): Promise<PointerCursor | undefined> {
    const ext = await this.conn.extension("fixes");
    if (ext === undefined || !this.conn.isOpen) return undefined;
    const r = await this.conn.call<CursorImageReply>((cb) => ext.GetCursorImage(cb)).catch(() => undefined);
    if (r === undefined) return undefined;
    return {
      x: r.x,
      y: r.y,
      serial: r.cursorSerial,
      width: r.width,
      height: r.height,
      hotX: r.xhot,
      hotY: r.yhot,
      rgba: straightRgba(r.cursorImage, r.width * r.height),
    };
  }
}

/** Premultiplied ARGB32 words (B, G, R, A in memory) to straight-alpha RGBA bytes. */
export const straightRgba = (argb: Uint8Array, pixels: number): Uint8Array => {
  const out = new Uint8Array(pixels * 4);
  for (let i = 0; i < pixels * 4; i += 4) {
    const a = argb[i + 3]!;
    const un = (c: number) => (a === 0 ? 0 : Math.min(255, Math.round((c * 255) / a)));
    out[i] = un(argb[i + 2]!);
    out[i + 1] = un(argb[i + 1]!);
    out[i + 2] = un(argb[i]!);
    out[i + 3] = a;
  }
  return out;
};
