// File transfers in the console (R-T1), the browser twin of host/tools/fileTransfers.ts: files read slice by slice into
// TNDX chunks under the channel's window of unacknowledged bytes, SHA-256 hashed as they pass; incoming files kept as
// Blob parts, hashed as they arrive, checked against the sender's hash and offered as a download. After a dropped
// connection the receiver says what it has and the sender goes on from there.
import * as Result from "effect/Result";
import {
  CHUNK_HEADER_BYTES,
  type OfferedFile,
  readChunkHeader,
  SendWindow,
  type ToolServerMessage,
  type ToolServerMessageOf,
  writeChunk,
} from "../../../protocol/tools/index.ts";
import { Sha256 } from "./sha256.ts";
import { ToolRefused, type ToolsLink } from "./toolsLink.ts";

export type Purpose = "files" | "clipboard" | "diagnostics";
export type TransferState =
  | "offered"
  | "waiting"
  | "flowing"
  | "interrupted"
  | "done"
  | "mismatch"
  | "declined"
  | "cancelled"
  | "failed";

/** What the panel shows of one transfer, in either direction. */
export interface TransferView {
  id: number;
  direction: "send" | "receive";
  purpose: Purpose;
  by: string;
  files: readonly OfferedFile[];
  diagnosticsId?: number;
  state: TransferState;
  bytes: number;
  total: number;
  reason?: string;
  /** Receiving: the files ticked; afterwards the ones whose hash matched, as Blobs. */
  accepted: number[];
  blobs: Map<number, Blob>;
}

export const chunkBytes = 512 * 1024;
export const windowBytes = 8 * 1_048_576;

interface Sending {
  view: TransferView;
  blobs: Blob[];
  window: SendWindow;
  done: (r: { transferId: number; ok: boolean; bytes: number }) => void;
  fail: (e: Error) => void;
}

interface Receiving {
  view: TransferView;
  parts: Map<number, Uint8Array[]>;
  received: Map<number, number>;
  hashes: Map<number, Sha256>;
  verified: Set<number>;
  expected: Map<number, string>;
  interrupted: boolean;
}

export class ToolTransfers {
  readonly views = new Map<number, TransferView>();
  private readonly sending = new Map<number, Sending>();
  private readonly receiving = new Map<number, Receiving>();
  private readonly early = new Map<number, ToolServerMessage[]>();
  private readonly listeners = new Set<(v: TransferView) => void>();

  constructor(private readonly link: ToolsLink) {
    link.onMessage((m) => this.message(m));
    link.onBinary((b) => this.binary(b));
    link.onState((s) => {
      if (s === "down") {
        for (const x of this.sending.values()) x.window.stop();
        for (const r of this.receiving.values()) this.interrupt(r);
      }
      if (s === "online") void this.resume();
    });
  }

  /** Called with a transfer whenever it changes (offered, progress, state). */
  onChange(fn: (v: TransferView) => void): void {
    this.listeners.add(fn);
  }

  private changed(v: TransferView): void {
    for (const fn of this.listeners) fn(v);
  }

  private get chunk(): number {
    return Math.min(chunkBytes, this.link.welcome?.limits.chunkBytesMax ?? chunkBytes);
  }
  private get window(): number {
    return Math.min(windowBytes, this.link.welcome?.limits.transferWindowBytes ?? windowBytes);
  }

  // ——— sending ———

  /** Offers files (or one clipboard); resolves when the customer's host has checked them, rejects when refused. */
  async send(
    files: readonly { name: string; blob: Blob; mime?: string; path?: string[] }[],
    purpose: "files" | "clipboard",
  ): Promise<{ transferId: number; ok: boolean; bytes: number }> {
    const offered: OfferedFile[] = files.map((f) => ({
      // A folder's files carry their path inside it (display-only on the other side: protocol/tools/names.ts).
      path: f.path?.length ? f.path : [f.name || "file"],
      size: f.blob.size,
      ...(f.mime ? { mime: f.mime.slice(0, 100) } : {}),
    }));
    const data = await this.link.request({ type: "file.offer", purpose, files: offered });
    const id = data.transferId as number;
    const view: TransferView = {
      id,
      direction: "send",
      purpose,
      by: "",
      files: offered,
      state: "waiting",
      bytes: 0,
      total: offered.reduce((n, f) => n + f.size, 0),
      accepted: [],
      blobs: new Map(),
    };
    this.views.set(id, view);
    this.changed(view);
    return new Promise((resolve, reject) => {
      this.sending.set(id, {
        view,
        blobs: files.map((f) => f.blob),
        window: new SendWindow(),
        done: resolve,
        fail: reject,
      });
      for (const m of this.early.get(id) ?? []) this.message(m);
      this.early.delete(id);
    });
  }

