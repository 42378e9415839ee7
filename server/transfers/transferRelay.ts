// The file relay: streams binary chunks from a transfer's sender to its receiver and acknowledgements back, holding at
// most `transferWindowBytes` per transfer in flight — the server never buffers a file, and a sender that ignores the
// window is cut off. Transfers survive a dropped peer: the receiver resumes them with the offsets it has written.
import * as Result from "effect/Result";
import {
  type ChunkHeader,
  type OfferedFile,
  readChunkHeader,
  type ToolErrorReason,
  type ToolLimits,
  writeChunk,
} from "../../protocol/tools/index.ts";

/** One side of a transfer, stable across reconnects: "host" or "agent:<id>". */
export type EndpointKey = string;

export interface RelayPorts {
  /** Sends binary to the endpoint's live socket; false when it has none. */
  sendBinary(sessionId: string, to: EndpointKey, bytes: Uint8Array): boolean;
}

export type Purpose = "files" | "clipboard" | "diagnostics";
export type TransferState = "offered" | "flowing" | "interrupted" | "completed" | "cancelled" | "declined";

interface FileState {
  readonly file: OfferedFile;
  accepted: boolean;
  /** Next offset the relay expects from the sender. */
  next: number;
  /** Bytes the receiver says it has written. */
  acked: number;
  sentHash?: string;
  verified?: boolean;
}

export interface Transfer {
  readonly id: number;
  readonly sessionId: string;
  readonly purpose: Purpose;
  readonly sender: EndpointKey;
  /** Who may accept: every agent for a host's offer, the host for an agent's. The first to accept is the receiver. */
  readonly audience: ReadonlySet<EndpointKey>;
  receiver?: EndpointKey;
  readonly files: FileState[];
  state: TransferState;
  /** Bytes relayed and not yet acknowledged. */
  inFlight: number;
  /** Accepted files whose hash check has not come back yet. */
  unverified: number;
  /** Payload bytes relayed in total (counting resent ones). */
  bytesRelayed: number;
  readonly startedAt: number;
  interruptedAt?: number;
  /** Resumed, and the sender's first chunk at the new offset has not come yet (see `onChunk`). */
  resyncing?: boolean;
  readonly diagnosticsId?: number;
}

export type RelayError = { reason: ToolErrorReason; message: string };
type Outcome<T = void> = { ok: true; value: T } | ({ ok: false } & RelayError);
const fail = (reason: ToolErrorReason, message: string): { ok: false } & RelayError => ({
  ok: false,
  reason,
  message,
});
const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });

export interface RelayStats {
  chunksIn: number;
  bytesIn: number;
  acks: number;
  refused: number;
  /** Chunks dropped as stale: sent before the sender heard of a resume, or already relayed. */
  stale: number;
}

export class TransferRelay {
  private readonly transfers = new Map<number, Transfer>();
  private nextId = 1;
  readonly stats: RelayStats = { chunksIn: 0, bytesIn: 0, acks: 0, refused: 0, stale: 0 };

  constructor(
    private readonly ports: RelayPorts,
    private readonly limits: Pick<
      ToolLimits,
      | "chunkBytesMax"
      | "transferWindowBytes"
      | "clipboardMaxBytes"
      | "offerFilesMax"
      | "transferResumeWindowMs"
    >,
    private readonly now: () => number = Date.now,
  ) {}

  get(id: number): Transfer | undefined {
    return this.transfers.get(id);
  }

  /** Registers an offer; the clipboard limit is checked on the declared size here and again on every chunk. */
  offer(input: {
    sessionId: string;
    sender: EndpointKey;
    audience: Iterable<EndpointKey>;
    purpose: Purpose;
    files: readonly OfferedFile[];
    diagnosticsId?: number;
  }): Outcome<Transfer> {
    if (input.files.length > this.limits.offerFilesMax)
      return fail("TooLarge", `at most ${this.limits.offerFilesMax} files in one offer`);
    if (input.purpose === "clipboard") {
      const size = input.files.reduce((n, f) => n + f.size, 0);
      if (input.files.length !== 1) return fail("Malformed", "a clipboard is one item");
      if (size > this.limits.clipboardMaxBytes)
        return fail(
          "TooLarge",
          `The clipboard holds ${size.toLocaleString("en")} bytes; at most ${this.limits.clipboardMaxBytes.toLocaleString("en")} bytes (1.5 MiB) can be sent.`,
        );
    }
    const audience = new Set(input.audience);
    if (audience.size === 0) return fail("PeerAbsent", "nobody is connected to receive it");
    const t: Transfer = {
      id: this.nextId++,
      sessionId: input.sessionId,
      purpose: input.purpose,
      sender: input.sender,
      audience,
      files: input.files.map((file) => ({ file, accepted: false, next: 0, acked: 0 })),
      state: "offered",
      inFlight: 0,
      unverified: 0,
      bytesRelayed: 0,
      startedAt: this.now(),
      ...(input.diagnosticsId !== undefined ? { diagnosticsId: input.diagnosticsId } : {}),
    };
    this.transfers.set(t.id, t);
    return ok(t);
  }

