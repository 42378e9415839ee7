// R-V3: one session's shared screen in a window of its own (`/console#screen=<id>&name=<customer>`), opened from the
// chat tab. It needs no control connection: the screen channel takes the agent's token, which the browser copied
// into this window's sessionStorage when the console opened it. The console and its screen windows talk over a
// BroadcastChannel: the window says when it closes (the tab shows the screen again), the console asks it to close
// (the agent brought the screen back, or the session ended), and the console passes on the agent's preferences, so
// that the window's screen keeps the host's colours, the hotkeys and the greying out of the tab's (R-V5, R-V6).
import { h } from "../dom.ts";
import { translator } from "../i18n.ts";
import type { Preferences } from "../preferences.ts";
import { Transport } from "../transport.ts";
import type { SignedIn } from "./login.ts";
import { ScreenPanel } from "./screenPanel.ts";

export const screenWindowChannel = "tandem.screens";

export type ScreenWindowMessage =
  | { type: "closed" | "close"; sessionId: string }
  | { type: "prefs"; prefs: Preferences };

export interface WindowPlace {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Cascaded windows step this far right and down from one another. */
export const CASCADE_STEP_PX = 32;

/**
 * Where `count` screen windows go on the agent's screen (R-V3): tiled, a grid as square as the count allows that
 * fills `area`; cascaded, each window 60 % of the area, stepping down and right from the top left.
 */
export function arrangeWindows(kind: "tiled" | "cascaded", count: number, area: WindowPlace): WindowPlace[] {
  if (kind === "cascaded") {
    const width = Math.round(area.width * 0.6);
    const height = Math.round(area.height * 0.6);
    const room = (size: number, whole: number) =>
      Math.max(1, Math.floor((whole - size) / CASCADE_STEP_PX) + 1);
    const steps = Math.min(room(width, area.width), room(height, area.height));
    return Array.from({ length: count }, (_, i) => ({
      left: area.left + (i % steps) * CASCADE_STEP_PX,
      top: area.top + (i % steps) * CASCADE_STEP_PX,
      width,
      height,
    }));
  }
  const cols = Math.ceil(Math.sqrt(count));
  const rows = Math.ceil(count / cols);
  const width = Math.floor(area.width / cols);
  const height = Math.floor(area.height / rows);
  return Array.from({ length: count }, (_, i) => ({
    left: area.left + (i % cols) * width,
    top: area.top + Math.floor(i / cols) * height,
    width,
    height,
  }));
}

/** The address of a session's screen window. */
export const screenWindowUrl = (sessionId: string, customer: string): string =>
  `/console#screen=${encodeURIComponent(sessionId)}&name=${encodeURIComponent(customer)}`;

/** The session and customer a screen window's address names, if it names one. */
export function screenWindowTarget(hash: string): { sessionId: string; customer: string } | null {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const sessionId = params.get("screen");
  return sessionId ? { sessionId, customer: params.get("name") ?? "" } : null;
}

export async function screenWindow(
  root: HTMLElement,
  signedIn: SignedIn,
  sessionId: string,
  customer: string,
): Promise<void> {
  const t = translator(signedIn.lang);
  document.title = t("screen.windowTitle", { name: customer });
  const host = h("div", { class: "viewer screen-window-viewer" });
  root.replaceChildren(
    h("main", { class: "screen-window", lang: signedIn.lang }, h("h1", {}, customer), host),
  );
  // Listening before anything is awaited: the console may say "close" or send new preferences meanwhile.
  const channel = new BroadcastChannel(screenWindowChannel);
  let sent: Preferences | null = null;
  let panel: ScreenPanel | null = null;
  channel.onmessage = (e: MessageEvent<ScreenWindowMessage>) => {
    const m = e.data;
    if (m?.type === "close" && m.sessionId === sessionId) window.close();
    if (m?.type !== "prefs") return;
    sent = m.prefs;
    if (!panel) return; // taken when the panel is made
    prefs = m.prefs;
    applyGrey();
    panel.applyPreferences();
    panel.applyNotice();
  };
  // The preferences before the screen: a host set to 256 colours must not be told "true" meanwhile.
  const transport = new Transport(signedIn.token, signedIn.account.id, noop, noop);
  const [settings, loaded] = await Promise.all([transport.settings(), transport.loadPreferences()]);
  let prefs: Preferences = sent ?? loaded;
  const applyGrey = () => {
    if (prefs.greyOutUnfocused) root.dataset.greyUnfocused = "";
    else delete root.dataset.greyUnfocused;
  };
  applyGrey();
  // R-V6: the same CSS rule as the console's greys this window's screen out while the window has not the focus.
  addEventListener("blur", () => {
    root.dataset.unfocused = "";
  });
  addEventListener("focus", () => {
    delete root.dataset.unfocused;
  });
  const shown = new ScreenPanel(host, sessionId, signedIn.token, t, {
    hotkeys: () => prefs.hotkeys,
    colours: () => prefs.hostColours,
    monitorNotice: () => prefs.multiMonitorNotice,
    forwardSystemKeys: () => prefs.forwardSystemKeys,
    levelSwitch: () => settings.screenLevelSwitchEnabled,
  });
  panel = shown;
  shown.open();
  addEventListener("pagehide", () => {
    shown.close();
    channel.postMessage({ type: "closed", sessionId } satisfies ScreenWindowMessage);
  });
}

const noop = (): void => {};
