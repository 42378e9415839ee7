// The frame relay of one session: every host frame goes to every viewer (owner and invited agents) within a
// per-viewer budget, so one slow viewer never slows another or grows memory; a joining or lagging viewer is
// brought back with a key frame, no more often than its resync back-off allows (R-D3, ARCHITECTURE "Frames").
import * as Result from "effect/Result";
import { readFrameHeader } from "../../protocol/frame/index.ts";

export interface RelayOptions {
  /** A viewer whose socket holds more than this is skipped and resynchronised with a key frame. */
  viewerBufferedBytesMax: number;
  /** Frames sent to a viewer and not yet acknowledged by it, at most. */
  viewerFramesInFlightMax: number;
  /**
   * After a viewer falls out of step, the key frame it needs is asked for at once; if it falls out again before it
   * acknowledges anything, the next request waits this long, doubling up to `viewerResyncBackoffMaxMs`. A viewer
   * that cannot keep up therefore costs everyone a key frame only every few seconds.
   */
  viewerResyncBackoffMs: number;
  viewerResyncBackoffMaxMs: number;
  /**
   * A viewer that has not acknowledged its oldest frame for this long falls out of step (and is forgiven what it
   * owes). A dropped network leaves a socket half-open for minutes, holding frames the host waits for. Long enough
   * for a slow link to drain its whole byte budget; a reconnecting viewer replaces its old socket at once anyway.
   */
  viewerAckTimeoutMs: number;
}

export const defaultRelayOptions: RelayOptions = {
  viewerBufferedBytesMax: 4 * 1024 * 1024,
  viewerFramesInFlightMax: 4,
  viewerResyncBackoffMs: 250,
  viewerResyncBackoffMaxMs: 4000,
  viewerAckTimeoutMs: 15_000,
};

export interface ViewerLink {
  readonly id: string;
  send(frame: Uint8Array): void;
  /** Bytes queued on the viewer's socket (`ws.bufferedAmount`). */
  bufferedBytes(): number;
}

/** What the relay tells the host: a frame was taken by every viewer in step, or a key frame is needed. */
export interface HostLink {
  ack(seq: number): void;
  requestKeyFrame(): void;
}

export type RelayRejection = { reason: "BadFrame"; detail: string };

interface ViewerState {
  link: ViewerLink;
  /** Sequence numbers sent and not yet acknowledged, oldest first. */
  inFlight: number[];
  /** When each of `inFlight` was sent (the relay's clock). */
  sentAt: number[];
  /** Out of step: receives nothing until the next key frame. */
  needsKey: boolean;
  /** Earliest time (ms, the relay's clock) a key frame may be asked for on this viewer's behalf. */
  resyncAt: number;
  /** The wait after the next fall out of step; reset when the viewer acknowledges a frame. */
  backoffMs: number;
}

export interface RelayStats {
  framesIn: number;
  framesOut: number;
  framesSkipped: number;
  keyFramesRequested: number;
  /** Times a viewer fell out of step (over budget, or asked for a key frame itself). */
  viewerResyncs: number;
}

export class FrameRelay {
  private readonly viewers = new Map<string, ViewerState>();
  /** Per frame in flight: the viewers it was sent to that may still acknowledge it. */
  private readonly owed = new Map<number, Set<string>>();
  private keyRequested = false;
  readonly stats: RelayStats = {
    framesIn: 0,
    framesOut: 0,
    framesSkipped: 0,
    keyFramesRequested: 0,
    viewerResyncs: 0,
  };