  private async pump(s: Sending, starts: readonly { index: number; offset: number }[]): Promise<void> {
    const current = s.window.restart();
    const live = () => current() && this.sending.has(s.view.id);
    const v = s.view;
    v.state = "flowing";
    v.accepted = starts.map((x) => x.index);
    v.total = starts.reduce((n, x) => n + (v.files[x.index]?.size ?? 0), 0);
    v.bytes = starts.reduce((n, x) => n + x.offset, 0);
    this.changed(v);
    for (const { index, offset } of [...starts].sort((a, b) => a.index - b.index)) {
      const blob = s.blobs[index];
      if (!blob) continue;
      const hash = new Sha256();
      // Resuming: the hash covers the bytes the receiver already has, read again here.
      for (let at = 0; at < offset; at += 4 * 1_048_576)
        hash.update(new Uint8Array(await blob.slice(at, Math.min(offset, at + 4 * 1_048_576)).arrayBuffer()));
      s.window.startFile(index, offset);
      for (let at = offset; at < blob.size; ) {
        const n = Math.min(this.chunk, blob.size - at);
        await s.window.room(n, this.window, live);
        if (!live()) return;
        const payload = new Uint8Array(await blob.slice(at, at + n).arrayBuffer());
        if (!live()) return;
        hash.update(payload);
        if (
          !this.link.sendBinary(
            writeChunk({ kind: "data", transferId: v.id, fileIndex: index, offset: at }, payload),
          )
        )
          return; // dropped: the receiver resumes us with file.accept
        at += n;
        s.window.sentUpTo(index, at);
        v.bytes += n;
        this.changed(v);
      }
      if (!live()) return;
      this.link.send({ type: "file.sent", transferId: v.id, index, sha256: hash.hex() });
    }
  }

  private failSend(s: Sending, state: TransferState, e: Error): void {
    if (!this.sending.delete(s.view.id)) return;
    s.window.stop();
    s.view.state = state;
    s.view.reason = e.message;
    this.changed(s.view);
    s.fail(e);
  }

  // ——— receiving ———

  private offered(m: ToolServerMessageOf<"file.offered">): void {
    const view: TransferView = {
      id: m.transferId,
      direction: "receive",
      purpose: m.purpose,
      by: m.by,
      files: m.files,
      ...(m.diagnosticsId !== undefined ? { diagnosticsId: m.diagnosticsId } : {}),
      state: "offered",
      bytes: 0,
      total: m.files.reduce((n, f) => n + f.size, 0),
      accepted: [],
      blobs: new Map(),
    };
    this.views.set(m.transferId, view);
    this.changed(view);
  }

  /** The agent ticked these files: bytes start flowing. */
  async accept(transferId: number, indexes: readonly number[]): Promise<void> {
    const view = this.views.get(transferId);
    if (view?.direction !== "receive" || view.state !== "offered") return;
    const accepted = indexes.filter((i) => view.files[i]);
    if (accepted.length === 0) return this.decline(transferId, "nothing ticked");
    const r: Receiving = {
      view,
      parts: new Map(accepted.map((i) => [i, []])),
      received: new Map(accepted.map((i) => [i, 0])),
      hashes: new Map(accepted.map((i) => [i, new Sha256()])),
      verified: new Set(),
      expected: new Map(),
      interrupted: false,
    };
    this.receiving.set(transferId, r);
    view.accepted = accepted;
    view.total = accepted.reduce((n, i) => n + view.files[i]!.size, 0);
    view.state = "flowing";
    this.changed(view);
    try {
      await this.link.request({
        type: "file.accept",
        transferId,
        files: accepted.map((index) => ({ index, offset: 0 })),
      });
    } catch (e) {
      this.receiving.delete(transferId);
      view.state = "failed";
      view.reason = (e as Error).message;
      this.changed(view);
    }
  }

  async decline(transferId: number, reason = "declined by the agent"): Promise<void> {
    const view = this.views.get(transferId);
    if (view?.state !== "offered") return;
    view.state = "declined";
    view.reason = reason;
    this.changed(view);
    await this.link.request({ type: "file.decline", transferId, reason }).catch(() => {});
  }

  cancel(transferId: number): void {
    this.link.send({ type: "file.cancel", transferId, reason: "cancelled by the agent" });
  }

