// One end of the tools socket (`/tools`) in Node — the customer's host, or an agent's process: says hello, decodes
// every message once, answers `ref`s, and reconnects after a dropped connection until the session ends.
import { EventEmitter } from "node:events";
import WebSocket from "ws";
import {
  decodeToolServerMessage,
  isFinalToolClose,
  PendingAnswers,
  TOOLS_PROTOCOL_VERSION,
  type ToolClientMessage,
  ToolRefused,
  type ToolServerMessage,
  type ToolServerMessageOf,
} from "../../protocol/tools/index.ts";

export interface ToolLinkOptions {
  /** The server's tools URL, `ws://host:port/tools` (derived from the host command's `--server …/ws`). */
  url: string;
  sessionId: string;
  role: "host" | "agent";
  key?: string;
  token?: string;
  /** First hello says the host is back from a restart (R-T5). */
  resume?: boolean;
  /** Waits between reconnection attempts, growing to the last. */
  reconnectDelaysMs: readonly number[];
  /** Called with every message sent and received (tests assert on it, e.g. the credentials canary). */
  tap?: (direction: "out" | "in", data: string | Uint8Array) => void;
}

export const defaultReconnectDelaysMs = [50, 200, 500, 1_000, 2_000] as const;

/** Tools URL from the host command's `--server ws(s)://…/ws`. */
export const toolsUrlOf = (server: string): string =>
  `${server.replace(/\/ws\/?$/, "").replace(/\/$/, "")}/tools`;

export { ToolRefused };

/**
 * Events: `welcome` (each (re)connection), `message` (every decoded server message), `binary` (chunk bytes),
 * `down` (connection lost, will retry), `ended` (session over or refused for good: no retry).
 */
export class ToolLink extends EventEmitter {
  private ws: WebSocket | null = null;
  private readonly pending = new PendingAnswers("t");
  private stopped = false;
  private attempt = 0;
  welcome: ToolServerMessageOf<"tools.welcome"> | null = null;

  constructor(private readonly options: ToolLinkOptions) {
    super();
  }

  /** Connects; resolves with the first welcome, rejects if the first hello is refused. */
  start(): Promise<ToolServerMessageOf<"tools.welcome">> {
    return new Promise((resolve, reject) => {
      const onWelcome = (w: ToolServerMessageOf<"tools.welcome">) => {
        this.off("ended", onEnded);
        resolve(w);
      };
      const onEnded = (why: string) => {
        this.off("welcome", onWelcome);
        reject(new ToolRefused("Ended", why));
      };
      this.once("welcome", onWelcome);
      this.once("ended", onEnded);
      this.connect(this.options.resume ?? false);
    });
  }

  get connected(): boolean {
    return this.ws?.readyState === WebSocket.OPEN && this.welcome !== null;
  }

  private connect(resume: boolean): void {
    const ws = new WebSocket(this.options.url, {
      perMessageDeflate: false,
      // Masking protects proxies' caches from scripts in browsers; this is a Node process (and wss hides the bytes
      // anyway), so a zero mask lets both ends skip the XOR pass over every file chunk (ws documents this use).
      generateMask: (mask) => mask.fill(0),
    });
    this.ws = ws;
    this.welcome = null;
    ws.binaryType = "nodebuffer";
    ws.on("open", () => {
      const { sessionId, role, key, token } = this.options;
      this.raw({
        type: "tools.hello",
        protocol: TOOLS_PROTOCOL_VERSION,
        sessionId,
        role,
        ...(key ? { key } : {}),
        ...(token ? { token } : {}),
        ...(resume ? { resume: true } : {}),
      });
    });
    ws.on("message", (data, isBinary) => {
      if (ws !== this.ws) return;
      if (isBinary) {
        this.options.tap?.("in", data as Buffer);
        this.emit("binary", data as Buffer);
        return;
      }
      const text = String(data);
      this.options.tap?.("in", text);
      const d = decodeToolServerMessage(text);
      if (!d.ok) return;
      this.receive(d.message);
    });
    ws.on("close", (code, reason) => {
      if (ws !== this.ws) return;
      this.welcome = null;
      this.pending.dropAll();
      // Refusals and the session's end are final; anything else is a dropped connection: come back.
      if (this.stopped || isFinalToolClose(code)) {
        this.stopped = true;
        this.emit("ended", `${code} ${String(reason)}`);
        return;
      }
      this.emit("down");
      const delays = this.options.reconnectDelaysMs;
      const delay = delays[Math.min(this.attempt++, delays.length - 1)]!;
      setTimeout(() => {
        if (!this.stopped) this.connect(resume);
      }, delay).unref();
    });
    ws.on("error", () => {});
  }

  private receive(m: ToolServerMessage): void {
    if (m.type === "tools.welcome") {
      this.welcome = m;
      this.attempt = 0;
      this.emit("welcome", m);
      return;
    }
    if (!this.pending.settle(m)) this.emit("message", m);
  }

  private raw(m: ToolClientMessage): void {
    const text = JSON.stringify(m);
    this.options.tap?.("out", text);
    this.ws?.send(text);
  }

  /** Sends without waiting for an answer (false when not connected). */
  send(m: ToolClientMessage): boolean {
    if (!this.connected) return false;
    this.raw(m);
    return true;
  }

  /** Sends with a fresh ref; resolves with the ack's data, rejects with the error's reason. */
  request(m: ToolClientMessage): Promise<Record<string, unknown>> {
    if (!this.connected) return Promise.reject(new ToolRefused("Disconnected", "not connected"));
    const { ref, answer } = this.pending.open();
    this.raw({ ...m, ref } as ToolClientMessage);
    return answer;
  }

  sendBinary(bytes: Uint8Array): boolean {
    if (!this.connected) return false;
    this.options.tap?.("out", bytes);
    this.ws!.send(bytes, { binary: true });
    return true;
  }

  /** Bytes queued on the socket: the sender pauses reading files while this is high. */
  bufferedAmount(): number {
    return this.ws?.bufferedAmount ?? 0;
  }

  /** Resolves with the next message of this type that matches (already-sent ones are not replayed). */
  next<T extends ToolServerMessage["type"]>(
    type: T,
    pred: (m: ToolServerMessageOf<T>) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<ToolServerMessageOf<T>> {
    return new Promise((resolve, reject) => {
      const on = (m: ToolServerMessage) => {
        if (m.type === type && pred(m as ToolServerMessageOf<T>)) {
          clearTimeout(timer);
          this.off("message", on);
          resolve(m as ToolServerMessageOf<T>);
        }
      };
      const timer = setTimeout(() => {
        this.off("message", on);
        reject(new Error(`timed out waiting for ${type}`));
      }, timeoutMs);
      this.on("message", on);
    });
  }

  /** Closes for good (no reconnection). */
  stop(): void {
    this.stopped = true;
    this.ws?.close(1000);
  }

  /** Drops the connection as a network fault would (tests); the link reconnects. */
  drop(): void {
    this.ws?.terminate();
  }
}
