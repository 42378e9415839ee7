// The Node side of the scenario logic: one ws socket per client, JSON framing, and the injected `io` (clock, timers,
// checks, trends, counters, notes) recorded by the worker's Recorder. Lightweight: one closure per client, timers on
// the worker's single tick loop, no UTF-8 re-validation, and messages a client would ignore are dropped unparsed.
import { performance } from "node:perf_hooks";
import WebSocket from "ws";
import type { Io } from "./logic/io.js";
import type { Recorder } from "./recorder.ts";
import type { Ticker } from "./ticker.ts";

/** A server message or recorded event, matched loosely by shape (the logic modules check what they read). */
// biome-ignore lint/suspicious/noExplicitAny: messages are matched by shape, as in server/testing.ts
export type Loose = any;

export type Note = { kind: string; data: Record<string, unknown> };

export interface Harness {
  recorder: Recorder;
  /** Where the clients' observations go (the worker keeps them compact for the cross-client checks). */
  note: (kind: string, data: Record<string, unknown>) => void;
  ticker: Ticker;
}

/**
 * The shared clock. Every worker thread has its own `performance.timeOrigin`, but origin + now() is the same
 * wall-clock timeline in every thread of the process (checked to well under a millisecond), so a stamp written by
 * a client in one worker is read on the same timeline by a client in another.
 */
export const now = () => performance.timeOrigin + performance.now();

export interface Socket {
  ws: WebSocket;
  io: Io;
  /** Messages go here; replaced when a scenario takes the socket over. */
  onMessage: (m: Loose) => void;
  onClose: (code: number) => void;
  /** Raw frames this client would ignore anyway (its own chat echoed back): dropped before JSON.parse. */
  skip: ((text: string) => boolean) | null;
}

/** How a connection attempt ended before any message: opened, refused by admission (503/1013), or failed. */
export type OpenOutcome = { ok: true } | { ok: false; status: number | null; error: string };

export function openSocket(wsUrl: string, h: Harness): { socket: Socket; opened: Promise<OpenOutcome> } {
  const ws = new WebSocket(wsUrl, { perMessageDeflate: false, skipUTF8Validation: true });
  const r = h.recorder;
  const io: Io = {
    send: (m) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(m));
    },
    close: () => ws.close(),
    now,
    random: Math.random,
    after: (ms, fn) => h.ticker.after(ms, fn),
    check: (name, ok, why) => r.check(name, ok, why),
    trend: (name, ms) => r.trend(name, ms),
    counter: (name, n) => r.counter(name, n),
    note: h.note,
  };
  const socket: Socket = { ws, io, onMessage: () => {}, onClose: () => {}, skip: null };
  ws.on("message", (data: Buffer, isBinary) => {
    if (isBinary) return;
    const text = data.toString();
    if (socket.skip?.(text)) return;
    socket.onMessage(JSON.parse(text));
  });
  ws.on("close", (code) => socket.onClose(code));
  const opened = new Promise<OpenOutcome>((resolve) => {
    ws.once("open", () => resolve({ ok: true }));
    ws.once("unexpected-response", (_req, res) => {
      resolve({ ok: false, status: res.statusCode ?? null, error: `HTTP ${res.statusCode}` });
      res.resume();
      ws.terminate();
    });
    ws.once("error", (err) => resolve({ ok: false, status: null, error: err.message }));
    ws.once("close", (code) => resolve({ ok: false, status: code, error: `closed ${code}` }));
  });
  ws.on("error", () => {});
  return { socket, opened };
}
