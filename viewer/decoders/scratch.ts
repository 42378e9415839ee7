// Reusable byte buffers for decoders, grown on demand (tile size comes from each frame's header).

export class Scratch {
  private bytes = new Uint8Array(64 * 64 * 4);

  /** A view of at least `size` bytes; valid until the next call. */
  get(size: number): Uint8Array {
    if (this.bytes.length < size) this.bytes = new Uint8Array(size);
    return this.bytes.subarray(0, size);
  }
}
