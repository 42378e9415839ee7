// The remote input an agent sends when shared control is granted, and the sink that applies it to the customer's screen.

/** X keysyms (e.g. 0x61 "a", 0xff0d Return, 0xffe1 Shift_L); the viewer maps browser keys to them. */
export type Keysym = number;

export type RemoteInputEvent =
  /** Absolute position on the captured screen, in its pixels (all monitors together). */
  | { readonly type: "pointer.move"; readonly x: number; readonly y: number }
  /** Button 1 left, 2 middle, 3 right, 4/5 wheel up/down, 6/7 wheel left/right. */
  | { readonly type: "pointer.button"; readonly button: number; readonly down: boolean }
  | { readonly type: "key"; readonly keysym: Keysym; readonly down: boolean };

export interface InputSink {
  apply(event: RemoteInputEvent): Promise<void>;
  /** Lets go of every button and key this sink holds down, so control never ends with one stuck. */
  releaseAll(): Promise<void>;
  close(): Promise<void>;
}