  /** The receiver ticks files and says where each starts: 0, or on resume the bytes it has safely written. */
  accept(
    id: number,
    by: EndpointKey,
    files: readonly { index: number; offset: number }[],
  ): Outcome<Transfer> {
    const t = this.transfers.get(id);
    if (!t || t.sessionId === undefined) return fail("UnknownTransfer", `no transfer ${id}`);
    if (t.state === "completed" || t.state === "cancelled" || t.state === "declined")
      return fail("Rejected", `transfer ${id} is ${t.state}`);
    if (t.receiver ? t.receiver !== by : !t.audience.has(by))
      return fail("Unauthorised", t.receiver ? "another receiver took this transfer" : "not offered to you");
    for (const { index, offset } of files) {
      const f = t.files[index];
      if (!f) return fail("Malformed", `no file ${index} in transfer ${id}`);
      if (offset > f.file.size) return fail("Malformed", `offset ${offset} is past the end of file ${index}`);
      if (t.receiver && !f.accepted) return fail("Rejected", `file ${index} was not ticked at first`);
    }
    const first = t.receiver === undefined;
    t.receiver = by;
    for (const { index, offset } of files) {
      const f = t.files[index]!;
      if (first && !f.accepted) {
        f.accepted = true;
        t.unverified++;
      }
      f.next = offset;
      f.acked = offset;
    }
    t.inFlight = 0;
    t.state = "flowing";
    t.resyncing = !first;
    delete t.interruptedAt;
    return ok(t);
  }

  /** One binary chunk from `from`: checked (sender, order, size, window) and forwarded, or refused. */
  onChunk(
    sessionId: string,
    from: EndpointKey,
    bytes: Uint8Array,
  ): Outcome<{ transfer: Transfer; header: ChunkHeader; stale?: true }> {
    const parsed = readChunkHeader(bytes);
    if (Result.isFailure(parsed)) return this.refuse(fail("BadChunk", parsed.failure.message));
    const h = parsed.success;
    const t = this.transfers.get(h.transferId);
    if (!t || t.sessionId !== sessionId)
      return this.refuse(fail("UnknownTransfer", `no transfer ${h.transferId}`));
    if (h.kind === "ack") return this.onAck(t, from, h);
    if (from !== t.sender) return this.refuse(fail("Unauthorised", "only the sender sends data"));
    if (t.state !== "flowing") return this.refuse(fail("Rejected", `transfer ${t.id} is ${t.state}`));
    const f = t.files[h.fileIndex];
    if (!f?.accepted) return this.refuse(fail("BadChunk", `file ${h.fileIndex} was not accepted`));
    if (h.length > this.limits.chunkBytesMax)
      return this.refuse(fail("TooLarge", `chunks are at most ${this.limits.chunkBytesMax} bytes`));
    if (h.offset !== f.next) {
      // After a resume, chunks the sender sent before it heard of it are still on their way: they are dropped until
      // it sends from the new offset. Data already relayed is dropped too. Only a gap in a settled stream is an error.
      if (t.resyncing || h.offset < f.next) {
        this.stats.stale++;
        return ok({ transfer: t, header: h, stale: true });
      }
      return this.refuse(
        fail("BadChunk", `expected offset ${f.next} of file ${h.fileIndex}, got ${h.offset}`),
      );
    }
    t.resyncing = false;
    if (h.offset + h.length > f.file.size)
      return this.refuse(
        fail("TooLarge", `more bytes than the ${f.file.size} offered for file ${h.fileIndex}`),
      );
    if (t.inFlight + h.length > this.limits.transferWindowBytes)
      return this.refuse(
        fail("WindowExceeded", `more than ${this.limits.transferWindowBytes} bytes unacknowledged`),
      );
    if (!this.ports.sendBinary(sessionId, t.receiver!, bytes)) {
      this.interrupt(t);
      return this.refuse(fail("PeerAbsent", "the receiver is not connected; the transfer will resume"));
    }
    f.next += h.length;
    t.inFlight += h.length;
    t.bytesRelayed += h.length;
    this.stats.chunksIn++;
    this.stats.bytesIn += h.length;
    return ok({ transfer: t, header: h });
  }

