// R-D3: the WebAssembly LZ4 inflater is bit-exact with the pure-TS reference on valid blocks, gives the same answer
// on cut, bent and random ones, and never writes outside its output (plus the documented slack).
import { beforeAll, describe, expect, it } from "vitest";
import { createPrng, type Prng } from "../../../host/capture/prng.ts";
import { compressBlock } from "../../../host/encoders/lz4Block.ts";
import { type BlockInflater, createTsInflater } from "../blockInflater.ts";
import { buildDecodeKernels } from "./build.ts";
import { WasmKernels } from "./wasmKernels.ts";

let wasm: BlockInflater;
let bytes: Uint8Array<ArrayBuffer>;
const ts = createTsInflater();

beforeAll(async () => {
  bytes = await buildDecodeKernels();
  wasm = await WasmKernels.instantiate(bytes);
}, 120_000);

/** Screen-like data: runs over a small or a full alphabet, and short patterns repeated (overlapping matches). */
const screenLike = (prng: Prng): Uint8Array => {
  const data = new Uint8Array(prng.int(20000));
  const alphabet = 1 + prng.int(prng.next() < 0.5 ? 4 : 256);
  const run = 1 + prng.int(40);
  const period = 1 + prng.int(70);
  const periodic = prng.next() < 0.3;
  for (let j = 0; j < data.length; j++)
    data[j] = periodic && j >= period ? data[j - period]! : j % run === 0 ? prng.int(alphabet) : data[j - 1]!;
  return data;
};

/** A valid block of random sequences (every literal/offset/length size class), built by hand: not lz4-napi's choices. */
const randomBlock = (prng: Prng): { block: Uint8Array; size: number } => {
  const out: number[] = [];
  const length = (n: number) => {
    for (n -= 15; n >= 255; n -= 255) out.push(255);
    out.push(n);
  };
  let produced = 0;
  for (let s = prng.int(30); s >= 0; s--) {
    const literals = Math.max(produced === 0 ? 1 : 0, prng.next() < 0.2 ? prng.int(400) : prng.int(20));
    const last = s === 0;
    const matchLength = 4 + (prng.next() < 0.2 ? prng.int(600) : prng.int(30));
    const offset = 1 + prng.int(Math.min(65535, produced + literals));
    out.push((Math.min(literals, 15) << 4) | (last ? 0 : Math.min(matchLength - 4, 15)));
    if (literals >= 15) length(literals);
    for (let i = 0; i < literals; i++) out.push(prng.int(256));
    produced += literals;
    if (last) break;
    out.push(offset & 255, offset >>> 8);
    if (matchLength - 4 >= 15) length(matchLength - 4);
    produced += matchLength;
  }
  return { block: Uint8Array.from(out), size: produced };
};

const same = (block: Uint8Array, expected: number, label: string) => {
  const a = ts.lz4(block, expected);
  const b = wasm.lz4(block, expected);
  expect(b === undefined, label).toBe(a === undefined);
  if (a !== undefined && b !== undefined) expect(Buffer.compare(a, b), label).toBe(0);
};

describe("R-D3 WebAssembly LZ4 inflater", () => {
  it("R-D3: inflates lz4-napi's blocks of screen-like data exactly as the TS decoder", () => {
    const prng = createPrng(11);
    for (let i = 0; i < 300; i++) {
      const data = screenLike(prng);
      const out = wasm.lz4(compressBlock(data), data.length);
      expect(out && Buffer.compare(out, data), `input ${i}`).toBe(0);
    }
  });

  it("R-D3: hand-built random blocks (every offset 1–65535 class, long literals and matches) agree", () => {
    const prng = createPrng(12);
    for (let i = 0; i < 300; i++) {
      const { block, size: n } = randomBlock(prng);
      expect(ts.lz4(block, n), `block ${i} is valid`).toBeDefined();
      same(block, n, `block ${i}`);
      same(block, n + 1, `block ${i}, one byte more`);
      if (n > 0) same(block, n - 1, `block ${i}, one byte less`);
    }
  });

  it("R-D3: cut, bent and random blocks get the same answer as the TS decoder", () => {
    const prng = createPrng(13);
    for (let i = 0; i < 400; i++) {
      const data = screenLike(prng);
      const block = compressBlock(data);
      same(block.subarray(0, prng.int(block.length + 1)), data.length, `cut ${i}`);
      const bent = block.slice();
      for (let k = 1 + prng.int(3); k > 0 && bent.length > 0; k--) {
        const at = prng.int(bent.length);
        bent[at] = bent[at]! ^ (1 << prng.int(8));
      }
      same(bent, data.length, `bent ${i}`);
      const noise = new Uint8Array(prng.int(64)).map(() => prng.int(256));
      same(noise, prng.int(2000), `noise ${i}`);
    }
  });

  it("R-D3: writes nothing outside its output and slack, whatever the block", async () => {
    // The raw export, with guard bytes around the output window.
    const { instance } = await WebAssembly.instantiate(bytes, {});
    const x = instance.exports as unknown as {
      memory: WebAssembly.Memory;
      lz4(src: number, n: number, dst: number, expected: number): number;
      heapBase(): number;
      SLACK: WebAssembly.Global;
    };
    x.memory.grow(4);
    const memory = new Uint8Array(x.memory.buffer);
    const slack = x.SLACK.value as number;
    const src = x.heapBase();
    const dst = src + 70_000;
    const prng = createPrng(14);
    for (let i = 0; i < 300; i++) {
      const data = screenLike(prng);
      const block = prng.next() < 0.5 ? compressBlock(data) : randomBlock(prng).block;
      const bent = block.slice();
      if (bent.length > 0) {
        const at = prng.int(bent.length);
        bent[at] = bent[at]! ^ (1 << prng.int(8));
      }
      const expected = Math.min(data.length, 20_000);
      memory.fill(0xa5, dst - 4096, dst + 40_000);
      memory.set(bent, src);
      x.lz4(src, bent.length, dst, expected);
      const before = memory.subarray(dst - 4096, dst);
      const after = memory.subarray(dst + expected + slack, dst + 40_000);
      expect(before.every((b) => b === 0xa5) && after.every((b) => b === 0xa5), `block ${i}`).toBe(true);
    }
  });
});
