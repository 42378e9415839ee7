// The shared screen inside a chat tab (R-S8, R-V1, R-V2, R-V4): opens the session's screen channel, draws the customer's
// screen with ScreenView, and offers the annotation tools, view modes and zoom, full screen, the customer's monitors,
// control requests and pause/stop/restart.
import type { AnnotationDiff } from "../../../protocol/annotations/index.ts";
import { screenCloseCodes, type ViewerMessage } from "../../../protocol/screen/index.ts";
import type { Tool } from "../../annotations/pointerMachine.ts";
import { fromHost } from "../../screen/monitors.ts";
import {
  forwardKeys,
  openScreenChannel,
  type SharingState,
  sharingWord,
  toScreenView,
} from "../../screen/screenChannel.ts";
import { ScreenView } from "../../screen/screenView.ts";
import {
  clampZoomPercent,
  stepZoom,
  type ViewMode,
  zoomPercentMax,
  zoomPercentMin,
  zoomPresets,
} from "../../screen/viewMath.ts";
import { h, setText } from "../dom.ts";
import type { StringKey, Translate } from "../i18n.ts";
import { MonitorBar } from "./monitorBar.ts";
import { SystemKeys } from "./systemKeys.ts";

/** Where the decode worker's bundle is served (built with the console, see build.ts). */
export const screenWorkerUrl = "/assets/screenWorker.js";
/** A dropped screen channel is opened again after this long, doubling up to the maximum while it keeps failing. */
const reopenFirstMs = 1_000;
const reopenMaxMs = 15_000;

/** What the panel reads of the agent's preferences and the configuration: read at each use, as they change. */
export interface ScreenPanelOptions {
  /** R-V5: viewer hotkeys (and R-V1 arrow-key scrolling) on. */
  hotkeys(): boolean;
  /** R-V6: the host-colours preference, told to the host whenever the customer shares. */
  colours(): "true" | "256";
  /** R-V6: the multi-monitor notice on. */
  monitorNotice(): boolean;
  /** R-V6: "forward system keys". */
  forwardSystemKeys(): boolean;
  /** R-S8: the configuration lets the owner switch the control level during a session. */
  levelSwitch(): boolean;
  /** R-V3: moves the screen to a window of its own (absent in such a window). */
  popOut?: () => void;
  /** The customer started sharing (R-V3: the agent may want it in a window of its own). */
  sharingStarted?: () => void;
}

export class ScreenPanel {
  private socket: WebSocket | null = null;
  private view: ScreenView | null = null;
  private state: SharingState | null = null;
  private readonly status: HTMLElement;
  private readonly toolbar: HTMLElement;
  private readonly stage: HTMLElement;
  private readonly controlButton: HTMLButtonElement;
  private readonly openButton: HTMLButtonElement;
  private readonly fullScreenButton: HTMLButtonElement;
  private readonly zoomPreset: HTMLSelectElement;
  private readonly zoomCustom: HTMLInputElement;
  private readonly monitors: MonitorBar;
  private readonly notice: HTMLElement;
  /** The agent closed the multi-monitor notice: not shown again in this panel. */
  private noticeDismissed = false;
  /** What the host was told on this connection (it may have started in either mode). */
  private coloursSent: "true" | "256" | null = null;
  /** The agent (or the tab) closed it: no reopening. */
  private closing = false;
  private reopenMs = reopenFirstMs;
  private reopenTimer: ReturnType<typeof setTimeout> | undefined;
  /** R-V6: the keyboard handed to the customer in full screen, while a screen is shown. */
  private systemKeys: SystemKeys | null = null;
  /** Bound once, so that `close` can take it off the slot element, which outlives this panel. */
  private readonly onFullScreenChange = () => this.showFullScreen();

