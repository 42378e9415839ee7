// Browser key names (KeyboardEvent.key) to X keysyms, for remote keyboard input under shared control (R-S8).
import type { Keysym } from "../input/index.ts";

const named: Record<string, Keysym> = {
  Enter: 0xff0d,
  Backspace: 0xff08,
  Tab: 0xff09,
  Escape: 0xff1b,
  Delete: 0xffff,
  Insert: 0xff63,
  Home: 0xff50,
  End: 0xff57,
  PageUp: 0xff55,
  PageDown: 0xff56,
  ArrowLeft: 0xff51,
  ArrowUp: 0xff52,
  ArrowRight: 0xff53,
  ArrowDown: 0xff54,
  Shift: 0xffe1,
  Control: 0xffe3,
  Alt: 0xffe9,
  AltGraph: 0xfe03,
  Meta: 0xffeb,
  CapsLock: 0xffe5,
  " ": 0x20,
};

/** The keysym for a key, or null for keys that have none here (dead keys, media keys). */
export function keysymOf(key: string): Keysym | null {
  if (key in named) return named[key]!;
  const f = /^F([1-9]|1[0-2])$/.exec(key);
  if (f) return 0xffbe + Number(f[1]) - 1;
  const code = key.codePointAt(0)!;
  if ([...key].length !== 1) return null;
  // Latin-1 keysyms equal their code points; other Unicode characters use 0x01000000 + code point.
  return code < 0x100 ? code : 0x01000000 + code;
}
