// The shared screen in the agent's console: the remote picture on a <canvas> (drawn by the decode worker) with the
// annotation layer above it; view modes and scrolling (R-V1), annotation tools (R-V4) and hotkeys (R-V5).
import { createActor } from "xstate";
import { type Annotation, type AnnotationDiff, LASER_SHOWN_MS } from "../../protocol/annotations/index.ts";
import type { CursorShape } from "../../protocol/screen/index.ts";
import { type HotkeyAction, screenKeyAction } from "../annotations/hotkeys.ts";
import { type PointerEmitted, pointerMachine, type Tool } from "../annotations/pointerMachine.ts";
import { renderScene } from "../annotations/render.ts";
import { AnnotationScene } from "../annotations/scene.ts";
import {
  arrowScroll,
  clampScroll,
  edgeScroll,
  type Rect,
  type Scroll,
  type Size,
  scaleFor,
  shownRect,
  type ViewMode,
  viewportToScreen,
} from "./viewMath.ts";
import type { FromWorker, ToWorker } from "./workerProtocol.ts";

export interface ScreenViewOptions {
  workerUrl: string | URL;
  author: string;
  /** R-V5: hotkeys and arrow-key scrolling (R-V1); a function when the agent may switch them while the view is open. */
  hotkeys: boolean | (() => boolean);
  /** R-V4: Esc leaves a drawing tool even without hotkeys (the customer's page, where Esc is the tools' way out). */
  escapeToMouse?: boolean;
  /** A frame was drawn: acknowledge it to the relay (flow control). */
  onApplied?(seq: number): void;
  onNeedKeyFrame?(reason: string): void;
  /** Local annotation changes to send to the session. */
  onAnnotations?(diff: AnnotationDiff): void;
  /** Pointer input in mouse mode, in the customer's screen pixels, for shared control. */
  onPointer?(x: number, y: number, buttons: number): void;
  onLaser?(x: number, y: number): void;
  onHotkey?(action: HotkeyAction): void;
  /** A key changed the tool (a hotkey, or Esc back to the mouse), so tool buttons can show it. */
  onTool?(tool: Tool): void;
  /** The scale changed (a mode, a resize, a new screen size or monitor), so zoom controls can show it. */
  onScale?(scale: number): void;
}

export class ScreenView {
  readonly element: HTMLDivElement;
  private readonly stage: HTMLDivElement;
  private readonly screenCanvas: HTMLCanvasElement;
  private readonly overlay: HTMLCanvasElement;
  private readonly worker: Worker;
  private readonly scene = new AnnotationScene();
  private readonly pointer;
  private screen: Size = { width: 0, height: 0 };
  private mode: ViewMode = { kind: "fit" };
  /** One monitor's rectangle of the captured desktop (R-V2), or null for all of it. */
  private region: Rect | null = null;
  /** What is shown: `region` clipped to the picture, or the whole picture. */
  private shown: Rect = { x: 0, y: 0, width: 0, height: 0 };
  private scale = 1;
  private preview: Annotation | null = null;
  private laser: [number, number] | undefined;
  /** The sharing side's own laser pointer (R-V4), shown for a moment after each move. */
  private sharedLaser: [number, number] | undefined;
  private sharedLaserTimer: number | undefined;
  /** The customer's pointer (R-V1): its picture and where it is, drawn over the screen on the overlay. */
  private cursorImage: { canvas: HTMLCanvasElement; hotX: number; hotY: number } | undefined;
  private cursorAt: [number, number] | undefined;
  private edgeTimer: number | undefined;

  constructor(private readonly options: ScreenViewOptions) {
    this.element = el("div", "tandem-screen");
    this.element.tabIndex = 0;
    this.element.setAttribute("role", "region");
    this.element.setAttribute("aria-label", "Customer screen");
    Object.assign(this.element.style, { position: "relative", overflow: "auto", background: "#1b1b1f" });
    this.stage = el("div", "tandem-screen-stage");
    // Clips the canvas to the shown monitor; with the whole desktop shown the stage is exactly the canvas's size.
    Object.assign(this.stage.style, { position: "relative", overflow: "hidden" });
    this.screenCanvas = el("canvas", "tandem-screen-canvas");
    this.overlay = el("canvas", "tandem-screen-overlay");
    for (const c of [this.screenCanvas, this.overlay]) {
      Object.assign(c.style, { position: "absolute", left: "0", top: "0", transformOrigin: "0 0" });
    }
    this.stage.append(this.screenCanvas, this.overlay);
    this.element.append(this.stage);

    this.worker = new Worker(options.workerUrl, { type: "module" });
    const offscreen = this.screenCanvas.transferControlToOffscreen();
    this.post({ type: "init", canvas: offscreen }, [offscreen]);
    this.worker.onmessage = (e: MessageEvent<FromWorker>) => this.fromWorker(e.data);

    this.pointer = createActor(pointerMachine, { input: { author: options.author, tool: "mouse" } }).start();
    this.pointer.on("*", (e) => this.fromPointer(e as PointerEmitted));
    this.listen();
  }