  private onAck(
    t: Transfer,
    from: EndpointKey,
    h: ChunkHeader,
  ): Outcome<{ transfer: Transfer; header: ChunkHeader }> {
    if (from !== t.receiver) return this.refuse(fail("Unauthorised", "only the receiver acknowledges"));
    const f = t.files[h.fileIndex];
    if (!f?.accepted || h.offset < f.acked || h.offset > f.next)
      return this.refuse(fail("BadChunk", `acknowledgement ${h.offset} outside ${f?.acked}–${f?.next}`));
    t.inFlight -= h.offset - f.acked;
    f.acked = h.offset;
    this.stats.acks++;
    // Acks are tiny: forwarded as they are, or dropped when the sender is away (it resumes from the receiver's offsets).
    this.ports.sendBinary(
      t.sessionId,
      t.sender,
      writeChunk({ kind: "ack", transferId: t.id, fileIndex: h.fileIndex, offset: h.offset }),
    );
    return ok({ transfer: t, header: h });
  }

  private refuse(e: { ok: false } & RelayError) {
    this.stats.refused++;
    return e;
  }

  sent(id: number, from: EndpointKey, index: number, sha256: string): Outcome<Transfer> {
    const t = this.transfers.get(id);
    if (!t) return fail("UnknownTransfer", `no transfer ${id}`);
    if (from !== t.sender) return fail("Unauthorised", "only the sender reports a hash");
    const f = t.files[index];
    if (!f?.accepted || f.next !== f.file.size) return fail("Rejected", `file ${index} is not complete`);
    f.sentHash = sha256;
    return ok(t);
  }

  /** The receiver's hash check; when every accepted file is verified the transfer is completed. */
  verified(
    id: number,
    from: EndpointKey,
    index: number,
    okHash: boolean,
  ): Outcome<{ transfer: Transfer; done: boolean }> {
    const t = this.transfers.get(id);
    if (!t) return fail("UnknownTransfer", `no transfer ${id}`);
    if (from !== t.receiver) return fail("Unauthorised", "only the receiver verifies");
    const f = t.files[index];
    if (!f?.accepted) return fail("Rejected", `file ${index} was not accepted`);
    if (f.verified === undefined) t.unverified--;
    f.verified = okHash;
    const done = t.unverified === 0;
    if (done) {
      t.state = "completed";
      this.transfers.delete(t.id);
    }
    return ok({ transfer: t, done });
  }

  /** Declined or cancelled by either side: the transfer is forgotten. */
  end(id: number, state: "declined" | "cancelled"): Transfer | undefined {
    const t = this.transfers.get(id);
    if (!t) return undefined;
    t.state = state;
    this.transfers.delete(id);
    return t;
  }

  private interrupt(t: Transfer): void {
    if (t.state !== "flowing") return;
    t.state = "interrupted";
    t.interruptedAt = this.now();
  }

  /** An endpoint's socket closed: its flowing transfers wait for it (or for the other side) to resume. */
  dropped(sessionId: string, endpoint: EndpointKey): Transfer[] {
    const hit: Transfer[] = [];
    for (const t of this.transfers.values()) {
      if (t.sessionId !== sessionId) continue;
      if (t.sender === endpoint || t.receiver === endpoint) {
        this.interrupt(t);
        hit.push(t);
      }
    }
    return hit;
  }

  /** Transfers of a session, e.g. to tell a returning peer about interrupted ones. */
  ofSession(sessionId: string): Transfer[] {
    return [...this.transfers.values()].filter((t) => t.sessionId === sessionId);
  }

  /** Forgets interrupted transfers older than `transferResumeWindowMs`, and every transfer of an ended session. */
  sweep(endedSession?: string): Transfer[] {
    const now = this.now();
    const gone: Transfer[] = [];
    for (const t of this.transfers.values()) {
      const stale =
        t.state === "interrupted" && now - (t.interruptedAt ?? now) > this.limits.transferResumeWindowMs;
      if (stale || t.sessionId === endedSession) {
        t.state = "cancelled";
        this.transfers.delete(t.id);
        gone.push(t);
      }
    }
    return gone;
  }

  /** How many bytes are in flight across every transfer (what the server may hold at most, besides socket buffers). */
  inFlightBytes(): number {
    let n = 0;
    for (const t of this.transfers.values()) n += t.inFlight;
    return n;
  }
}