  private binary(bytes: Uint8Array): void {
    const parsed = readChunkHeader(bytes);
    if (Result.isFailure(parsed)) return;
    const h = parsed.success;
    if (h.kind === "ack") {
      const s = this.sending.get(h.transferId);
      s?.window.ack(h.fileIndex, h.offset);
      return;
    }
    const r = this.receiving.get(h.transferId);
    const at = r?.received.get(h.fileIndex);
    const file = r?.view.files[h.fileIndex];
    // Duplicates after a resume, or chunks of a cancelled transfer, are dropped.
    if (!r || at === undefined || !file || h.offset !== at || at + h.length > file.size) return;
    const payload = bytes.slice(CHUNK_HEADER_BYTES);
    r.parts.get(h.fileIndex)!.push(payload);
    r.hashes.get(h.fileIndex)!.update(payload);
    r.received.set(h.fileIndex, at + h.length);
    this.link.sendBinary(
      writeChunk({ kind: "ack", transferId: h.transferId, fileIndex: h.fileIndex, offset: at + h.length }),
    );
    r.view.bytes += h.length;
    this.changed(r.view);
    const expected = r.expected.get(h.fileIndex);
    if (expected) this.verify(r, h.fileIndex, expected);
  }

  private verify(r: Receiving, index: number, expected: string): void {
    const file = r.view.files[index];
    const hash = r.hashes.get(index);
    if (!file || !hash || r.verified.has(index) || r.received.get(index) !== file.size) return;
    r.verified.add(index);
    const sha256 = hash.hex();
    const ok = sha256 === expected;
    if (ok) r.view.blobs.set(index, new Blob(r.parts.get(index) as BlobPart[], { type: file.mime ?? "" }));
    r.parts.delete(index);
    this.link.send({ type: "file.verified", transferId: r.view.id, index, sha256, ok });
  }

  private interrupt(r: Receiving): void {
    r.interrupted = true;
    if (r.view.state === "flowing") {
      r.view.state = "interrupted";
      this.changed(r.view);
    }
  }

  /** After a reconnection (ours or the sender's): every interrupted incoming transfer goes on from what we have. */
  private async resume(): Promise<void> {
    for (const r of this.receiving.values()) {
      if (!r.interrupted) continue;
      const files = r.view.accepted.filter((i) => !r.verified.has(i));
      if (files.length === 0) continue;
      try {
        await this.link.request({
          type: "file.accept",
          transferId: r.view.id,
          files: files.map((index) => ({ index, offset: r.received.get(index) ?? 0 })),
        });
        r.interrupted = false;
        r.view.state = "flowing";
        this.changed(r.view);
      } catch {
        // The sender is not back yet: its return (tools.peer) brings us here again.
      }
    }
  }

  private message(m: ToolServerMessage): void {
    if (
      (m.type === "file.accepted" || m.type === "file.declined" || m.type === "file.cancelled") &&
      !this.views.has(m.transferId)
    ) {
      if (this.early.size >= 64) this.early.delete(this.early.keys().next().value!);
      this.early.set(m.transferId, [...(this.early.get(m.transferId) ?? []), m]);
      return;
    }
    switch (m.type) {
      case "file.offered":
        return this.offered(m);
      case "file.accepted": {
        const s = this.sending.get(m.transferId);
        if (s) this.pump(s, m.files).catch((e: Error) => this.failSend(s, "failed", e));
        return;
      }
      case "file.declined": {
        const s = this.sending.get(m.transferId);
        if (s) this.failSend(s, "declined", new ToolRefused("Declined", m.reason));
        return;
      }
      case "file.cancelled": {
        const s = this.sending.get(m.transferId);
        if (s) this.failSend(s, "cancelled", new ToolRefused("Cancelled", m.reason));
        const v = this.views.get(m.transferId);
        this.receiving.delete(m.transferId);
        if (v && v.direction === "receive" && v.state !== "done") {
          v.state = "cancelled";
          v.reason = m.reason;
          this.changed(v);
        }
        return;
      }
      case "file.interrupted": {
        const s = this.sending.get(m.transferId);
        if (s) {
          s.window.stop();
          s.view.state = "interrupted";
          this.changed(s.view);
        }
        const r = this.receiving.get(m.transferId);
        if (r) this.interrupt(r);
        return;
      }
      case "file.sent": {
        const r = this.receiving.get(m.transferId);
        if (r) {
          r.expected.set(m.index, m.sha256);
          this.verify(r, m.index, m.sha256);
        }
        return;
      }
      case "file.completed": {
        const v = this.views.get(m.transferId);
        const s = this.sending.get(m.transferId);
        this.sending.delete(m.transferId);
        this.receiving.delete(m.transferId);
        if (v) {
          v.state = m.ok ? "done" : "mismatch";
          if (m.ok) v.bytes = v.total;
          this.changed(v);
        }
        s?.done({ transferId: m.transferId, ok: m.ok, bytes: m.bytes });
        return;
      }
      case "tools.peer":
        if (m.role === "host" && m.present) void this.resume();
        return;
    }
  }
}
