// Inflates a zlib stream with the platform's DecompressionStream (browsers, Node ≥ 18): no Node APIs, no copies of zlib.

/**
 * The inflated bytes, or `undefined` when the stream is corrupt or would exceed `maxBytes`
 * (the caller knows the exact size a tile can have, so anything larger is refused early).
 */
export const inflate = async (data: Uint8Array, maxBytes: number): Promise<Uint8Array | undefined> => {
  const stream = new DecompressionStream("deflate");
  const writer = stream.writable.getWriter();
  // Write errors surface again on the readable side; swallow them here so none goes unhandled.
  writer.write(data as Uint8Array<ArrayBuffer>).catch(() => undefined);
  writer.close().catch(() => undefined);
  const reader = stream.readable.getReader();
  const out = new Uint8Array(maxBytes);
  let length = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return out.subarray(0, length);
      if (length + value.length > maxBytes) {
        await reader.cancel().catch(() => undefined);
        return undefined;
      }
      out.set(value, length);
      length += value.length;
    }
  } catch {
    return undefined;
  }
};