  constructor(
    private readonly host: HostLink,
    private readonly options: RelayOptions = defaultRelayOptions,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** A new viewer (owner, invitee, transferee, reconnect) starts from a key frame, asked for at once. */
  addViewer(link: ViewerLink): void {
    // The newcomer may be the same agent back from a dropped connection whose old socket still holds frames.
    this.expireSilentViewers();
    this.viewers.set(link.id, {
      link,
      inFlight: [],
      sentAt: [],
      needsKey: true,
      resyncAt: this.now(),
      backoffMs: this.options.viewerResyncBackoffMs,
    });
    this.requestKey();
  }

  removeViewer(id: string): void {
    if (!this.viewers.delete(id)) return;
    this.forgive(id);
  }

  viewerCount(): number {
    return this.viewers.size;
  }

  /** One frame from the host; returns a typed rejection for bytes that are not a frame. */
  onHostFrame(frame: Uint8Array): RelayRejection | null {
    const header = readFrameHeader(frame);
    if (Result.isFailure(header)) return { reason: "BadFrame", detail: header.failure.message };
    const { seq, key } = header.success;
    this.stats.framesIn++;
    if (key) this.keyRequested = false;
    const owed = new Set<string>();
    for (const [id, viewer] of this.viewers) {
      if (viewer.needsKey && !key) {
        this.stats.framesSkipped++;
        // Its back-off is over and its socket has drained: now it is worth a key frame.
        if (this.now() >= viewer.resyncAt && !this.isOverBudget(viewer)) this.askKeyFor(viewer);
        continue;
      }
      if (this.isOverBudget(viewer)) {
        // Dropping a delta breaks the viewer's chain: skip it until a key frame puts it back in step.
        this.fallOutOfStep(id, viewer);
        this.stats.framesSkipped++;
        continue;
      }
      viewer.needsKey = false;
      viewer.inFlight.push(seq);
      viewer.sentAt.push(this.now());
      owed.add(id);
      viewer.link.send(frame);
      this.stats.framesOut++;
    }
    if (owed.size === 0) this.host.ack(seq);
    else this.owed.set(seq, owed);
    return null;
  }

  /**
   * A viewer acknowledges a frame (and implicitly every earlier one it was sent). The host is acknowledged by the
   * first viewer that takes the frame: it paces itself to the fastest viewer, and slower ones live within their
   * own budget — waiting for every viewer would let one that stopped reading stall the host, and every other
   * viewer with it, since the host sends nothing more until it is acknowledged.
   */
  onViewerAck(id: string, seq: number): void {
    const viewer = this.viewers.get(id);
    if (!viewer) return;
    const index = viewer.inFlight.indexOf(seq);
    if (index < 0) return;
    viewer.backoffMs = this.options.viewerResyncBackoffMs;
    viewer.sentAt.splice(0, index + 1);
    for (const acked of viewer.inFlight.splice(0, index + 1)) this.settle(acked, id, true);
  }

  /** Viewers silent past `viewerAckTimeoutMs` fall out of step (called on a timer, and when a viewer joins). */
  expireSilentViewers(): void {
    const now = this.now();
    for (const [id, viewer] of this.viewers) {
      const oldest = viewer.sentAt[0];
      if (oldest !== undefined && now - oldest > this.options.viewerAckTimeoutMs)
        this.fallOutOfStep(id, viewer);
    }
  }

  /** The viewer lost its picture (decode error): nothing more until the next key frame. */
  resync(id: string): void {
    const viewer = this.viewers.get(id);
    if (!viewer) return;
    this.fallOutOfStep(id, viewer);
  }

  private fallOutOfStep(id: string, viewer: ViewerState): void {
    this.stats.viewerResyncs++;
    viewer.needsKey = true;
    viewer.inFlight = [];
    viewer.sentAt = [];
    this.forgive(id);
    // A socket still over its byte budget would skip the key frame too: the skip branch asks once it drains.
    if (this.now() >= viewer.resyncAt && !this.isOverBudget(viewer)) this.askKeyFor(viewer);
  }

  /** Asks for a key frame on the viewer's behalf, and starts its next, longer wait. */
  private askKeyFor(viewer: ViewerState): void {
    if (this.keyRequested) return; // one is on its way and will serve this viewer too
    this.requestKey();
    viewer.resyncAt = this.now() + viewer.backoffMs;
    viewer.backoffMs = Math.min(viewer.backoffMs * 2, this.options.viewerResyncBackoffMaxMs);
  }

  private isOverBudget(viewer: ViewerState): boolean {
    return (
      viewer.inFlight.length >= this.options.viewerFramesInFlightMax ||
      viewer.link.bufferedBytes() > this.options.viewerBufferedBytesMax
    );
  }

  /** `id` acknowledged `seq` (taken: the host hears of it now) or was forgiven it (the host hears once no one holds it). */
  private settle(seq: number, id: string, taken: boolean): void {
    const owed = this.owed.get(seq);
    if (!owed?.delete(id) || (!taken && owed.size > 0)) return;
    this.owed.delete(seq);
    this.host.ack(seq);
  }

  /** A viewer that left or fell out of step no longer holds back the host. */
  private forgive(id: string): void {
    for (const seq of [...this.owed.keys()]) this.settle(seq, id, false);
  }

  private requestKey(): void {
    if (this.keyRequested) return;
    this.keyRequested = true;
    this.stats.keyFramesRequested++;
    this.host.requestKeyFrame();
  }
}
