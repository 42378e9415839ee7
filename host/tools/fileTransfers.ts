// Sending and receiving files over a ToolLink (R-T1): folders walked without following links, chunks read straight into
// the message buffer, a window of unacknowledged bytes as backpressure, SHA-256 on both sides, part files that never
// overwrite without asking, and resumption from the receiver's written offsets after a dropped connection.
import { createHash, type Hash } from "node:crypto";
import { EventEmitter } from "node:events";
import { constants } from "node:fs";
import { type FileHandle, link, lstat, mkdir, open, readdir, rename, unlink } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import * as Result from "effect/Result";
import {
  CHUNK_HEADER_BYTES,
  numberedName,
  type OfferedFile,
  readChunkHeader,
  SendWindow,
  safePath,
  type ToolServerMessage,
  type ToolServerMessageOf,
  writeChunk,
  writeChunkHeader,
} from "../../protocol/tools/index.ts";
import { type ToolLink, ToolRefused } from "./toolLink.ts";

export interface OutgoingFile {
  /** Where it is on this machine. */
  local: string;
  /** What the receiver is told: the name, with its folders when a folder was offered. */
  path: string[];
  size: number;
  mime?: string;
}

export type Offer = ToolServerMessageOf<"file.offered">;
export type Decision = { accept: number[]; destination: string } | { decline: string };
export type Collision = "rename" | "overwrite" | "skip";

export interface ReceivePolicy {
  /** The receiver ticks files and picks a destination before any byte flows. */
  decide(offer: Offer): Promise<Decision>;
  /** A file of that name is there already: never overwritten without this answer. */
  collision(path: string): Promise<Collision>;
}

export interface TransferOptions {
  /** Payload bytes per chunk (at most the server's `chunkBytesMax`). */
  chunkBytes: number;
  /** Unacknowledged bytes in flight, at most (at most the server's `transferWindowBytes`). */
  windowBytes: number;
}

export const defaultTransferOptions: TransferOptions = { chunkBytes: 512 * 1024, windowBytes: 8 * 1_048_576 };

/** Every file under the given paths (folders recursively; links are not followed), named relative to what was picked. */
export async function filesToOffer(paths: readonly string[]): Promise<OutgoingFile[]> {
  const out: OutgoingFile[] = [];
  const walk = async (local: string, path: string[]): Promise<void> => {
    const st = await lstat(local);
    if (st.isSymbolicLink()) return;
    if (st.isDirectory()) {
      for (const name of (await readdir(local)).sort()) await walk(join(local, name), [...path, name]);
    } else if (st.isFile()) out.push({ local, path, size: st.size });
  };
  for (const p of paths) {
    const abs = resolve(p);
    await walk(abs, [abs.split(sep).at(-1) || "file"]);
  }
  return out;
}

interface SendState {
  id: number;
  files: OutgoingFile[];
  window: SendWindow;
  done: (r: { ok: boolean; bytes: number }) => void;
  fail: (e: Error) => void;
  sentBytes: number;
}

interface IncomingFile {
  index: number;
  file: OfferedFile;
  final: string;
  part: string;
  overwrite: boolean;
  handle: FileHandle | null;
  /** The part file exists (created with O_EXCL, so never over someone else's file). */
  created: boolean;
  hash: Hash;
  /** Bytes received (hashed, queued for writing). */
  received: number;
  /** Bytes on disk. */
  written: number;
  expected?: string;
  verified?: boolean;
}

interface ReceiveState {
  id: number;
  offer: Offer;
  files: Map<number, IncomingFile>;
  queue: Promise<void>;
  done: boolean;
  interrupted: boolean;
  /** Bytes on disk across the accepted files, and their total: progress without walking every file per chunk. */
  writtenTotal: number;
  total: number;
}

export interface Progress {
  transferId: number;
  direction: "send" | "receive";
  bytes: number;
  total: number;
}

