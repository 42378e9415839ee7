// Where the LZ4-bearing decoders inflate their raw blocks: the pure-TS decoder here, or WebAssembly (wasm/) when the
// worker could load it. Both give the same answers (wasm/wasmInflater.test.ts).
import { decompressBlock } from "./lz4Block.ts";
import { Scratch } from "./scratch.ts";

export interface BlockInflater {
  /**
   * Inflates one raw LZ4 block that must fill exactly `expected` bytes; undefined when it is corrupt or of another
   * size. The view starts 4-aligned (Display.putRgb's fast path) and is valid until the next call.
   */
  inflate(block: Uint8Array, expected: number): Uint8Array | undefined;
}

/** The reference: `decompressBlock` into a reused buffer. */
export const createTsInflater = (): BlockInflater => {
  const scratch = new Scratch();
  return {
    inflate: (block, expected) => {
      const out = scratch.get(expected);
      return decompressBlock(block, out, expected) ? out : undefined;
    },
  };
};