  /** A frame message from the relay; the worker decodes it. */
  pushFrame(bytes: ArrayBuffer): void {
    this.post({ type: "frame", bytes }, [bytes]);
  }

  applyAnnotations(diff: AnnotationDiff): void {
    if (this.scene.apply(diff)) this.drawOverlay();
  }

  /** The cursor's picture changed (straight-alpha RGBA, base64). A picture of the wrong size is ignored. */
  setCursorShape(shape: CursorShape): void {
    const bytes = Uint8Array.from(atob(shape.rgba), (c) => c.charCodeAt(0));
    if (bytes.length !== shape.width * shape.height * 4) return;
    const canvas = el("canvas", "tandem-screen-cursor");
    canvas.width = shape.width;
    canvas.height = shape.height;
    canvas
      .getContext("2d")
      ?.putImageData(new ImageData(new Uint8ClampedArray(bytes.buffer), shape.width), 0, 0);
    this.cursorImage = { canvas, hotX: shape.hotX, hotY: shape.hotY };
    this.drawOverlay();
  }

  setCursor(x: number, y: number): void {
    this.cursorAt = [x, y];
    this.element.dataset.cursor = `${x},${y}`;
    this.drawOverlay();
  }

  /** The sharing side points with its own laser at (x, y) (R-V4). */
  showLaser(x: number, y: number): void {
    this.sharedLaser = [x, y];
    this.element.dataset.laser = `${x},${y}`;
    clearTimeout(this.sharedLaserTimer);
    this.sharedLaserTimer = window.setTimeout(() => {
      this.sharedLaser = undefined;
      delete this.element.dataset.laser;
      this.drawOverlay();
    }, LASER_SHOWN_MS);
    this.drawOverlay();
  }

  setMode(mode: ViewMode): void {
    this.mode = mode;
    this.layout();
  }

  get viewMode(): ViewMode {
    return this.mode;
  }

  /** Shows one rectangle of the captured desktop (a monitor, R-V2), or all of it (null); view modes apply to it. */
  showRegion(region: Rect | null): void {
    this.region = region;
    this.layout();
    this.element.scrollTo(0, 0);
  }

  selectTool(tool: Tool): void {
    this.pointer.send({ type: "tool.select", tool });
    this.element.dataset.tool = tool;
  }

  clearAnnotations(): void {
    const diff: AnnotationDiff = { added: [], updated: [], removed: [], clear: true };
    this.scene.apply(diff);
    this.drawOverlay();
    this.options.onAnnotations?.(diff);
  }

  destroy(): void {
    clearTimeout(this.sharedLaserTimer);
    this.worker.terminate();
    this.pointer.stop();
    this.element.remove();
  }

  private post(message: ToWorker, transfer: Transferable[]): void {
    this.worker.postMessage(message, transfer);
  }

  private fromWorker(message: FromWorker): void {
    if (message.type === "ready") {
      this.element.dataset.decoders = message.decoders;
      return;
    }
    if (message.type === "needKey") {
      this.options.onNeedKeyFrame?.(message.reason);
      return;
    }
    if (message.width !== this.screen.width || message.height !== this.screen.height) {
      this.screen = { width: message.width, height: message.height };
      this.layout();
    }
    this.element.dataset.frame = String(message.seq);
    this.options.onApplied?.(message.seq);
  }

  private fromPointer(e: PointerEmitted): void {
    switch (e.type) {
      case "annotation.preview":
        this.preview = e.annotation;
        this.drawOverlay();
        return;
      case "annotation.commit": {
        this.preview = null;
        const diff: AnnotationDiff = { added: [e.annotation], updated: [], removed: [] };
        this.scene.apply(diff);
        this.drawOverlay();
        this.options.onAnnotations?.(diff);
        return;
      }
      case "laser.at":
        this.laser = [e.x, e.y];
        this.drawOverlay();
        this.options.onLaser?.(e.x, e.y);
        return;
      case "input.pointer":
        this.options.onPointer?.(e.x, e.y, e.buttons);
        return;
    }
  }

  private viewport(): Size {
    return { width: this.element.clientWidth, height: this.element.clientHeight };
  }

