// The console's connection against a fake socket: handshake, ref → ack/error, reconnect with backoff (R-L1).
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { PROTOCOL_VERSION } from "../../protocol/messages/client.ts";
import { Connection, type ConnectionStatus, consoleProtocolVersion, RequestFailed } from "./connection.ts";

class FakeSocket {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: Record<string, unknown>[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((m: { data: string }) => void) | null = null;
  onclose: ((e: { code: number }) => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(text: string) {
    this.sent.push(JSON.parse(text));
  }
  close() {
    this.readyState = 3;
  }
  // test side
  serverOpen() {
    this.readyState = 1;
    this.onopen?.();
  }
  serverSend(m: Record<string, unknown>) {
    this.onmessage?.({ data: JSON.stringify(m) });
  }
  serverClose(code: number) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
}

const welcome = {
  type: "welcome",
  protocol: 1,
  role: "agent",
  heartbeatIntervalMs: 1,
  controlMessageMaxBytes: 1,
  messagesPerSecondMax: 1,
};

function connect() {
  const statuses: ConnectionStatus[] = [];
  const messages: unknown[] = [];
  const c = new Connection({
    url: "ws://x/ws",
    token: "tok",
    protocolVersion: 1,
    reconnectInitialMs: 100,
    reconnectMaxMs: 1_000,
    requestTimeoutMs: 5_000,
    onMessage: (m) => messages.push(m),
    onStatus: (s) => statuses.push(s),
    WebSocketImpl: FakeSocket as never,
  });
  c.start();
  return { c, statuses, messages };
}

describe("connection", () => {
  beforeEach(() => {
    FakeSocket.all = [];
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it("speaks the protocol's version", () => {
    expect(consoleProtocolVersion).toBe(PROTOCOL_VERSION);
  });

  it("R-L1: says hello with the token and is online at welcome", () => {
    const { c, statuses } = connect();
    const ws = FakeSocket.all[0]!;
    ws.serverOpen();
    expect(ws.sent[0]).toEqual({ type: "hello", protocol: 1, role: "agent", token: "tok" });
    ws.serverSend(welcome);
    expect(c.status).toEqual({ kind: "online", reconnected: false });
    expect(statuses[0]).toEqual({ kind: "connecting" });
  });

  it("answers a request's promise by its ref: ack data, or the server's error with the floor's reason", async () => {
    const { c } = connect();
    const ws = FakeSocket.all[0]!;
    ws.serverOpen();
    ws.serverSend(welcome);
    const ok = c.request({ type: "code.create", portalId: "p" });
    const bad = c.request({ type: "request.answer", requestId: "r" });
    const [m1, m2] = ws.sent.slice(1);
    ws.serverSend({ type: "ack", ref: m1!.ref, data: { display: "048-0290" } });
    ws.serverSend({
      type: "error",
      ref: m2!.ref,
      reason: "Rejected",
      message: "taken",
      detail: "alreadyAnswered",
    });
    await expect(ok).resolves.toEqual({ display: "048-0290" });
    await expect(bad).rejects.toMatchObject({ reason: "Rejected", detail: "alreadyAnswered" });
  });

  it("R-L1: a lost connection reconnects by itself with growing delays and shows that it did", async () => {
    const { c, statuses } = connect();
    FakeSocket.all[0]!.serverOpen();
    FakeSocket.all[0]!.serverSend(welcome);
    const pending = c.request({ type: "chat.send" });
    FakeSocket.all[0]!.serverClose(1006);
    await expect(pending).rejects.toBeInstanceOf(RequestFailed);
    expect(c.status.kind).toBe("reconnecting");
    vi.advanceTimersByTime(100);
    expect(FakeSocket.all).toHaveLength(2);
    FakeSocket.all[1]!.serverClose(1006);
    vi.advanceTimersByTime(199);
    expect(FakeSocket.all).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.all).toHaveLength(3);
    FakeSocket.all[2]!.serverOpen();
    FakeSocket.all[2]!.serverSend(welcome);
    expect(statuses.at(-1)).toEqual({ kind: "online", reconnected: true });
  });

  it("R-A5: a logged-out close does not retry", () => {
    const { c } = connect();
    FakeSocket.all[0]!.serverOpen();
    FakeSocket.all[0]!.serverSend(welcome);
    FakeSocket.all[0]!.serverClose(4001);
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.all).toHaveLength(1);
    expect(c.status).toEqual({ kind: "loggedOut", reason: "LoggedOut" });
  });
});