/**
 * Events: `offered` (Offer), `progress` (Progress), `received` ({ transferId, purpose, files: string[], ok }),
 * `sent` ({ transferId, ok, bytes }), `cancelled` ({ transferId, reason }).
 */
export class FileTransfers extends EventEmitter {
  private readonly sending = new Map<number, SendState>();
  private readonly receiving = new Map<number, ReceiveState>();

  constructor(
    private readonly link: ToolLink,
    private readonly policy: ReceivePolicy,
    private readonly options: TransferOptions = defaultTransferOptions,
  ) {
    super();
    link.on("binary", (bytes: Buffer) => this.binary(bytes));
    link.on("message", (m: ToolServerMessage) => void this.message(m));
    link.on("welcome", () => void this.resumeInterrupted());
    link.on("down", () => {
      this.stopSending();
      for (const r of this.receiving.values()) r.interrupted = true;
    });
  }

  private get chunkBytes(): number {
    return Math.min(
      this.options.chunkBytes,
      this.link.welcome?.limits.chunkBytesMax ?? this.options.chunkBytes,
    );
  }
  private get windowBytes(): number {
    return Math.min(
      this.options.windowBytes,
      this.link.welcome?.limits.transferWindowBytes ?? this.options.windowBytes,
    );
  }

  // ——— sending ———

  /** Offers files; resolves when the receiver has verified them (or rejects: declined, cancelled, refused). */
  async send(
    files: OutgoingFile[],
    purpose: "files" | "clipboard" | "diagnostics" = "files",
    diagnosticsId?: number,
  ): Promise<{ transferId: number; ok: boolean; bytes: number }> {
    const data = await this.link.request({
      type: "file.offer",
      purpose,
      files: files.map((f) => ({ path: f.path, size: f.size, ...(f.mime ? { mime: f.mime } : {}) })),
      ...(diagnosticsId !== undefined ? { diagnosticsId } : {}),
    });
    const id = data.transferId as number;
    return new Promise((resolveSend, reject) => {
      queueMicrotask(() => this.replayEarly(id));
      this.sending.set(id, {
        id,
        files,
        window: new SendWindow(),
        sentBytes: 0,
        done: (r) => resolveSend({ transferId: id, ...r }),
        fail: reject,
      });
    });
  }

  private async pump(s: SendState, starts: readonly { index: number; offset: number }[]): Promise<void> {
    const current = s.window.restart();
    const live = () => current() && this.sending.has(s.id);
    const total = starts.reduce((n, x) => n + s.files[x.index]!.size, 0);
    let progressBase = starts.reduce((n, x) => n + x.offset, 0);
    for (const { index, offset } of [...starts].sort((a, b) => a.index - b.index)) {
      const f = s.files[index]!;
      const fh = await open(f.local, "r");
      try {
        const hash = createHash("sha256");
        // Resuming: the hash covers the bytes the receiver already has, read again here.
        for (let at = 0; at < offset; ) {
          const n = Math.min(4 * 1_048_576, offset - at);
          const buf = Buffer.allocUnsafe(n);
          const { bytesRead } = await fh.read(buf, 0, n, at);
          hash.update(buf.subarray(0, bytesRead));
          at += bytesRead;
          if (bytesRead === 0) throw new Error(`${f.local} shrank while being sent`);
        }
        s.window.startFile(index, offset);
        let at = offset;
        while (at < f.size) {
          if (!live()) return;
          const n = Math.min(this.chunkBytes, f.size - at);
          await s.window.room(n, this.windowBytes, live);
          if (!live()) return;
          const msg = Buffer.allocUnsafe(CHUNK_HEADER_BYTES + n);
          const { bytesRead } = await fh.read(msg, CHUNK_HEADER_BYTES, n, at);
          if (bytesRead !== n) throw new Error(`${f.local} changed while being sent`);
          if (!live()) return;
          writeChunkHeader(msg, { kind: "data", transferId: s.id, fileIndex: index, offset: at, length: n });
          hash.update(msg.subarray(CHUNK_HEADER_BYTES));
          if (!this.link.sendBinary(msg)) return; // dropped: the receiver resumes us with file.accept
          at += n;
          s.window.sentUpTo(index, at);
          s.sentBytes += n;
          this.emit("progress", {
            transferId: s.id,
            direction: "send",
            bytes: progressBase + (at - offset),
            total,
          });
        }
        progressBase += f.size - offset;
        if (!live()) return;
        this.link.send({ type: "file.sent", transferId: s.id, index, sha256: hash.digest("hex") });
      } finally {
        await fh.close();
      }
    }
  }

