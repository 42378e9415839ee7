// One host's share of one session: it connects (the agent sees "connecting", R-L4), asks the customer, and after their
// consent streams frames (bounded in flight, key frames on request), applies remote input only under shared control,
// and follows pause/stop/restart and level changes from either side (R-S8).
import * as Result from "effect/Result";
import WebSocket from "ws";
import type { AnnotationDiff } from "../../protocol/annotations/index.ts";
import { cloneImage, type RgbaImage } from "../../protocol/frame/index.ts";
import {
  type ControlLevel,
  type CursorPosition,
  type CursorShape,
  decodeToHost,
  type ScreenError,
  screenProtocol,
  type ToHost,
} from "../../protocol/screen/index.ts";
import type { CaptureSource } from "../capture/index.ts";
import { FrameEncoder } from "../encoders/index.ts";
import type { InputSink } from "../input/index.ts";
import type { ScreenQuestion } from "../tools/customerPrompt.ts";
import { FrameFlow } from "../uplink/frameFlow.ts";
import { InputBridge } from "./inputBridge.ts";

/** Asks the customer, on their own machine, whether and how to share (R-S8). Resolves null for "no". */
export type ConsentPrompt = (question: ScreenQuestion) => Promise<ControlLevel | null>;

export interface HostSessionOptions {
  /** The server's screen channel, e.g. ws://host:8080/screen. */
  screenUrl: string;
  sessionId: string;
  key: string;
  /** The agent shows their own screen to the customer (R-S8): `key` is the presenter key of `screen.present`. */
  presenting?: boolean;
  source: CaptureSource;
  consent: ConsentPrompt;
  /** Applies remote input; absent = the host never accepts control. */
  input?: InputSink;
  level?: ControlLevel;
  /** At most this many frames per second, even when the viewers keep up. */
  framesPerSecondMax?: number;
  framesInFlightMax?: number;
  palette256?: boolean;
  onSent?(seq: number, image: RgbaImage, key: boolean): void;
  onAnnotations?(diff: AnnotationDiff): void;
  /** The agent's laser pointer moved (R-V4); not stored, shown briefly. */
  onLaser?(x: number, y: number): void;
  log?(line: string): void;
  /** The screen channel closed (its close code: 4410 the session ended, 4401 no longer allowed, 4409 replaced). */
  onClosed?(code: number): void;
  /**
   * The other side paused, stopped or restarted sharing (R-S8): the sharing side is told on its own screen. On the
   * customer's machine that is the agent; on the agent's own (`presenting`), the session (the customer, the console).
   */
  onRemoteSharing?(state: "sharing" | "paused" | "stopped"): void;
}

type State = "connecting" | "sharing" | "paused" | "stopped" | "closed";

export class HostSession {
  private ws: WebSocket | null = null;
  private state: State = "connecting";
  private level: ControlLevel = "view";
  private encoder: FrameEncoder;
  private readonly flow: FrameFlow;
  private readonly bridge = new InputBridge();
  private timer: NodeJS.Timeout | null = null;
  private grabbing = false;
  private lastFrameAt = 0;
  private inputChain: Promise<void> = Promise.resolve();
  private cursorSerial = -1;
  private cursorAt: [number, number] = [-1, -1];
  /** Paused from this machine (not by the other side): this side may resume it. */
  private pausedHere = false;
  /** Counts the changes of `state`: a step that awaited something goes on only if nothing changed meanwhile. */
  private changes = 0;
  /** A pause or stop the other side asked for while the customer was answering the first question. */
  private held: "pause" | "stop" | null = null;
  readonly stats = {
    framesSent: 0,
    bytesSent: 0,
    keyFrames: 0,
    inputsApplied: 0,
    inputsRefused: 0,
    /** Tile records sent, by encoding. */
    records: {} as Record<string, number>,
  };

  constructor(private readonly options: HostSessionOptions) {
    this.encoder = new FrameEncoder({ colourMode: options.palette256 ? "palette256" : "lossless" });
    this.flow = new FrameFlow({ framesInFlightMax: options.framesInFlightMax ?? 2 });
  }

  get sharing(): State {
    return this.state;
  }

