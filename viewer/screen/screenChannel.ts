// The browser's end of a session's screen channel, shared by the console's panels and the customer page: opening it
// (`/screen`, the secret in the subprotocol), handing its messages to a ScreenView, the keys typed under shared
// control, and the word for a sharing state.
import { screenProtocol, type ToViewer, type ViewerMessage } from "../../protocol/screen/index.ts";
import type { ScreenView } from "./screenView.ts";

export type SharingState = Extract<ToViewer, { type: "state" }>;

export function openScreenChannel(o: {
  sessionId: string;
  /** An agent's session token, or the customer's host key (which opens only the agent's screen). */
  secret: string;
  /** Whose screen: the customer's (default) or the session owner's own (R-S8). */
  source?: "customer" | "agent";
  /** false: the sharing state only, no frames. */
  frames?: boolean;
}): WebSocket {
  const url = new URL("/screen", location.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  url.searchParams.set("session", o.sessionId);
  url.searchParams.set("role", "viewer");
  if (o.source === "agent") url.searchParams.set("source", "agent");
  if (o.frames === false) url.searchParams.set("frames", "none");
  const socket = new WebSocket(url, [screenProtocol, `auth.${o.secret}`]);
  socket.binaryType = "arraybuffer";
  return socket;
}

/** The channel's messages into `view`: frames, annotations, the pointer; the sharing state to `onState`. */
export function toScreenView(view: ScreenView, onState: (m: SharingState) => void) {
  return (e: MessageEvent): void => {
    if (typeof e.data !== "string") return view.pushFrame(e.data as ArrayBuffer);
    const m = JSON.parse(e.data) as ToViewer;
    if (m.type === "state") onState(m);
    else if (m.type === "annotations") view.applyAnnotations(m.diff);
    else if (m.type === "cursorShape") view.setCursorShape(m);
    else if (m.type === "cursor") view.setCursor(m.x, m.y);
    else if (m.type === "laser") view.showLaser(m.x, m.y);
  };
}

/**
 * Keys typed on the focused screen go to the shared machine while `inControl()`; a key a hotkey already took
 * (`defaultPrevented`) stays local.
 */
export function forwardKeys(
  target: HTMLElement,
  inControl: () => boolean,
  send: (m: ViewerMessage) => void,
): void {
  const key = (e: KeyboardEvent, down: boolean) => {
    if (!inControl() || e.defaultPrevented) return;
    e.preventDefault();
    send({ type: "input.key", key: e.key, down });
  };
  target.addEventListener("keydown", (e) => key(e, true));
  target.addEventListener("keyup", (e) => key(e, false));
}

/** One word for a sharing state, for the status lines of each side. */
export function sharingWord(m: SharingState): "control" | "viewOnly" | "waiting" | "paused" | "stopped" {
  if (m.sharing === "on") return m.level === "control" ? "control" : "viewOnly";
  return m.sharing;
}
