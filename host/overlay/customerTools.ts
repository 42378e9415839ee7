// The customer's own annotation tools (R-V4): while a pen, highlighter, arrow or laser is picked, the customer's mouse
// draws or points instead of clicking — the pointer is grabbed, its motion and buttons go through the same pointer
// state chart as the agent's viewer — and every stroke becomes an annotation diff for the overlay and the session,
// every laser position a point for both.
import type { XEvent } from "x11";
import { createActor } from "xstate";
import type { Annotation, AnnotationDiff } from "../../protocol/annotations/index.ts";
import { type PointerEmitted, pointerMachine } from "../../viewer/annotations/index.ts";
import { DisplayConnection } from "../x11/connection.ts";

export type CustomerTool = "pen" | "highlighter" | "arrow" | "laser" | "mouse";

export interface CustomerToolsOptions {
  /** Display name such as ":0"; defaults to `$DISPLAY`. */
  readonly display?: string;
  /** Every change the customer makes, to show on the overlay and send to the session. */
  readonly onDiff: (diff: AnnotationDiff) => void;
  /** Where the laser pointer is, while the laser is picked: to show on the overlay and send to the session. */
  readonly onLaser?: (x: number, y: number) => void;
  /** Strokes in progress are sent at most this often; the finished stroke always goes out. */
  readonly previewIntervalMs?: number;
  /** Tells this run's ids apart from an earlier run's, whose removals viewers remember. */
  readonly runId?: string;
}

const BUTTON_PRESS = 0x4;
const BUTTON_RELEASE = 0x8;
const POINTER_MOTION = 0x40;
const GRAB_MODE_ASYNC = 1;
const SHIFT_MASK = 0x1;
const GRAB_SUCCESS = 0;

export class CustomerTools {
  private current: CustomerTool = "mouse";
  private readonly actor = createActor(pointerMachine, { input: { author: "customer", tool: "mouse" } });
  private readonly versions = new Map<string, number>();
  private lastPreviewAt = 0;
  private readonly runId: string;
  private readonly onEvent = (ev: XEvent) => this.pointerEvent(ev);

  private constructor(
    private readonly conn: DisplayConnection,
    private readonly options: CustomerToolsOptions,
  ) {
    this.runId = options.runId ?? Date.now().toString(36);
    this.actor.on("*", (e) => this.emitted(e as PointerEmitted));
    this.actor.start();
    conn.client.on("event", this.onEvent);
  }

  static async open(options: CustomerToolsOptions): Promise<CustomerTools> {
    const conn = await DisplayConnection.open({
      ...(options.display ? { display: options.display } : {}),
      shm: false,
    });
    return new CustomerTools(conn, options);
  }

  get tool(): CustomerTool {
    return this.current;
  }

  /**
   * Picks a tool. A drawing tool grabs the pointer, so strokes never click the applications beneath; "mouse" lets
   * go. Resolves false when another program holds the pointer (the tool stays "mouse").
   */
  async select(tool: CustomerTool): Promise<boolean> {
    if (tool === "mouse") {
      this.conn.client.UngrabPointer(0);
      await this.conn.sync();
    } else if (this.current === "mouse") {
      const status = await this.conn.call<number>((cb) =>
        this.conn.client.GrabPointer(
          this.conn.root,
          0,
          BUTTON_PRESS | BUTTON_RELEASE | POINTER_MOTION,
          GRAB_MODE_ASYNC,
          GRAB_MODE_ASYNC,
          0,
          0,
          0,
          cb,
        ),
      );
      if (status !== GRAB_SUCCESS) return false;
    }
    this.current = tool;
    this.actor.send({ type: "tool.select", tool });
    return true;
  }

  /** Clear all (R-V4): the customer's and the agent's annotations alike, as the agent's F12 does. */
  clear(): void {
    this.options.onDiff({ added: [], updated: [], removed: [], clear: true });
  }

  async close(): Promise<void> {
    this.conn.client.off("event", this.onEvent);
    this.actor.stop();
    if (this.conn.isOpen && this.current !== "mouse") this.conn.client.UngrabPointer(0);
    await this.conn.close();
  }

  private pointerEvent(ev: XEvent): void {
    if (this.current === "mouse") return;
    const e = ev as XEvent & { rootx: number; rooty: number; buttons: number; keycode: number };
    const at = { x: e.rootx, y: e.rooty, shift: (e.buttons & SHIFT_MASK) !== 0 };
    if (ev.name === "MotionNotify") this.actor.send({ type: "pointer.move", ...at });
    else if (ev.name === "ButtonPress" && e.keycode === 1) this.actor.send({ type: "pointer.down", ...at });
    else if (ev.name === "ButtonRelease" && e.keycode === 1) this.actor.send({ type: "pointer.up", ...at });
  }

  /**
   * The state chart numbers strokes `customer-<n>` and stamps every preview version 0; on the wire each change must
   * carry a newer version than the last, and ids must not collide with an earlier run's.
   */
  private emitted(e: PointerEmitted): void {
    if (e.type === "laser.at") return this.options.onLaser?.(e.x, e.y);
    if (e.type !== "annotation.preview" && e.type !== "annotation.commit") return;
    const now = performance.now();
    if (e.type === "annotation.preview" && now - this.lastPreviewAt < (this.options.previewIntervalMs ?? 40))
      return;
    this.lastPreviewAt = now;
    const id = `customer-${this.runId}-${e.annotation.id.slice("customer-".length)}`;
    const version = (this.versions.get(id) ?? 0) + 1;
    const first = !this.versions.has(id);
    this.versions.set(id, version);
    if (e.type === "annotation.commit") this.versions.delete(id);
    const annotation: Annotation = { ...e.annotation, id, version };
    this.options.onDiff({
      added: first ? [annotation] : [],
      updated: first ? [] : [annotation],
      removed: [],
    });
  }
}
