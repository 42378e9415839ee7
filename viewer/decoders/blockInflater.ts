// Where the decoders inflate what they were sent — LZ4 blocks, raw deflate streams, PNG's zlib streams: the pure-TS
// decoders here, or WebAssembly (wasm/) when the worker could load it. Both give the same answers
// (wasm/wasmKernels.test.ts).
import { inflateRawInto, inflateZlibInto } from "./inflateRaw.ts";
import { decompressBlock } from "./lz4Block.ts";
import { Scratch } from "./scratch.ts";

/**
 * Each method inflates its input, which must fill exactly `expected` bytes; undefined when it is corrupt or of another
 * size. The view starts 4-aligned (Display.putRgb's fast path) and is valid until the next call of any of them.
 */
export interface BlockInflater {
  /** One raw LZ4 block. */
  lz4(block: Uint8Array, expected: number): Uint8Array | undefined;
  /** One raw deflate stream (RFC 1951). */
  deflate(stream: Uint8Array, expected: number): Uint8Array | undefined;
  /** One zlib stream (RFC 1950, PNG's image data), its Adler-32 checked. */
  zlib(stream: Uint8Array, expected: number): Uint8Array | undefined;
}

/** The reference: the TS decoders into one reused buffer. */
export const createTsInflater = (): BlockInflater => {
  const scratch = new Scratch();
  return {
    lz4: (block, expected) => {
      const out = scratch.get(expected);
      return decompressBlock(block, out, expected) ? out : undefined;
    },
    deflate: (stream, expected) => {
      const out = scratch.get(expected);
      return inflateRawInto(stream, out) === expected ? out : undefined;
    },
    zlib: (stream, expected) => {
      const out = scratch.get(expected);
      return inflateZlibInto(stream, out) === expected ? out : undefined;
    },
  };
};
