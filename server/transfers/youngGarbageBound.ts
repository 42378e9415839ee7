// Bounds the garbage a file relay leaves behind. Every relayed chunk leaves dead buffers: the socket's reads and the
// message ws assembled from them. V8 frees young buffers only once 32 MiB of them have piled up (twice its default
// semi-space, fixed in Node 20's V8, whatever --max-semi-space-size says), so a long transfer kept ~32 MiB of dead
// buffers in the server at all times (bench:transfer, `--trace-gc`: "Scavenge … external memory pressure" every
// 16 MiB relayed). A young-generation collection every `everyBytes` relayed keeps that to a few MiB, for well under
// a millisecond each. It needs `--expose-gc` (npm start passes it); without it, V8's own policy applies.

type MinorGc = (options: { type: "minor" }) => void;

export class YoungGarbageBound {
  private relayed = 0;

  constructor(
    private readonly everyBytes = 8 * 1024 * 1024,
    private readonly gc: MinorGc | undefined = (globalThis as { gc?: MinorGc }).gc,
  ) {}

  /** `bytes` more went through the relay; collects the young generation each time `everyBytes` have. */
  add(bytes: number): void {
    if (!this.gc) return;
    this.relayed += bytes;
    if (this.relayed < this.everyBytes) return;
    this.relayed = 0;
    this.gc({ type: "minor" });
  }
}