  // ——— receiving ———

  private async offered(m: Offer): Promise<void> {
    this.emit("offered", m);
    const decision = await this.policy.decide(m);
    if ("decline" in decision) {
      this.link.send({
        type: "file.decline",
        transferId: m.transferId,
        reason: decision.decline.slice(0, 200),
      });
      return;
    }
    const dest = resolve(decision.destination);
    await mkdir(dest, { recursive: true });
    const files = new Map<number, IncomingFile>();
    for (const index of decision.accept) {
      const file = m.files[index];
      if (!file) continue;
      const target = await this.place(dest, safePath(file.path));
      if (!target) continue;
      const part = join(target.dir, `.tandem-${m.transferId}-${index}.part`);
      files.set(index, {
        index,
        file,
        final: target.final,
        part,
        overwrite: target.overwrite,
        // Opened when its first byte arrives: a folder of thousands of files holds one descriptor at a time.
        handle: null,
        created: false,
        hash: createHash("sha256"),
        received: 0,
        written: 0,
      });
    }
    if (files.size === 0) {
      this.link.send({ type: "file.decline", transferId: m.transferId, reason: "nothing accepted" });
      return;
    }
    this.receiving.set(m.transferId, {
      id: m.transferId,
      offer: m,
      files,
      queue: Promise.resolve(),
      done: false,
      interrupted: false,
      writtenTotal: 0,
      total: [...files.values()].reduce((n, x) => n + x.file.size, 0),
    });
    this.link.send({
      type: "file.accept",
      transferId: m.transferId,
      files: [...files.keys()].map((index) => ({ index, offset: 0 })),
    });
  }

