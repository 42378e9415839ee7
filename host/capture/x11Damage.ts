// Follows the X DAMAGE extension on the root window, so that a grab reads only the tiles that changed.
import type { DamageExtension, XEvent } from "x11";
import type { Rect } from "../../protocol/frame/index.ts";
import type { DisplayConnection } from "../x11/connection.ts";
import { DirtyTiles } from "./dirtyTiles.ts";

interface DamageArea {
  x: number;
  y: number;
  w: number;
  h: number;
}

export class DamageWatch {
  private readonly tiles: DirtyTiles;
  private readonly onEvent = (ev: XEvent) => {
    if (ev.name !== "DamageNotify" || ev.damage !== this.id) return;
    const a = ev.area as DamageArea;
    this.tiles.add({ x: a.x, y: a.y, width: a.w, height: a.h });
  };

  private constructor(
    private readonly conn: DisplayConnection,
    private readonly ext: DamageExtension,
    private readonly id: number,
    width: number,
    height: number,
  ) {
    this.tiles = new DirtyTiles(width, height);
    conn.client.on("event", this.onEvent);
  }

  /** Starts watching, or resolves undefined when the server has no DAMAGE. */
  static async start(
    conn: DisplayConnection,
    width: number,
    height: number,
  ): Promise<DamageWatch | undefined> {
    const ext = await conn.extension("damage");
    if (ext === undefined) return undefined;
    const id = conn.client.AllocID();
    // DeltaRectangles: one event per area that was not damaged yet; Subtract in `collect` re-arms them.
    ext.Create(id, conn.root, ext.ReportLevel.DeltaRectangles);
    await conn.sync();
    return new DamageWatch(conn, ext, id, width, height);
  }

  /**
   * What changed since the last call, as tile-aligned rectangles. The round trip first makes sure every
   * event for drawing done before this call has arrived; the Subtract then goes out ahead of the caller's
   * reads, so damage that lands after it is reported again next time and nothing is missed.
   */
  async collect(): Promise<Rect[]> {
    await this.conn.sync();
    const rects = this.tiles.take();
    this.ext.Subtract(this.id, 0, 0);
    return rects;
  }

  resize(width: number, height: number): void {
    this.tiles.resize(width, height);
  }

  close(): void {
    this.conn.client.off("event", this.onEvent);
    if (this.conn.isOpen) this.ext.Destroy(this.id);
  }
}
