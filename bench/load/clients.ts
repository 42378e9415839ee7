// The Node side of the scenario logic: one ws socket per client, JSON framing, and the injected `io` (clock, timers,
// checks, trends, counters, notes) recorded by the run's Recorder. Lightweight: one closure per client, no buffering.
import { performance } from "node:perf_hooks";
import WebSocket from "ws";
import type { Io } from "./logic/io.js";
import type { Recorder } from "./recorder.ts";

/** A server message or recorded event, matched loosely by shape (the logic modules check what they read). */
// biome-ignore lint/suspicious/noExplicitAny: messages are matched by shape, as in server/testing.ts
export type Loose = any;

export type Note = { kind: string; data: Record<string, unknown> };

export interface Harness {
  recorder: Recorder;
  notes: Note[];
  /** Set when the run ends: timers stop firing. */
  stopped: boolean;
}

/** The shared clock: one process, so a stamp written by one client is read on the same timeline by another. */
export const now = () => performance.timeOrigin + performance.now();

export interface Socket {
  ws: WebSocket;
  io: Io;
  /** Messages go here; replaced when a scenario takes the socket over. */
  onMessage: (m: Loose) => void;
  onClose: (code: number) => void;
}

/** How a connection attempt ended before any message: opened, refused by admission (503/1013), or failed. */
export type OpenOutcome = { ok: true } | { ok: false; status: number | null; error: string };

export function openSocket(wsUrl: string, h: Harness): { socket: Socket; opened: Promise<OpenOutcome> } {
  const ws = new WebSocket(wsUrl, { perMessageDeflate: false });
  const r = h.recorder;
  const io: Io = {
    send: (m) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(m));
    },
    close: () => ws.close(),
    now,
    random: Math.random,
    after: (ms, fn) => {
      setTimeout(() => {
        if (!h.stopped) fn();
      }, ms);
    },
    check: (name, ok) => r.check(name, ok),
    trend: (name, ms) => r.trend(name, ms),
    counter: (name, n) => r.counter(name, n),
    note: (kind, data) => h.notes.push({ kind, data }),
  };
  const socket: Socket = { ws, io, onMessage: () => {}, onClose: () => {} };
  ws.on("message", (data, isBinary) => {
    if (isBinary) return;
    socket.onMessage(JSON.parse(String(data)));
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