  /**
   * Connects, asks consent, and starts sharing; resolves false when the customer said no. The channel stays open after
   * a no: the agent sees it (chat only, R-L4) and may ask again, which asks the customer again (R-S8).
   */
  async start(): Promise<boolean> {
    const url = new URL(this.options.screenUrl);
    url.searchParams.set("session", this.options.sessionId);
    url.searchParams.set("role", "host");
    if (this.options.presenting) url.searchParams.set("source", "agent");
    const ws = new WebSocket(url, [screenProtocol, `auth.${this.options.key}`]);
    this.ws = ws;
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
      ws.once("close", (code, reason) => reject(new Error(`screen channel closed: ${code} ${reason}`)));
    });
    ws.on("message", (data, binary) => {
      if (binary) return;
      const decoded = decodeToHost(String(data));
      // A message this host does not understand (a newer server, a broken proxy) is logged and left: nothing else
      // depends on it, and sharing goes on.
      if (Result.isFailure(decoded))
        return this.log(`ignored a message from the server: ${decoded.failure.message}`);
      void this.onMessage(decoded.success);
    });
    ws.on("close", (code, reason) => {
      this.log(`screen channel closed (${code} ${reason})`);
      this.shutdown();
      this.options.onClosed?.(code);
    });
    const level = await this.ask("start", this.options.level ?? "view");
    if (this.closedMeanwhile()) return false;
    const held = this.held;
    this.held = null;
    if (level) this.level = level;
    if (!level || held) {
      // A no is a stop (only the agent asks again). A pause or stop asked for meanwhile is kept: nothing is shared.
      this.become(held === "pause" ? "paused" : "stopped");
      this.send({ type: "stopped", by: level ? this.otherSide : this.side, paused: held === "pause" });
      if (held) this.options.onRemoteSharing?.(held === "pause" ? "paused" : "stopped");
      return false;
    }
    return this.share();
  }

  /** The channel closed while the customer was answering (the session ended, another host took over). */
  private closedMeanwhile(): boolean {
    return this.state === "closed";
  }

  private become(state: State): void {
    this.state = state;
    this.changes++;
  }

  /** Who shares from this machine: the customer, or the agent showing their own screen. */
  private get side(): "agent" | "customer" {
    return this.options.presenting ? "agent" : "customer";
  }

  private get otherSide(): "agent" | "customer" {
    return this.options.presenting ? "customer" : "agent";
  }

  /** The sharing side stops from its own machine; only the agent restarts (R-S8). */
  stopHere(): void {
    if (this.state !== "sharing" && this.state !== "paused") return;
    this.become("stopped");
    this.pausedHere = false;
    void this.releaseInput();
    this.send({ type: "stopped", by: this.side, paused: false });
  }

  /** The sharing side pauses from its own machine (R-S8: pause and stop from either side). */
  pauseHere(): boolean {
    if (this.state !== "sharing") return false;
    this.become("paused");
    this.pausedHere = true;
    void this.releaseInput();
    this.send({ type: "stopped", by: this.side, paused: true });
    return true;
  }

  /** Resumes a pause made on this machine; a stop, or the agent's pause, waits for the agent (R-S8). */
  async resumeHere(): Promise<boolean> {
    if (this.state !== "paused" || !this.pausedHere) return false;
    this.pausedHere = false; // a second press meanwhile resumes nothing more
    return this.share();
  }

  /** The agent who shows their own screen starts again after a stop (R-S8: only the agent restarts). */
  async restartHere(): Promise<boolean> {
    if (!this.options.presenting || this.state === "sharing" || this.state === "closed") return false;
    await this.onSharing("restart");
    return this.sharing === "sharing";
  }

  /** The customer's own annotations (R-V4) go to every viewer of the session. */
  sendAnnotations(diff: AnnotationDiff): void {
    this.send({ type: "annotations", diff });
  }

  /** The sharing side's own laser pointer (R-V4), for the viewers. */
  sendLaser(x: number, y: number): void {
    this.send({ type: "laser", x: Math.max(0, Math.round(x)), y: Math.max(0, Math.round(y)) });
  }

  async close(): Promise<void> {
    this.ws?.close(1000, "host closing");
    this.shutdown();
    await this.options.input?.releaseAll();
  }

  /** Starts or resumes sharing, unless the state changed while the monitors were read; whether it did. */
  private async share(): Promise<boolean> {
    const changes = this.changes;
    const monitors = await this.options.source.monitors();
    if (changes !== this.changes || this.closedMeanwhile()) return false;
    this.become("sharing");
    this.pausedHere = false;
    this.flow.requestKeyFrame();
    this.send({ type: "share", level: this.level, monitors: monitors.map((m) => ({ ...m })) });
    this.schedule();
    return true;
  }

  private async onMessage(m: ToHost | ScreenError): Promise<void> {
    switch (m.type) {
      case "ack":
        this.flow.acked(m.seq, performance.now());
        this.encoder.linkBitsPerSecond = this.flow.linkBitsPerSecond();
        return this.schedule();
      case "keyFrame":
        this.flow.requestKeyFrame();
        return this.schedule();
      case "input.pointer":
        return this.applyInput(this.bridge.pointer(m.x, m.y, m.buttons));
      case "input.key":
        return this.applyInput(this.bridge.key(m.key, m.down));
      case "annotations":
        this.options.onAnnotations?.(m.diff);
        return;
      case "laser":
        this.options.onLaser?.(m.x, m.y);
        return;
      case "sharing":
        return this.onSharing(m.action);
      case "colours": {
        // R-V6: a new encoder in the asked colour mode; the viewers start over from a key frame in that mode.
        const colourMode = m.colours === "256" ? "palette256" : "lossless";
        if (this.encoder.options.colourMode === colourMode) return;
        this.encoder = new FrameEncoder({ colourMode });
        this.flow.requestKeyFrame();
        return;
      }
      case "level": {
        // Switching level during the session needs the customer's confirmation again (R-S8). Paused or stopped
        // meanwhile, the new level waits for the restart: a `share` now would turn the screen back on.
        const level = await this.ask("level", m.level);
        if (!level) return;
        this.level = level;
        if (level === "view") await this.releaseInput();
        if (this.state !== "sharing") return;
        this.send({
          type: "share",
          level,
          monitors: (await this.options.source.monitors()).map((x) => ({ ...x })),
        });
        return;
      }
      case "error":
        this.log(`server: ${m.message}`);
        return;
    }
  }

  private async onSharing(action: "pause" | "stop" | "restart"): Promise<void> {
    if (this.state === "closed") return;
    if (this.state === "connecting") {
      // The customer is answering the first question: a pause or stop waits for the answer (a stop wins).
      if (action !== "restart" && this.held !== "stop") this.held = action;
      return;
    }
    if (action === "restart") {
      if (this.state === "sharing") return;
      const changes = this.changes;
      const level = await this.ask("restart", this.level);
      // A stop, pause or close while the customer answered is not undone by their yes.
      if (!level || changes !== this.changes) return;
      this.level = level;
      if (await this.share()) this.options.onRemoteSharing?.("sharing");
      return;
    }
    // A pause never turns a stop back into something the other side may resume.
    this.become(action === "pause" && this.state !== "stopped" ? "paused" : "stopped");
    this.pausedHere = false;
    await this.releaseInput();
    this.send({ type: "stopped", by: this.otherSide, paused: this.state === "paused" });
    this.options.onRemoteSharing?.(this.state === "paused" ? "paused" : "stopped");
  }

  /** Input is applied strictly in arrival order: a key must never overtake the click before it. */
  private applyInput(events: ReturnType<InputBridge["pointer"]>): Promise<void> {
    this.inputChain = this.inputChain.then(() => this.applyNow(events));
    return this.inputChain;
  }

  private async applyNow(events: ReturnType<InputBridge["pointer"]>): Promise<void> {
    const sink = this.options.input;
    // The host checks again what the server already checked: no control granted here, no input applied.
    if (!sink || this.state !== "sharing" || this.level !== "control") {
      this.stats.inputsRefused += events.length;
      return;
    }
    for (const e of events) await sink.apply(e);
    this.stats.inputsApplied += events.length;
  }

  private async releaseInput(): Promise<void> {
    this.bridge.reset();
    await this.options.input?.releaseAll();
  }

  /** Grabs and sends the next frame when the flow allows it, no faster than the frame-rate cap. */
  private schedule(): void {
    if (this.timer || this.grabbing || this.state !== "sharing" || !this.flow.canSend()) return;
    const interval = 1000 / (this.options.framesPerSecondMax ?? 30);
    const wait = Math.max(0, this.lastFrameAt + interval - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.sendFrame();
    }, wait);
  }

  private async sendFrame(): Promise<void> {
    if (this.state !== "sharing" || !this.flow.canSend()) return;
    this.grabbing = true;
    try {
      const { image } = await this.options.source.grab();
      if (this.flow.wantsKeyFrame()) this.encoder.requestKeyFrame();
      const encoded = this.encoder.encode(image);
      if (Result.isFailure(encoded)) {
        this.log(`encode failed: ${encoded.failure.message}`);
        return;
      }
      const { bytes, seq, key } = encoded.success;
      this.lastFrameAt = Date.now();
      this.flow.sent(seq, key, bytes.length, performance.now());
      this.stats.framesSent++;
      this.stats.bytesSent += bytes.length;
      if (key) this.stats.keyFrames++;
      for (const [name, n] of Object.entries(encoded.success.records))
        if (n > 0) this.stats.records[name] = (this.stats.records[name] ?? 0) + n;
      this.options.onSent?.(seq, cloneImage(image), key);
      this.ws?.send(bytes);
      await this.sendCursor();
    } finally {
      this.grabbing = false;
    }
    this.schedule();
  }

  /** The pointer travels beside the frames: its position when it moved, its picture when that changed. */
  private async sendCursor(): Promise<void> {
    const c = await this.options.source.cursor?.();
    if (c === undefined) return;
    if (
      c.serial !== this.cursorSerial &&
      c.width >= 1 &&
      c.width <= 256 &&
      c.height >= 1 &&
      c.height <= 256
    ) {
      this.cursorSerial = c.serial;
      this.send({
        type: "cursorShape",
        width: c.width,
        height: c.height,
        hotX: Math.min(255, c.hotX),
        hotY: Math.min(255, c.hotY),
        rgba: Buffer.from(c.rgba).toString("base64"),
      } satisfies CursorShape);
    }
    const x = Math.max(0, c.x);
    const y = Math.max(0, c.y);
    if (x === this.cursorAt[0] && y === this.cursorAt[1]) return;
    this.cursorAt = [x, y];
    this.send({ type: "cursor", x, y } satisfies CursorPosition);
  }

  /** The sharing side confirms, on its own machine, at the level stated (R-S8). */
  private ask(reason: ScreenQuestion["reason"], suggested: ControlLevel): Promise<ControlLevel | null> {
    return this.options.consent({
      reason,
      suggested,
      ...(this.options.presenting ? { presenting: true } : {}),
    });
  }

  private send(message: object): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  private shutdown(): void {
    this.become("closed");
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private log(line: string): void {
    this.options.log?.(line);
  }
}
