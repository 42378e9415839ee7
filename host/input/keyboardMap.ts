// Maps keysyms to keycodes (and whether Shift is needed) from the X server's keyboard mapping, borrowing a spare keycode for any other keysym.
import type { DisplayConnection } from "../x11/connection.ts";
import type { Keysym } from "./remoteInput.ts";

export interface KeyStroke {
  readonly keycode: number;
  /** The keysym is on the shifted level of its key. */
  readonly shift: boolean;
}

export const SHIFT_L: Keysym = 0xffe1;

export class KeyboardMap {
  private readonly strokes = new Map<Keysym, KeyStroke>();
  private readonly spare: number[] = [];
  private borrowed = 0;

  private constructor(
    private readonly conn: DisplayConnection,
    private readonly rows: number[][],
    private readonly minKeycode: number,
  ) {
    // Unshifted levels first, so "a" maps to its own key and never to a shifted level somewhere else.
    for (const column of [0, 1]) {
      rows.forEach((row, i) => {
        const keysym = row[column];
        if (keysym && !this.strokes.has(keysym))
          this.strokes.set(keysym, { keycode: minKeycode + i, shift: column === 1 });
      });
    }
    rows.forEach((row, i) => {
      if (row.every((k) => k === 0)) this.spare.push(minKeycode + i);
    });
  }

  static async load(conn: DisplayConnection): Promise<KeyboardMap> {
    const { min_keycode: min, max_keycode: max } = conn.display;
    const rows = await conn.call<number[][]>((cb) => conn.client.GetKeyboardMapping(min, max - min + 1, cb));
    return new KeyboardMap(conn, rows, min);
  }

  /**
   * The key that types `keysym`. A keysym the layout lacks (an accented letter on a US layout, say) is put on a
   * spare keycode with ChangeKeyboardMapping, as xdotool does; spares are reused round-robin.
   */
  async stroke(keysym: Keysym): Promise<KeyStroke | undefined> {
    const known = this.strokes.get(keysym);
    if (known !== undefined) return known;
    if (this.spare.length === 0) return undefined;
    const keycode = this.spare[this.borrowed++ % this.spare.length]!;
    for (const [k, s] of this.strokes) if (s.keycode === keycode) this.strokes.delete(k);
    const width = this.rows[0]?.length ?? 2;
    const row = Array.from({ length: width }, (_, i) => (i < 2 ? keysym : 0));
    this.conn.client.ChangeKeyboardMapping(keycode, width, row);
    this.rows[keycode - this.minKeycode] = row;
    await this.conn.sync();
    const stroke = { keycode, shift: false };
    this.strokes.set(keysym, stroke);
    return stroke;
  }
}