  constructor(
    private readonly host: HTMLElement,
    private readonly sessionId: string,
    private readonly token: string,
    private readonly t: Translate,
    private readonly options: ScreenPanelOptions,
  ) {
    const { popOut } = options;
    this.status = h("p", { class: "screen-status", role: "status" }, t("screen.off"));
    this.openButton = h(
      "button",
      { type: "button", class: "screen-open", onclick: () => this.open() },
      t("screen.show"),
    );
    const tool = (name: Tool, label: StringKey) =>
      h("button", { type: "button", "data-tool": name, onclick: () => this.selectTool(name) }, t(label));
    const mode = (m: ViewMode, label: StringKey) =>
      h("button", { type: "button", onclick: () => this.view?.setMode(m) }, t(label));
    this.controlButton = h(
      "button",
      { type: "button", onclick: () => this.toggleControl() },
      t("screen.askControl"),
    );
    this.zoomPreset = h(
      "select",
      {
        "aria-label": t("screen.zoomTo"),
        onchange: () => this.zoomPreset.value && this.zoomTo(Number(this.zoomPreset.value)),
      },
      h("option", { value: "" }, t("screen.zoomTo")),
      ...zoomPresets.map((p) => h("option", { value: String(p) }, `${p} %`)),
    );
    this.zoomCustom = h("input", {
      type: "number",
      class: "screen-zoom",
      min: String(zoomPercentMin),
      max: String(zoomPercentMax),
      step: "1",
      "aria-label": t("screen.zoomCustom"),
      onchange: () => this.zoomTo(this.zoomCustom.valueAsNumber),
    });
    this.fullScreenButton = h(
      "button",
      { type: "button", "aria-pressed": "false", onclick: () => this.toggleFullScreen() },
      t("screen.fullScreen"),
    );
    // Full screen takes the whole panel, so the tools and the monitors stay at hand; Esc (the browser's) leaves it.
    host.addEventListener("fullscreenchange", this.onFullScreenChange);
    this.monitors = new MonitorBar(t, (m) =>
      this.view?.showRegion(m && { x: m.x, y: m.y, width: m.width, height: m.height }),
    );
    this.notice = h(
      "div",
      { class: "screen-notice", role: "status", hidden: true },
      h("span", {}),
      h(
        "button",
        { type: "button", "aria-label": t("screen.noticeDismiss"), onclick: () => this.dismissNotice() },
        "×",
      ),
    );
    this.toolbar = h(
      "div",
      { class: "screen-tools", role: "toolbar", "aria-label": t("screen.tools"), hidden: true },
      tool("mouse", "screen.tool.mouse"),
      tool("pen", "screen.tool.pen"),
      tool("highlighter", "screen.tool.highlighter"),
      tool("arrow", "screen.tool.arrow"),
      tool("laser", "screen.tool.laser"),
      h("button", { type: "button", onclick: () => this.view?.clearAnnotations() }, t("screen.clear")),
      mode({ kind: "actual" }, "screen.actual"),
      mode({ kind: "fit" }, "screen.fit"),
      h("button", { type: "button", onclick: () => this.zoom(-1), "aria-label": t("screen.zoomOut") }, "−"),
      h("button", { type: "button", onclick: () => this.zoom(1), "aria-label": t("screen.zoomIn") }, "+"),
      this.zoomPreset,
      this.zoomCustom,
      this.fullScreenButton,
      this.controlButton,
      h("button", { type: "button", onclick: () => this.sharing("pause") }, t("screen.pause")),
      h("button", { type: "button", onclick: () => this.sharing("stop") }, t("screen.stop")),
      h("button", { type: "button", onclick: () => this.sharing("restart") }, t("screen.restart")),
      ...(popOut
        ? [h("button", { type: "button", class: "screen-pop-out", onclick: popOut }, t("screen.popOut"))]
        : []),
    );
    this.stage = h("div", { class: "screen-stage" });
    host.replaceChildren(
      this.status,
      this.openButton,
      this.toolbar,
      this.monitors.element,
      this.notice,
      this.stage,
    );
  }

  /** Connects to the session's screen channel and shows what the customer shares. */
  open(): void {
    if (this.socket) return;
    this.closing = false;
    clearTimeout(this.reopenTimer);
    const socket = openScreenChannel({ sessionId: this.sessionId, secret: this.token });
    this.socket = socket;
    const view = new ScreenView({
      workerUrl: screenWorkerUrl,
      author: "agent",
      hotkeys: () => this.options.hotkeys(),
      onTool: (tool) => this.pressTool(tool),
      onApplied: (seq) => this.send({ type: "ack", seq }),
      onNeedKeyFrame: () => this.send({ type: "needKey" }),
      onAnnotations: (diff: AnnotationDiff) => this.send({ type: "annotations", diff }),
      onPointer: (x, y, buttons) => {
        if (this.state?.control) this.send({ type: "input.pointer", x, y, buttons });
      },
      onLaser: (x, y) => this.send({ type: "laser", x, y }),
      onScale: (scale) => this.showZoom(scale),
    });
    this.view = view;
    // A new view starts at 100 % until its first layout says otherwise.
    this.showZoom(1);
    forwardKeys(
      view.element,
      () => this.state?.control === true,
      (m) => this.send(m),
    );
    this.systemKeys = new SystemKeys({
      enabled: () => this.options.forwardSystemKeys(),
      inControl: () => this.state?.control === true,
      screen: () => this.view?.element ?? null,
      send: (m) => this.send(m),
    });
    this.stage.replaceChildren(view.element);
    this.toolbar.hidden = false;
    this.openButton.hidden = true;
    socket.onmessage = toScreenView(view, (m) => this.showState(m));
    socket.onclose = (e) => {
      this.socket = null;
      this.coloursSent = null;
      this.systemKeys?.close();
      this.systemKeys = null;
      this.view?.destroy();
      this.view = null;
      this.toolbar.hidden = true;
      this.openButton.hidden = false;
      this.monitors.update([]);
      this.applyNotice();
      delete this.host.dataset.sharing;
      // A dropped connection (network, server restart) comes back by itself; an ended session or a lost right does not.
      const final = e.code === screenCloseCodes.SessionEnded || e.code === screenCloseCodes.Unauthorised;
      if (this.closing || final) return setText(this.status, this.t("screen.off"));
      setText(this.status, this.t("screen.reconnecting"));
      this.reopenTimer = setTimeout(() => this.open(), this.reopenMs);
      this.reopenMs = Math.min(reopenMaxMs, this.reopenMs * 2);
    };
  }

