// The host's side of frame flow control: a bounded number of frames in flight, and a key frame when the relay asks.
// Changes made while the host waits are not queued: the next frame is diffed against the last one sent, so they coalesce.
// It also estimates the link from how long large frames take to be acknowledged, for the encoder's speed/bytes trade.

export interface FrameFlowOptions {
  /** Frames sent and not yet acknowledged by the relay, at most. */
  framesInFlightMax: number;
}

export const defaultFrameFlowOptions: FrameFlowOptions = { framesInFlightMax: 2 };

/**
 * Frames smaller than this say more about the round trip than about the link's rate, so they are not sampled. The
 * acknowledgement comes from the first viewer, so a sample spans host → server → viewer, the viewer's decode, and back.
 */
export const LINK_SAMPLE_MIN_BYTES = 64 * 1024;
/** Recent frames whose fastest acknowledgement is the round trip, and recent large frames whose fastest is the rate. */
const ROUND_TRIPS_KEPT = 32;
const SAMPLES_KEPT = 8;

interface SentFrame {
  readonly seq: number;
  readonly bytes: number;
  readonly at: number;
}

export class FrameFlow {
  private readonly inFlight: SentFrame[] = [];
  private keyWanted = true;
  private readonly roundTrips: number[] = [];
  private readonly samples: number[] = [];

  constructor(private readonly options: FrameFlowOptions = defaultFrameFlowOptions) {}

  /** May the host capture and send another frame now? */
  canSend(): boolean {
    return this.inFlight.length < this.options.framesInFlightMax;
  }

  /** Should the next frame be a key frame (first frame, or a viewer joined or fell out of step)? */
  wantsKeyFrame(): boolean {
    return this.keyWanted;
  }

  /** Frame `seq` of `bytes` bytes left at `at` (ms). */
  sent(seq: number, key: boolean, bytes = 0, at = 0): void {
    this.inFlight.push({ seq, bytes, at });
    if (key) this.keyWanted = false;
  }

  /** The relay acknowledged `seq` (and so every earlier frame) at `at` (ms). */
  acked(seq: number, at = 0): void {
    const index = this.inFlight.findIndex((f) => f.seq === seq);
    if (index < 0) return;
    const frame = this.inFlight[index]!;
    this.inFlight.splice(0, index + 1);
    const elapsed = at - frame.at;
    keep(this.roundTrips, elapsed, ROUND_TRIPS_KEPT);
    if (frame.bytes < LINK_SAMPLE_MIN_BYTES) return;
    // The time the bytes took beyond the fixed round trip. Stalls on either end (a busy viewer, a busy host) only
    // make samples slower, never faster: the fastest recent one is the link's capacity.
    const transfer = Math.max(1, elapsed - Math.min(...this.roundTrips));
    keep(this.samples, (frame.bytes * 8 * 1000) / transfer, SAMPLES_KEPT);
  }

  /** The link's rate as recent large frames found it, in bits per second; undefined before the first large frame. */
  linkBitsPerSecond(): number | undefined {
    return this.samples.length === 0 ? undefined : Math.max(...this.samples);
  }

  requestKeyFrame(): void {
    this.keyWanted = true;
  }

  framesInFlight(): number {
    return this.inFlight.length;
  }
}

const keep = (recent: number[], value: number, max: number): void => {
  recent.push(value);
  if (recent.length > max) recent.shift();
};