  private layout(): void {
    const shown = shownRect(this.region, this.screen);
    this.shown = shown;
    const before = this.scale;
    this.scale = scaleFor(this.mode, shown, this.viewport());
    const px = (n: number) => `${Math.round(n * this.scale)}px`;
    // The whole picture, shifted so that the shown rectangle sits at the stage's corner; the stage clips the rest.
    Object.assign(this.screenCanvas.style, {
      width: px(this.screen.width),
      height: px(this.screen.height),
      left: `${-Math.round(shown.x * this.scale)}px`,
      top: `${-Math.round(shown.y * this.scale)}px`,
    });
    Object.assign(this.stage.style, { width: px(shown.width), height: px(shown.height) });
    this.overlay.style.width = px(shown.width);
    this.overlay.style.height = px(shown.height);
    this.overlay.width = Math.max(1, Math.round(shown.width * this.scale));
    this.overlay.height = Math.max(1, Math.round(shown.height * this.scale));
    this.element.dataset.scale = String(this.scale);
    this.element.dataset.region = `${shown.x},${shown.y},${shown.width},${shown.height}`;
    this.drawOverlay();
    if (this.scale !== before) this.options.onScale?.(this.scale);
  }

  private drawOverlay(): void {
    const pen = this.overlay.getContext("2d");
    if (!pen) return;
    const records = this.preview ? [...this.scene.all(), this.preview] : this.scene.all();
    renderScene(
      pen,
      records,
      {
        scale: this.scale,
        scrollX: this.shown.x * this.scale,
        scrollY: this.shown.y * this.scale,
        width: this.overlay.width,
        height: this.overlay.height,
      },
      this.laser ?? this.sharedLaser,
    );
    if (this.cursorImage && this.cursorAt) {
      const { canvas, hotX, hotY } = this.cursorImage;
      // The cursor keeps its own size whatever the zoom, like the agent's own pointer; its hot spot sits on the spot.
      pen.drawImage(
        canvas,
        (this.cursorAt[0] - this.shown.x) * this.scale - hotX,
        (this.cursorAt[1] - this.shown.y) * this.scale - hotY,
      );
    }
  }

  /** The overlay covers the shown rectangle only, so its corner is the shown part's origin on the desktop. */
  private toScreen(e: MouseEvent): Scroll {
    const r = this.overlay.getBoundingClientRect();
    return viewportToScreen(
      { x: e.clientX - r.left, y: e.clientY - r.top },
      { x: 0, y: 0 },
      this.scale,
      this.shown,
    );
  }

  private listen(): void {
    const send = (type: "pointer.down" | "pointer.move" | "pointer.up") => (e: PointerEvent) => {
      const p = this.toScreen(e);
      this.pointer.send({ type, x: p.x, y: p.y, shift: e.shiftKey });
    };
    this.overlay.addEventListener("pointerdown", (e) => {
      this.overlay.setPointerCapture(e.pointerId);
      send("pointer.down")(e);
    });
    this.overlay.addEventListener("pointermove", (e) => {
      send("pointer.move")(e);
      this.autoScroll(e);
    });
    this.overlay.addEventListener("pointerup", send("pointer.up"));
    this.element.addEventListener("keydown", (e) => this.onKey(e));
    new ResizeObserver(() => this.layout()).observe(this.element);
  }

  /** Auto-scroll at the edges (R-V1) while the pointer rests near a border. */
  private autoScroll(e: PointerEvent): void {
    const r = this.element.getBoundingClientRect();
    const step = edgeScroll({ x: e.clientX - r.left, y: e.clientY - r.top }, this.viewport());
    window.clearInterval(this.edgeTimer);
    if (step.x === 0 && step.y === 0) return;
    this.edgeTimer = window.setInterval(() => this.scrollBy(step), 30);
    this.overlay.addEventListener("pointerleave", () => window.clearInterval(this.edgeTimer), { once: true });
  }

  private scrollBy(delta: Scroll): void {
    const next = clampScroll(
      { x: this.element.scrollLeft + delta.x, y: this.element.scrollTop + delta.y },
      this.shown,
      this.viewport(),
      this.scale,
    );
    this.element.scrollTo(next.x, next.y);
  }

  private onKey(e: KeyboardEvent): void {
    const { hotkeys: on, escapeToMouse } = this.options;
    const hotkeys = typeof on === "function" ? on() : on;
    const tool = this.pointer.getSnapshot().context.tool;
    const action = screenKeyAction(e.key, { hotkeys, escapeToMouse, tool });
    if (action?.type === "key.escape") {
      e.preventDefault();
      // The machine drops a stroke in progress; its preview goes with it.
      this.pointer.send({ type: "key.escape" });
      this.element.dataset.tool = "mouse";
      this.preview = null;
      this.drawOverlay();
      this.options.onTool?.("mouse");
      return;
    }
    if (action) {
      e.preventDefault();
      if (action.type === "tool.select") {
        this.selectTool(action.tool);
        this.options.onTool?.(action.tool);
      } else if (action.type === "annotations.clear") this.clearAnnotations();
      this.options.onHotkey?.(action);
      return;
    }
    const arrows = hotkeys ? arrowScroll(e.key, this.viewport()) : null;
    if (arrows) {
      e.preventDefault();
      this.scrollBy(arrows);
    }
  }
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  return node;
}