  /** The final path for a file inside `dest` (folders created, never through a link), or null when skipped. */
  private async place(
    dest: string,
    path: string[],
  ): Promise<{ dir: string; final: string; overwrite: boolean } | null> {
    let dir = dest;
    for (const segment of path.slice(0, -1)) {
      dir = join(dir, segment);
      await mkdir(dir).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== "EEXIST") throw e;
      });
      if (!(await lstat(dir)).isDirectory()) throw new Error(`${segment} is not a folder`);
    }
    const name = path.at(-1) ?? "file";
    const final = join(dir, name);
    if (relative(dest, final).startsWith("..")) throw new Error("a name left the destination folder");
    if (!(await exists(final))) return { dir, final, overwrite: false };
    const choice = await this.policy.collision(relative(dest, final));
    if (choice === "skip") return null;
    if (choice === "overwrite") return { dir, final, overwrite: true };
    for (let n = 1; ; n++) {
      const candidate = join(dir, numberedName(name, n));
      if (!(await exists(candidate))) return { dir, final: candidate, overwrite: false };
    }
  }

  private binary(bytes: Buffer): void {
    const parsed = readChunkHeader(bytes);
    if (Result.isFailure(parsed)) return;
    const h = parsed.success;
    if (h.kind === "ack") {
      const s = this.sending.get(h.transferId);
      s?.window.ack(h.fileIndex, h.offset);
      return;
    }
    const r = this.receiving.get(h.transferId);
    const f = r?.files.get(h.fileIndex);
    // Duplicates after a resume, or chunks of a cancelled transfer, are dropped.
    if (!r || !f || h.offset !== f.received || h.offset + h.length > f.file.size) return;
    const payload = bytes.subarray(CHUNK_HEADER_BYTES);
    f.hash.update(payload);
    f.received += h.length;
    r.queue = r.queue.then(async () => {
      if (r.done) return;
      const fh = await this.ensureOpen(f);
      await fh.write(payload, 0, payload.length, h.offset);
      r.writtenTotal += h.offset + h.length - f.written;
      f.written = h.offset + h.length;
      this.link.sendBinary(
        writeChunk({ kind: "ack", transferId: r.id, fileIndex: f.index, offset: f.written }),
      );
      this.emit("progress", {
        transferId: r.id,
        direction: "receive",
        bytes: r.writtenTotal,
        total: r.total,
      });
      await this.maybeVerify(r, f);
    });
  }

  private async ensureOpen(f: IncomingFile): Promise<FileHandle> {
    if (!f.handle) {
      const flags =
        constants.O_WRONLY | constants.O_NOFOLLOW | (f.created ? 0 : constants.O_CREAT | constants.O_EXCL);
      f.handle = await open(f.part, flags, 0o600);
      f.created = true;
    }
    return f.handle;
  }

  private async maybeVerify(r: ReceiveState, f: IncomingFile): Promise<void> {
    if (r.done || f.verified !== undefined || f.expected === undefined || f.written !== f.file.size) return;
    await this.ensureOpen(f); // an empty file gets its part file here
    const sha256 = f.hash.digest("hex");
    f.verified = sha256 === f.expected;
    await f.handle?.close();
    f.handle = null;
    if (f.verified) {
      if (f.overwrite) await rename(f.part, f.final);
      else {
        // link() fails if the name appeared meanwhile: still no silent overwrite.
        let final = f.final;
        for (let n = 1; ; n++) {
          try {
            await link(f.part, final);
            break;
          } catch (e) {
            if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
            final = f.final.replace(/([^/]*)$/, (name) => numberedName(name, n));
          }
        }
        f.final = final;
        await unlink(f.part);
      }
    } else await unlink(f.part).catch(() => {});
    this.link.send({ type: "file.verified", transferId: r.id, index: f.index, sha256, ok: f.verified });
  }

  /** After a reconnection (ours or theirs): every interrupted incoming transfer goes on from what is on disk. */
  private async resumeInterrupted(): Promise<void> {
    for (const r of this.receiving.values()) {
      if (r.done || !r.interrupted) continue;
      await r.queue;
      const files = [...r.files.values()].filter((f) => f.verified === undefined);
      if (files.length === 0) continue;
      for (const f of files) {
        // Every queued write has landed, so normally received === written; if a write failed, hash again from disk.
        if (f.received !== f.written) {
          f.received = f.written;
          f.hash = await hashPrefix(f.part, f.written);
        }
      }
      try {
        await this.link.request({
          type: "file.accept",
          transferId: r.id,
          files: files.map((f) => ({ index: f.index, offset: f.written })),
        });
        r.interrupted = false;
      } catch {
        // The sender is not back yet: its return (tools.peer) brings us here again.
      }
    }
  }

  private stopSending(): void {
    for (const s of this.sending.values()) s.window.stop();
  }

  /**
   * The receiver may accept in the same breath as the server's ack of our offer reaches us: messages about a transfer
   * we do not know yet are kept (a few) and replayed once `send` has registered it.
   */
  private readonly early = new Map<number, ToolServerMessage[]>();

  private replayEarly(id: number): void {
    const kept = this.early.get(id);
    this.early.delete(id);
    for (const m of kept ?? []) void this.message(m);
  }

  private async message(m: ToolServerMessage): Promise<void> {
    if (
      (m.type === "file.accepted" || m.type === "file.declined" || m.type === "file.cancelled") &&
      !this.sending.has(m.transferId) &&
      !this.receiving.has(m.transferId)
    ) {
      if (this.early.size >= 64) this.early.delete(this.early.keys().next().value!);
      this.early.set(m.transferId, [...(this.early.get(m.transferId) ?? []), m]);
      return;
    }
    switch (m.type) {
      case "file.offered":
        return this.offered(m).catch((e) => {
          this.link.send({
            type: "file.decline",
            transferId: m.transferId,
            reason: String(e.message).slice(0, 200),
          });
        });
      case "file.accepted": {
        const s = this.sending.get(m.transferId);
        if (s) this.pump(s, m.files).catch((e) => this.failSend(s, e));
        return;
      }
      case "file.declined": {
        const s = this.sending.get(m.transferId);
        if (s) this.failSend(s, new ToolRefused("Declined", m.reason));
        return;
      }
      case "file.cancelled": {
        const s = this.sending.get(m.transferId);
        if (s) this.failSend(s, new ToolRefused("Cancelled", m.reason));
        const r = this.receiving.get(m.transferId);
        if (r) await this.abortReceive(r, m.reason);
        return;
      }
      case "file.interrupted": {
        const s = this.sending.get(m.transferId);
        s?.window.stop();
        const r = this.receiving.get(m.transferId);
        if (r) r.interrupted = true;
        return;
      }
      case "file.sent": {
        const r = this.receiving.get(m.transferId);
        const f = r?.files.get(m.index);
        if (!r || !f) return;
        f.expected = m.sha256;
        r.queue = r.queue.then(() => this.maybeVerify(r, f));
        return;
      }
      case "file.completed": {
        const s = this.sending.get(m.transferId);
        if (s) {
          this.sending.delete(s.id);
          s.done({ ok: m.ok, bytes: m.bytes });
          this.emit("sent", { transferId: s.id, ok: m.ok, bytes: m.bytes });
        }
        const r = this.receiving.get(m.transferId);
        if (r) {
          r.done = true;
          this.receiving.delete(r.id);
          const files = [...r.files.values()];
          this.emit("received", {
            transferId: r.id,
            purpose: r.offer.purpose,
            diagnosticsId: r.offer.diagnosticsId,
            files: files.filter((f) => f.verified).map((f) => f.final),
            ok: m.ok,
          });
        }
        return;
      }
      case "tools.peer":
        if (m.present) await this.resumeInterrupted();
        return;
    }
  }

  private failSend(s: SendState, e: Error): void {
    if (!this.sending.delete(s.id)) return;
    s.window.stop();
    if (!(e instanceof ToolRefused))
      this.link.send({ type: "file.cancel", transferId: s.id, reason: e.message.slice(0, 200) });
    this.emit("cancelled", { transferId: s.id, reason: e.message });
    s.fail(e);
  }

  private async abortReceive(r: ReceiveState, reason: string): Promise<void> {
    this.receiving.delete(r.id);
    r.done = true;
    await r.queue.catch(() => {});
    for (const f of r.files.values()) {
      await f.handle?.close().catch(() => {});
      f.handle = null;
      if (f.verified === undefined && f.created) await unlink(f.part).catch(() => {});
    }
    this.emit("cancelled", { transferId: r.id, reason });
  }

  /** Cancels a transfer in either direction. */
  cancel(transferId: number, reason = "cancelled"): void {
    this.link.send({ type: "file.cancel", transferId, reason });
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

async function hashPrefix(path: string, length: number): Promise<Hash> {
  const hash = createHash("sha256");
  const fh = await open(path, "r");
  try {
    for (let at = 0; at < length; ) {
      const buf = Buffer.allocUnsafe(Math.min(4 * 1_048_576, length - at));
      const { bytesRead } = await fh.read(buf, 0, buf.length, at);
      if (bytesRead === 0) break;
      hash.update(buf.subarray(0, bytesRead));
      at += bytesRead;
    }
  } finally {
    await fh.close();
  }
  return hash;
}
