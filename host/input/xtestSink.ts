// Applies remote input to the X server through XTEST fake input: pointer motion, buttons and keys.
import type { XTestExtension } from "x11";
import type { DisplayConnection } from "../x11/connection.ts";
import { KeyboardMap, SHIFT_L } from "./keyboardMap.ts";
import { PointerLedger } from "./pointerLedger.ts";
import type { InputSink, RemoteInputEvent } from "./remoteInput.ts";

const NO_DELAY = 0;

export class XTestSink implements InputSink {
  readonly pointer: PointerLedger;
  private readonly buttons = new Set<number>();
  private readonly keycodes = new Set<number>();

  private constructor(
    private readonly conn: DisplayConnection,
    private readonly xtest: XTestExtension,
    private keyboard: KeyboardMap,
    pointer: PointerLedger,
  ) {
    this.pointer = pointer;
    conn.client.on("event", (ev) => {
      if (ev.name === "MappingNotify") void this.reloadKeyboard();
    });
  }

  /** Fails when the server has no XTEST. The ledger is shared with the local-pointer watch. */
  static async open(conn: DisplayConnection, pointer = new PointerLedger()): Promise<XTestSink> {
    const xtest = await conn.extension("xtest");
    if (xtest === undefined) throw new Error(`the X server on ${conn.name} has no XTEST extension`);
    return new XTestSink(conn, xtest, await KeyboardMap.load(conn), pointer);
  }

  async apply(event: RemoteInputEvent): Promise<void> {
    switch (event.type) {
      case "pointer.move":
        return this.move(event.x, event.y);
      case "pointer.button":
        return this.button(event.button, event.down);
      case "key":
        return this.key(event.keysym, event.down);
    }
  }

  async releaseAll(): Promise<void> {
    for (const b of this.buttons) this.fake(this.xtest.ButtonRelease, b);
    for (const k of this.keycodes) this.fake(this.xtest.KeyRelease, k);
    this.buttons.clear();
    this.keycodes.clear();
    await this.conn.sync();
  }

  async close(): Promise<void> {
    if (this.conn.isOpen) await this.releaseAll();
  }

  /** Clamped to the screen: the server clamps anyway, and the ledger must hold where the pointer really is. */
  private async move(x: number, y: number): Promise<void> {
    const screen = this.conn.display.screen[0]!;
    const point = {
      x: Math.max(0, Math.min(screen.pixel_width - 1, Math.round(x))),
      y: Math.max(0, Math.min(screen.pixel_height - 1, Math.round(y))),
    };
    this.xtest.FakeInput(this.xtest.MotionNotify, 0, NO_DELAY, this.conn.root, point.x, point.y);
    this.pointer.injected(point);
  }

  private async button(button: number, down: boolean): Promise<void> {
    if (!Number.isInteger(button) || button < 1 || button > 255)
      throw new RangeError(`no pointer button ${button}`);
    if (down === this.buttons.has(button)) return; // a repeated press or a release of a button we never pressed
    this.fake(down ? this.xtest.ButtonPress : this.xtest.ButtonRelease, button);
    if (down) this.buttons.add(button);
    else this.buttons.delete(button);
  }

  /** A shifted keysym ("A", "!") gets Shift around its press unless a Shift is already held. */
  private async key(keysym: number, down: boolean): Promise<void> {
    const stroke = await this.keyboard.stroke(keysym);
    if (stroke === undefined) throw new RangeError(`no key types keysym 0x${keysym.toString(16)}`);
    if (!down) {
      if (this.keycodes.delete(stroke.keycode)) this.fake(this.xtest.KeyRelease, stroke.keycode);
      return;
    }
    const shift = stroke.shift ? await this.keyboard.stroke(SHIFT_L) : undefined;
    const addShift = shift !== undefined && !this.keycodes.has(shift.keycode);
    if (addShift) this.fake(this.xtest.KeyPress, shift.keycode);
    this.fake(this.xtest.KeyPress, stroke.keycode);
    this.keycodes.add(stroke.keycode);
    if (addShift) this.fake(this.xtest.KeyRelease, shift.keycode);
  }

  private fake(type: number, detail: number): void {
    this.xtest.FakeInput(type, detail, NO_DELAY, 0, 0, 0);
  }

  private async reloadKeyboard(): Promise<void> {
    this.keyboard = await KeyboardMap.load(this.conn).catch(() => this.keyboard);
  }
}
