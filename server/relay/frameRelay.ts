// The frame relay of one session: every host frame goes to every viewer (owner and invited agents) within a
// per-viewer budget, so one slow viewer never slows another or grows memory; a joining or lagging viewer is
// brought back with a key frame (R-D3, ARCHITECTURE "Frames").
import { Result } from "effect";
import { readFrameHeader } from "../../protocol/frame/index.ts";

export interface RelayOptions {
  /** A viewer whose socket holds more than this is skipped and resynchronised with a key frame. */
  viewerBufferedBytesMax: number;
  /** Frames sent to a viewer and not yet acknowledged by it, at most. */
  viewerFramesInFlightMax: number;
}

export const defaultRelayOptions: RelayOptions = {
  viewerBufferedBytesMax: 4 * 1024 * 1024,
  viewerFramesInFlightMax: 4,
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
  /** Out of step: receives nothing until the next key frame. */
  needsKey: boolean;
}

export interface RelayStats {
  framesIn: number;
  framesOut: number;
  framesSkipped: number;
  keyFramesRequested: number;
}

export class FrameRelay {
  private readonly viewers = new Map<string, ViewerState>();
  /** Per frame in flight: the viewers that still owe an acknowledgement before the host is acknowledged. */
  private readonly owed = new Map<number, Set<string>>();
  private keyRequested = false;
  readonly stats: RelayStats = { framesIn: 0, framesOut: 0, framesSkipped: 0, keyFramesRequested: 0 };

  constructor(
    private readonly host: HostLink,
    private readonly options: RelayOptions = defaultRelayOptions,
  ) {}

  /** A new viewer (owner, invitee, transferee, reconnect) starts from a key frame. */
  addViewer(link: ViewerLink): void {
    this.viewers.set(link.id, { link, inFlight: [], needsKey: true });
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
        continue;
      }
      if (this.isOverBudget(viewer)) {
        // Dropping a delta breaks the viewer's chain: skip it until a key frame puts it back in step.
        viewer.needsKey = true;
        viewer.inFlight = [];
        this.forgive(id);
        this.stats.framesSkipped++;
        this.requestKey();
        continue;
      }
      viewer.needsKey = false;
      viewer.inFlight.push(seq);
      owed.add(id);
      viewer.link.send(frame);
      this.stats.framesOut++;
    }
    if (owed.size === 0) this.host.ack(seq);
    else this.owed.set(seq, owed);
    return null;
  }

  /** A viewer acknowledges a frame (and implicitly every earlier one it was sent). */
  onViewerAck(id: string, seq: number): void {
    const viewer = this.viewers.get(id);
    if (!viewer) return;
    const index = viewer.inFlight.indexOf(seq);
    if (index < 0) return;
    for (const acked of viewer.inFlight.splice(0, index + 1)) this.settle(acked, id);
  }

  /** The viewer lost its picture (decode error): nothing more until the next key frame. */
  resync(id: string): void {
    const viewer = this.viewers.get(id);
    if (!viewer) return;
    viewer.needsKey = true;
    viewer.inFlight = [];
    this.forgive(id);
    this.requestKey();
  }

  private isOverBudget(viewer: ViewerState): boolean {
    return (
      viewer.inFlight.length >= this.options.viewerFramesInFlightMax ||
      viewer.link.bufferedBytes() > this.options.viewerBufferedBytesMax
    );
  }

  private settle(seq: number, id: string): void {
    const owed = this.owed.get(seq);
    if (!owed?.delete(id) || owed.size > 0) return;
    this.owed.delete(seq);
    this.host.ack(seq);
  }

  /** A viewer that left or fell out of step no longer holds back the host. */
  private forgive(id: string): void {
    for (const seq of [...this.owed.keys()]) this.settle(seq, id);
  }

  private requestKey(): void {
    if (this.keyRequested) return;
    this.keyRequested = true;
    this.stats.keyFramesRequested++;
    this.host.requestKeyFrame();
  }
}
