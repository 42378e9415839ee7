// Turns the screen channel's input messages into the host's remote input events: absolute pointer moves, button
// presses and releases from the buttons mask, and keys as keysyms.
import type { RemoteInputEvent } from "../input/index.ts";
import { keysymOf } from "./keysyms.ts";

/** Screen-channel button mask bits → X buttons (1 left, 3 right, 2 middle). */
const buttonBits: Array<[bit: number, xButton: number]> = [
  [1, 1],
  [2, 3],
  [4, 2],
];

export class InputBridge {
  private buttons = 0;

  pointer(x: number, y: number, buttons: number): RemoteInputEvent[] {
    const events: RemoteInputEvent[] = [{ type: "pointer.move", x, y }];
    for (const [bit, button] of buttonBits) {
      const was = (this.buttons & bit) !== 0;
      const now = (buttons & bit) !== 0;
      if (was !== now) events.push({ type: "pointer.button", button, down: now });
    }
    this.buttons = buttons;
    return events;
  }

  key(key: string, down: boolean): RemoteInputEvent[] {
    const keysym = keysymOf(key);
    return keysym === null ? [] : [{ type: "key", keysym, down }];
  }

  /** Control ended: forget held buttons (the sink releases them). */
  reset(): void {
    this.buttons = 0;
  }
}
