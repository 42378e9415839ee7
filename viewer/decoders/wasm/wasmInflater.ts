// The LZ4 block inflater in WebAssembly (assembly/lz4.ts, built by build.ts): blocks are copied into the module's
// memory and inflated there; the result is a view of that memory, so nothing is copied out.
import type { BlockInflater } from "../blockInflater.ts";

interface Exports {
  readonly memory: WebAssembly.Memory;
  lz4(src: number, srcLength: number, dst: number, expected: number): number;
  heapBase(): number;
  readonly SLACK: WebAssembly.Global;
}

const PAGE = 65536;
const align16 = (n: number) => (n + 15) & ~15;

export const instantiateWasmInflater = async (bytes: BufferSource): Promise<BlockInflater> => {
  const { instance } = await WebAssembly.instantiate(bytes);
  const x = instance.exports as unknown as Exports;
  const base = x.heapBase();
  const slack = x.SLACK.value as number;
  let memory = new Uint8Array(x.memory.buffer);
  const reserve = (end: number) => {
    if (end <= memory.length) return;
    x.memory.grow(Math.ceil((end - memory.length) / PAGE));
    memory = new Uint8Array(x.memory.buffer);
  };
  return {
    inflate: (block, expected) => {
      const dst = base + align16(block.length + slack);
      reserve(dst + expected + slack);
      memory.set(block, base);
      return x.lz4(base, block.length, dst, expected) === 1
        ? memory.subarray(dst, dst + expected)
        : undefined;
    },
  };
};
