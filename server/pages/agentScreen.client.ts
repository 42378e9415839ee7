// The agent's own screen on the customer page (R-S8): the page watches the session's `source=agent` screen channel
// with the session's host key, and shows the picture while the agent shares it. The customer may draw and point on it
// (view only allows nothing more), drive it under shared control, and pause or stop it; only the agent restarts.
import type { ViewerMessage } from "../../protocol/screen/index.ts";
import type { Tool } from "../../viewer/annotations/pointerMachine.ts";
import {
  forwardKeys,
  openScreenChannel,
  type SharingState,
  toScreenView,
} from "../../viewer/screen/screenChannel.ts";
import { ScreenView } from "../../viewer/screen/screenView.ts";

export interface AgentScreenText {
  title: string;
  viewOnly: string;
  control: string;
  paused: string;
  stopped: string;
  mouse: string;
  pen: string;
  highlighter: string;
  arrow: string;
  laser: string;
  clear: string;
  fit: string;
  actual: string;
  fullScreen: string;
  pause: string;
  stop: string;
}

/** The decode worker the console's bundle provides (server/server.ts registers it with the pages' assets). */
const workerUrl = "/assets/screenWorker.js";
/**
 * A dropped channel (server restart, network) is opened again after 2 s, doubling to 30 s, while the session lasts;
 * after this many attempts in a row that never opened (the page outlived its session unnoticed) it gives up.
 */
const reopenFirstMs = 2_000;
const reopenMaxMs = 30_000;
const reopenAttemptsMax = 8;

export class AgentScreen {
  readonly element: HTMLElement;
  private readonly status: HTMLElement;
  private readonly toolbar: HTMLElement;
  private readonly stage: HTMLElement;
  private socket: WebSocket | null = null;
  private view: ScreenView | null = null;
  private state: SharingState | null = null;
  private ended = false;
  /** Attempts since the channel last opened. */
  private failures = 0;
  /** Shown only while the agent's screen is on: drawing, pointing and the view modes. */
  private readonly whileOn: HTMLElement[];
  private readonly pauseButton: HTMLElement;

  constructor(
    private readonly sessionId: string,
    private readonly hostKey: string,
    private readonly t: AgentScreenText,
  ) {
    this.element = el("section", { id: "agent-screen", "aria-label": t.title });
    this.element.hidden = true;
    this.status = el("p", { class: "agent-screen-status", role: "status" });
    const tool = (name: Tool, label: string) => {
      const b = el("button", { type: "button", "data-tool": name }, label);
      b.onclick = () => this.selectTool(name);
      return b;
    };
    const action = (label: string, run: () => void) => {
      const b = el("button", { type: "button" }, label);
      b.onclick = run;
      return b;
    };
    this.whileOn = [
      tool("mouse", t.mouse),
      tool("pen", t.pen),
      tool("highlighter", t.highlighter),
      tool("arrow", t.arrow),
      tool("laser", t.laser),
      action(t.clear, () => this.view?.clearAnnotations()),
      // A 1080p screen fitted into a page is hard to read: actual size scrolls, full screen uses the whole display.
      action(t.fit, () => this.view?.setMode({ kind: "fit" })),
      action(t.actual, () => this.view?.setMode({ kind: "actual" })),
      action(t.fullScreen, () => void this.stage.requestFullscreen?.().catch(() => {})),
    ];
    this.pauseButton = action(t.pause, () => this.send({ type: "sharing", action: "pause" }));
    // Stop stays while paused too: the customer can always stop it (R-S8).
    const stop = action(t.stop, () => this.send({ type: "sharing", action: "stop" }));
    this.toolbar = el(
      "div",
      { class: "screen-tools", role: "toolbar", "aria-label": t.title },
      ...this.whileOn,
      this.pauseButton,
      stop,
    );
    this.stage = el("div", { class: "agent-screen-stage" });
    this.element.append(el("h2", {}, t.title), this.status, this.toolbar, this.stage);
  }

  /** Watches the channel until the session ends; the section shows only once the agent shares. */
  open(): void {
    if (this.socket || this.ended) return;
    const socket = openScreenChannel({ sessionId: this.sessionId, secret: this.hostKey, source: "agent" });
    this.socket = socket;
    const view = new ScreenView({
      workerUrl,
      author: "customer",
      hotkeys: false,
      // No hotkeys here, but Esc is how the customer puts the pen down again (R-V4).
      escapeToMouse: true,
      onTool: (tool) => this.pressTool(tool),
      onApplied: (seq) => this.send({ type: "ack", seq }),
      onNeedKeyFrame: () => this.send({ type: "needKey" }),
      onAnnotations: (diff) => this.send({ type: "annotations", diff }),
      onPointer: (x, y, buttons) => {
        if (this.state?.control) this.send({ type: "input.pointer", x, y, buttons });
      },
      onLaser: (x, y) => this.send({ type: "laser", x, y }),
    });
    view.element.setAttribute("aria-label", this.t.title);
    forwardKeys(
      view.element,
      () => this.state?.control === true,
      (m) => this.send(m),
    );
    this.view = view;
    this.stage.replaceChildren(view.element);
    socket.onopen = () => {
      this.failures = 0;
    };
    socket.onmessage = toScreenView(view, (m) => this.showState(m));
    socket.onclose = (e) => {
      this.socket = null;
      this.view?.destroy();
      this.view = null;
      this.state = null;
      this.element.hidden = true;
      // 4410: the session ended; 4401: no longer allowed (the customer left). Anything else is worth another try.
      if (e.code === 4410 || e.code === 4401) this.ended = true;
      if (this.ended || this.failures >= reopenAttemptsMax) return;
      setTimeout(() => this.open(), Math.min(reopenMaxMs, reopenFirstMs * 2 ** this.failures));
      this.failures++;
    };
  }

  /** The session is over: the channel closes and is not opened again. */
  close(): void {
    this.ended = true;
    this.socket?.close();
  }

  private showState(m: SharingState): void {
    this.state = m;
    this.element.hidden = m.sharing === "waiting";
    this.element.dataset.sharing = m.sharing;
    this.element.dataset.control = String(m.control);
    this.toolbar.hidden = m.sharing !== "on" && m.sharing !== "paused";
    for (const b of [...this.whileOn, this.pauseButton]) b.hidden = m.sharing !== "on";
    this.stage.hidden = m.sharing !== "on";
    const t = this.t;
    this.status.textContent =
      m.sharing === "on"
        ? m.control
          ? t.control
          : t.viewOnly
        : m.sharing === "paused"
          ? t.paused
          : t.stopped;
  }

  private selectTool(tool: Tool): void {
    this.view?.selectTool(tool);
    this.pressTool(tool);
  }

  private pressTool(tool: Tool): void {
    for (const b of this.toolbar.querySelectorAll<HTMLButtonElement>("[data-tool]"))
      b.setAttribute("aria-pressed", String(b.dataset.tool === tool));
  }

  private send(m: ViewerMessage): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(m));
  }
}

function el(tag: string, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}
