// The sending side of a file transfer's window (R-T1), the same in the customer's host and the agent's console: how
// far each file was sent and acknowledged, a pump that waits while the window is full, and a generation that stops
// an old pump when the receiver resumes the transfer or it ends.

export class SendWindow {
  private readonly sent = new Map<number, number>();
  private readonly acked = new Map<number, number>();
  private wake: (() => void) | null = null;
  private generation = 0;

  /** Stops the pump running (if any) and returns the new pump's test: true while no later pump or `stop` came. */
  restart(): () => boolean {
    this.stop();
    const generation = this.generation;
    return () => this.generation === generation;
  }

  /** Stops the running pump: its test turns false and a wait for room ends. */
  stop(): void {
    this.generation++;
    this.wakeUp();
  }

  /** A file is sent from `offset` on: what comes before it, the receiver has. */
  startFile(index: number, offset: number): void {
    this.sent.set(index, offset);
    this.acked.set(index, offset);
  }

  /** A file was sent up to `offset`. */
  sentUpTo(index: number, offset: number): void {
    this.sent.set(index, offset);
  }

  /** The receiver has a file up to `offset` (acknowledgements may come late, out of order or twice). */
  ack(index: number, offset: number): void {
    if (offset > (this.acked.get(index) ?? 0)) this.acked.set(index, offset);
    this.wakeUp();
  }

  /** Bytes sent and not acknowledged yet. */
  get inFlight(): number {
    let n = 0;
    for (const [index, sent] of this.sent) n += sent - (this.acked.get(index) ?? 0);
    return n;
  }

  /** Waits until `bytes` more fit within `windowBytes` in flight, or `live` turns false. */
  async room(bytes: number, windowBytes: number, live: () => boolean): Promise<void> {
    while (live() && this.inFlight + bytes > windowBytes) await new Promise<void>((w) => (this.wake = w));
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
