// The console's end of the tools socket (`/tools`, protocol/tools/README.md), the browser twin of host/tools/toolLink.ts:
// hello with the agent's token, every server message decoded once, `ref` → ack/error promises, reconnection after a
// dropped connection until the session ends.
import * as Result from "effect/Result";
import {
  decodeToolServerMessage,
  isFinalToolClose,
  PendingAnswers,
  readChunkHeader,
  TOOLS_PROTOCOL_VERSION,
  type ToolClientMessage,
  ToolRefused,
  type ToolServerMessage,
  type ToolServerMessageOf,
} from "../../../protocol/tools/index.ts";

export type Welcome = ToolServerMessageOf<"tools.welcome">;
export type LinkState = "connecting" | "online" | "down" | "ended";

export const reconnectDelaysMs = [200, 500, 1_000, 2_000, 5_000] as const;

export { ToolRefused };

/** The tools URL next to the page: `ws(s)://<this server>/tools` (the server checks the page's Origin). */
export function toolsUrl(): string {
  const url = new URL("/tools", location.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.toString();
}

export class ToolsLink {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private stopped = false;
  private readonly pending = new PendingAnswers("c");
  private readonly messageListeners = new Set<(m: ToolServerMessage) => void>();
  private readonly binaryListeners = new Set<(bytes: Uint8Array) => void>();
  private readonly stateListeners = new Set<(s: LinkState) => void>();
  welcome: Welcome | null = null;
  /** The customer's grants as last told (welcome, then `tool.granted`). */
  grants: Record<string, boolean> = {};
  hostPresent = false;
  state: LinkState = "connecting";

  constructor(
    private readonly url: string,
    private readonly sessionId: string,
    private readonly token: string,
  ) {}

  start(): void {
    this.connect();
  }

  get connected(): boolean {
    return this.ws?.readyState === WebSocket.OPEN && this.welcome !== null;
  }

  onMessage(fn: (m: ToolServerMessage) => void): void {
    this.messageListeners.add(fn);
  }
  onBinary(fn: (bytes: Uint8Array) => void): void {
    this.binaryListeners.add(fn);
  }
  onState(fn: (s: LinkState) => void): void {
    this.stateListeners.add(fn);
  }

  private setState(s: LinkState): void {
    this.state = s;
    for (const fn of this.stateListeners) fn(s);
  }

  private connect(): void {
    const ws = new WebSocket(this.url);
    ws.binaryType = "arraybuffer";
    this.ws = ws;
    this.welcome = null;
    ws.onopen = () =>
      this.raw({
        type: "tools.hello",
        protocol: TOOLS_PROTOCOL_VERSION,
        sessionId: this.sessionId,
        role: "agent",
        token: this.token,
      });
    ws.onmessage = (e) => {
      if (ws !== this.ws) return;
      if (typeof e.data !== "string") {
        const bytes = new Uint8Array(e.data as ArrayBuffer);
        if (Result.isSuccess(readChunkHeader(bytes))) for (const fn of this.binaryListeners) fn(bytes);
        return;
      }
      const d = decodeToolServerMessage(e.data);
      if (d.ok) this.receive(d.message);
    };
    ws.onclose = (e) => {
      if (ws !== this.ws) return;
      this.welcome = null;
      this.pending.dropAll();
      // Refusals and the session's end are final; anything else is a dropped connection: come back.
      if (this.stopped || isFinalToolClose(e.code)) {
        this.stopped = true;
        this.setState("ended");
        return;
      }
      this.setState("down");
      const delay = reconnectDelaysMs[Math.min(this.attempt++, reconnectDelaysMs.length - 1)]!;
      setTimeout(() => {
        if (!this.stopped) this.connect();
      }, delay);
    };
  }

  private receive(m: ToolServerMessage): void {
    if (m.type === "tools.welcome") {
      this.welcome = m;
      this.grants = { ...m.grants };
      this.hostPresent = m.hostPresent;
      this.attempt = 0;
      this.setState("online");
    } else if (m.type === "tool.granted") this.grants = { ...m.grants };
    else if (m.type === "tools.peer" && m.role === "host") this.hostPresent = m.present;
    else if (this.pending.settle(m)) return;
    for (const fn of this.messageListeners) fn(m);
  }

  private raw(m: ToolClientMessage): void {
    this.ws?.send(JSON.stringify(m));
  }

  /** Sends without waiting for an answer (false when not connected). */
  send(m: ToolClientMessage): boolean {
    if (!this.connected) return false;
    this.raw(m);
    return true;
  }

  /** Sends with a fresh ref; resolves with the ack's data, rejects with a ToolRefused. */
  request(m: ToolClientMessage): Promise<Record<string, unknown>> {
    if (!this.connected) return Promise.reject(new ToolRefused("Disconnected", "not connected"));
    const { ref, answer } = this.pending.open();
    this.raw({ ...m, ref } as ToolClientMessage);
    return answer;
  }

  sendBinary(bytes: Uint8Array): boolean {
    if (!this.connected) return false;
    this.ws!.send(bytes as Uint8Array<ArrayBuffer>);
    return true;
  }

  /** Resolves with the next message of this type that matches; rejects if the session ends first. */
  next<T extends ToolServerMessage["type"]>(
    type: T,
    pred: (m: ToolServerMessageOf<T>) => boolean = () => true,
  ): Promise<ToolServerMessageOf<T>> {
    return new Promise((resolve, reject) => {
      const on = (m: ToolServerMessage) => {
        if (m.type === type && pred(m as ToolServerMessageOf<T>)) {
          this.messageListeners.delete(on);
          this.stateListeners.delete(onState);
          resolve(m as ToolServerMessageOf<T>);
        }
      };
      const onState = (s: LinkState) => {
        if (s !== "ended") return;
        this.messageListeners.delete(on);
        this.stateListeners.delete(onState);
        reject(new ToolRefused("SessionEnded", "the session ended"));
      };
      this.messageListeners.add(on);
      this.stateListeners.add(onState);
    });
  }

  /** Closes for good (no reconnection). */
  stop(): void {
    this.stopped = true;
    this.ws?.close(1000);
  }
}
