// R-V6 "forward system keys": under shared control, with the shared screen in full screen, the Keyboard Lock API
// (Chromium, and only in full screen) hands the page the keys the browser or the system would otherwise keep — Esc,
// Alt+Tab, the Windows key, Ctrl+W — and they go to the customer's machine like any other key.
import type { ViewerMessage } from "../../../protocol/screen/index.ts";

/** `navigator.keyboard`, which TypeScript's DOM types do not describe yet. */
interface KeyboardLock {
  lock(keys?: string[]): Promise<void>;
  unlock(): void;
}

const keyboardLock = (): KeyboardLock | undefined =>
  (navigator as Navigator & { keyboard?: KeyboardLock }).keyboard;

export interface SystemKeysOptions {
  /** The agent's preference. */
  enabled: () => boolean;
  /** Shared control is granted now. */
  inControl: () => boolean;
  /** The element keys are typed on (it forwards them itself), or null while no screen is shown. */
  screen: () => HTMLElement | null;
  send: (m: ViewerMessage) => void;
}

/**
 * The keyboard is the customer's when the preference is on, control is granted and the full-screen element holds the
 * shared screen — whichever element was made full screen (the panel, its stage, the screen itself).
 */
export function systemKeysWanted(o: {
  enabled: boolean;
  inControl: boolean;
  fullScreen: Element | null;
  screen: Element | null;
}): boolean {
  const { fullScreen, screen } = o;
  if (!o.enabled || !o.inControl || !fullScreen || !screen) return false;
  return fullScreen.contains(screen) || screen.contains(fullScreen);
}

const editable = (target: EventTarget | null): boolean =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));

export class SystemKeys {
  private active = false;

  constructor(private readonly o: SystemKeysOptions) {
    document.addEventListener("fullscreenchange", this.update);
    document.addEventListener("keydown", this.onKey);
    document.addEventListener("keyup", this.onKey);
  }

  /** Locks or unlocks the keyboard to match the preference, the control and the full screen now. */
  readonly update = (): void => {
    const screen = this.o.screen();
    const wanted = systemKeysWanted({
      enabled: this.o.enabled(),
      inControl: this.o.inControl(),
      fullScreen: document.fullscreenElement,
      screen,
    });
    if (wanted === this.active) return;
    this.active = wanted;
    const keyboard = keyboardLock();
    if (!wanted) {
      keyboard?.unlock();
      if (screen) delete screen.dataset.systemKeys;
      return;
    }
    // Keys typed on the screen go to the customer already; the lock only makes the browser let go of its own.
    screen?.focus();
    if (screen) screen.dataset.systemKeys = "on";
    keyboard
      ?.lock()
      .then(() => {
        // No longer wanted by the time the browser granted it: let go at once.
        if (!this.active) return keyboard.unlock();
        if (screen) screen.dataset.systemKeys = "locked";
      })
      .catch(() => {});
  };

  close(): void {
    document.removeEventListener("fullscreenchange", this.update);
    document.removeEventListener("keydown", this.onKey);
    document.removeEventListener("keyup", this.onKey);
    if (this.active) keyboardLock()?.unlock();
    this.active = false;
  }

  /**
   * A key typed elsewhere in full screen (a toolbar button has the focus) is the customer's too; keys on the screen
   * were forwarded there, and a key a hotkey took (`defaultPrevented`) stays the agent's.
   */
  private readonly onKey = (e: KeyboardEvent): void => {
    if (!this.active || e.defaultPrevented || editable(e.target)) return;
    const screen = this.o.screen();
    if (screen && e.target instanceof Node && screen.contains(e.target)) return;
    e.preventDefault();
    this.o.send({ type: "input.key", key: e.key, down: e.type === "keydown" });
  };
}
