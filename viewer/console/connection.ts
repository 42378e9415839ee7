// The console's one WebSocket: `hello` with the agent's token, `ref` → ack/error promises, and automatic reconnect
// with exponential backoff and a visible status (R-L1). Knows the envelope of the protocol, not its meaning.
import type { ServerMessage } from "../../protocol/messages/server.ts";

export type ConnectionStatus =
  | { kind: "connecting" }
  | { kind: "online"; reconnected: boolean }
  | { kind: "reconnecting"; retryAt: number; attempt: number }
  /** The server refused the token or the agent logged out: no retry, back to the sign-in page. */
  | { kind: "loggedOut"; reason: string }
  | { kind: "stopped" };

export interface ConnectionOptions {
  url: string;
  token: string;
  protocolVersion: number;
  /** First retry delay after a lost connection; doubles on each failure up to `reconnectMaxMs`. */
  reconnectInitialMs: number;
  reconnectMaxMs: number;
  /** An answer (ack/error) that does not come within this rejects its promise. */
  requestTimeoutMs: number;
  onMessage: (message: ServerMessage) => void;
  onStatus: (status: ConnectionStatus) => void;
  /** For tests: a WebSocket-compatible constructor and a clock. */
  WebSocketImpl?: new (
    url: string,
  ) => WebSocket;
  now?: () => number;
}

/**
 * The protocol version the console speaks (protocol/messages/client.ts PROTOCOL_VERSION). A copy, so the browser
 * bundle does not pull in the schemas; connection.test.ts checks the two agree.
 */
export const consoleProtocolVersion = 1;

export const defaultConnectionTimings = {
  reconnectInitialMs: 500,
  reconnectMaxMs: 15_000,
  requestTimeoutMs: 15_000,
} as const;

/** A message that did not take effect: the server's `error` (reason, message, floor `detail`) or a local failure. */
export class RequestFailed extends Error {
  constructor(
    readonly reason: string,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
  }
}

/** Close codes after which retrying cannot help (protocol/messages/errors.ts). */
const finalCloseCodes = new Map<number, string>([
  [4001, "LoggedOut"],
  [4401, "NotAuthenticated"],
  [4426, "UnsupportedVersion"],
  [4400, "BadHandshake"],
]);

interface Pending {
  resolve: (data: Record<string, unknown>) => void;
  reject: (error: RequestFailed) => void;
  timer: ReturnType<typeof setTimeout>;
}

export class Connection {
  private ws: WebSocket | null = null;
  private readonly pending = new Map<string, Pending>();
  private nextRef = 1;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private everOnline = false;
  private stopped = false;
  status: ConnectionStatus = { kind: "connecting" };

  constructor(private readonly o: ConnectionOptions) {}

  start(): void {
    this.stopped = false;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.ws?.close(1000, "bye");
    this.ws = null;
    this.failAll("Stopped", "the console closed the connection");
    this.setStatus({ kind: "stopped" });
  }

  /** Sends a message with a fresh `ref`; resolves with the ack's `data`, rejects with the server's error. */
  request(message: { type: string } & Record<string, unknown>): Promise<Record<string, unknown>> {
    const ws = this.ws;
    if (ws?.readyState !== 1 || this.status.kind !== "online") {
      return Promise.reject(new RequestFailed("Disconnected", "not connected"));
    }
    const ref = `c${this.nextRef++}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(ref);
        reject(new RequestFailed("Timeout", "no answer from the server"));
      }, this.o.requestTimeoutMs);
      this.pending.set(ref, { resolve, reject, timer });
      ws.send(JSON.stringify({ ...message, ref }));
    });
  }

  /** Reconnect now (the status line's "retry" and the tests). */
  retryNow(): void {
    if (this.status.kind !== "reconnecting") return;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.open();
  }

  private now(): number {
    return this.o.now?.() ?? Date.now();
  }

  private setStatus(s: ConnectionStatus): void {
    this.status = s;
    this.o.onStatus(s);
  }

  private open(): void {
    const Impl = this.o.WebSocketImpl ?? WebSocket;
    const ws = new Impl(this.o.url);
    this.ws = ws;
    if (!this.everOnline) this.setStatus({ kind: "connecting" });
    ws.onopen = () => {
      ws.send(
        JSON.stringify({
          type: "hello",
          protocol: this.o.protocolVersion,
          role: "agent",
          token: this.o.token,
        }),
      );
    };
    ws.onmessage = (m: MessageEvent) => {
      if (typeof m.data !== "string") return;
      let message: ServerMessage;
      try {
        message = JSON.parse(m.data) as ServerMessage;
      } catch {
        return;
      }
      this.receive(message);
    };
    ws.onclose = (e: CloseEvent) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.failAll("Disconnected", "the connection was lost");
      if (this.stopped) return;
      const final = finalCloseCodes.get(e.code);
      if (final) {
        this.setStatus({ kind: "loggedOut", reason: final });
        return;
      }
      this.scheduleRetry();
    };
    ws.onerror = () => {};
  }

  private receive(message: ServerMessage): void {
    if (message.type === "welcome") {
      const reconnected = this.everOnline;
      this.everOnline = true;
      this.attempt = 0;
      this.setStatus({ kind: "online", reconnected });
    }
    if (
      (message.type === "ack" || message.type === "error") &&
      message.ref &&
      this.pending.has(message.ref)
    ) {
      const p = this.pending.get(message.ref)!;
      this.pending.delete(message.ref);
      clearTimeout(p.timer);
      if (message.type === "ack") p.resolve((message.data as Record<string, unknown>) ?? {});
      else p.reject(new RequestFailed(message.reason, message.message, message.detail));
      return;
    }
    // The transcript answers `session.transcript` by ref too, with its own message type.
    if (message.type === "transcript" && message.ref && this.pending.has(message.ref)) {
      const p = this.pending.get(message.ref)!;
      this.pending.delete(message.ref);
      clearTimeout(p.timer);
      p.resolve({ lines: message.lines });
    }
    this.o.onMessage(message);
  }

  private scheduleRetry(): void {
    const delay = Math.min(this.o.reconnectMaxMs, this.o.reconnectInitialMs * 2 ** this.attempt);
    this.attempt += 1;
    this.setStatus({ kind: "reconnecting", retryAt: this.now() + delay, attempt: this.attempt });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopped) this.open();
    }, delay);
  }

  private failAll(reason: string, message: string): void {
    for (const [ref, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new RequestFailed(reason, message));
      this.pending.delete(ref);
    }
  }
}
