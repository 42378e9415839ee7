// The host's side of frame flow control: a bounded number of frames in flight, and a key frame when the relay asks.
// Changes made while the host waits are not queued: the next frame is diffed against the last one sent, so they coalesce.

export interface FrameFlowOptions {
  /** Frames sent and not yet acknowledged by the relay, at most. */
  framesInFlightMax: number;
}

export const defaultFrameFlowOptions: FrameFlowOptions = { framesInFlightMax: 2 };

export class FrameFlow {
  private readonly inFlight: number[] = [];
  private keyWanted = true;

  constructor(private readonly options: FrameFlowOptions = defaultFrameFlowOptions) {}

  /** May the host capture and send another frame now? */
  canSend(): boolean {
    return this.inFlight.length < this.options.framesInFlightMax;
  }

  /** Should the next frame be a key frame (first frame, or a viewer joined or fell out of step)? */
  wantsKeyFrame(): boolean {
    return this.keyWanted;
  }

  sent(seq: number, key: boolean): void {
    this.inFlight.push(seq);
    if (key) this.keyWanted = false;
  }

  /** The relay acknowledged `seq` (and so every earlier frame). */
  acked(seq: number): void {
    const index = this.inFlight.indexOf(seq);
    if (index >= 0) this.inFlight.splice(0, index + 1);
  }

  requestKeyFrame(): void {
    this.keyWanted = true;
  }

  framesInFlight(): number {
    return this.inFlight.length;
  }
}