  close(): void {
    this.host.removeEventListener("fullscreenchange", this.onFullScreenChange);
    if (document.fullscreenElement === this.host) void document.exitFullscreen();
    this.closing = true;
    clearTimeout(this.reopenTimer);
    this.socket?.close();
  }

  private showState(m: SharingState): void {
    const started = m.sharing === "on" && this.state?.sharing !== "on";
    this.state = m;
    this.reopenMs = reopenFirstMs;
    if (m.sharing === "on") this.applyColours();
    this.systemKeys?.update();
    setText(this.status, this.t(`screen.${sharingWord(m)}`));
    this.host.dataset.sharing = m.sharing;
    this.host.dataset.control = String(m.control);
    this.monitors.update(fromHost(m.monitors));
    this.applyNotice();
    setText(this.controlButton, this.t(m.level === "control" ? "screen.viewOnlyAsk" : "screen.askControl"));
    // R-S8: where the configuration turns switching off, the level stays what the customer agreed to at the start.
    this.controlButton.hidden = !this.options.levelSwitch();
    if (started) this.options.sharingStarted?.();
  }

  private selectTool(tool: Tool): void {
    this.view?.selectTool(tool);
    this.pressTool(tool);
  }

  private pressTool(tool: Tool): void {
    for (const b of this.toolbar.querySelectorAll<HTMLButtonElement>("[data-tool]")) {
      b.setAttribute("aria-pressed", String(b.dataset.tool === tool));
    }
  }

  private zoom(direction: 1 | -1): void {
    const view = this.view;
    if (!view) return;
    const current = Number(view.element.dataset.scale ?? "1");
    view.setMode({ kind: "zoom", percent: stepZoom(current, direction) });
  }

  /** "Zoom to" a preset or a typed percentage (R-V1), kept within the range the view allows. */
  private zoomTo(value: number): void {
    const percent = clampZoomPercent(value);
    const scale = Number(this.view?.element.dataset.scale ?? "1");
    if (percent === null || !this.view) return this.showZoom(scale);
    this.view.setMode({ kind: "zoom", percent });
    this.showZoom(percent / 100);
  }

  /** The zoom controls show the scale in force, whichever way it was set (Fit changes it with the window). */
  private showZoom(scale: number): void {
    const percent = Math.round(scale * 100);
    this.zoomCustom.value = String(percent);
    this.zoomPreset.value = zoomPresets.some((p) => p === percent) ? String(percent) : "";
  }

  private toggleFullScreen(): void {
    if (document.fullscreenElement === this.host) void document.exitFullscreen();
    // Refused (no user gesture, or a policy): the button keeps showing "not full screen".
    else void this.host.requestFullscreen().catch(() => this.showFullScreen());
  }

  private showFullScreen(): void {
    const on = document.fullscreenElement === this.host;
    this.fullScreenButton.setAttribute("aria-pressed", String(on));
    if (on) this.host.dataset.fullScreen = "";
    else delete this.host.dataset.fullScreen;
  }

  /** R-V2, R-V6: says the customer has several monitors, while the agent's preference asks for it. */
  applyNotice(): void {
    const count = this.monitors.count;
    const shown = count > 1 && !this.noticeDismissed && this.options.monitorNotice();
    this.notice.hidden = !shown;
    if (shown) setText(this.notice.firstElementChild!, this.t("screen.monitorNotice", { count }));
  }

  private dismissNotice(): void {
    this.noticeDismissed = true;
    this.applyNotice();
  }

  /** The agent changed preferences: the host's colours, and whether the keyboard is the customer's in full screen. */
  applyPreferences(): void {
    this.applyColours();
    this.systemKeys?.update();
  }

  /** Tells the host the colour preference when it differs from what it was last told on this connection. */
  applyColours(): void {
    const colours = this.options.colours();
    if (this.state?.sharing !== "on" || colours === this.coloursSent) return;
    this.coloursSent = colours;
    this.send({ type: "colours", colours });
  }

  /** Asks the customer for shared control, or gives it back (the customer confirms on their side, R-S8). */
  private toggleControl(): void {
    this.send({ type: "level", level: this.state?.level === "control" ? "view" : "control" });
  }

  private sharing(action: "pause" | "stop" | "restart"): void {
    this.send({ type: "sharing", action });
  }

  private send(m: ViewerMessage): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(m));
  }
}
