// R-D3: the WebAssembly inflaters (LZ4 blocks; deflate and zlib streams for PNG tiles, deflate palette runs and cell
// lists) are bit-exact with the pure-TS references on valid input — for deflate, codes longer than the tables' 10
// bits included — give the same answer on cut, bent and random input, check zlib's header and Adler-32, and never
// write outside their output (plus the documented slack).
import { constants, deflateRawSync, deflateSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { createPrng, type Prng } from "../../../host/capture/prng.ts";
import { compressBlock, storedBlock } from "../../../host/encoders/lz4Block.ts";
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

const same = (method: "lz4" | "deflate", input: Uint8Array, expected: number, label: string) => {
  const a = ts[method](input, expected);
  const b = wasm[method](input, expected);
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
      same("lz4", block, n, `block ${i}`);
      same("lz4", block, n + 1, `block ${i}, one byte more`);
      if (n > 0) same("lz4", block, n - 1, `block ${i}, one byte less`);
    }
  });

  it("R-D3: cut, bent and random blocks get the same answer as the TS decoder", () => {
    const prng = createPrng(13);
    for (let i = 0; i < 400; i++) {
      const data = screenLike(prng);
      const block = compressBlock(data);
      same("lz4", block.subarray(0, prng.int(block.length + 1)), data.length, `cut ${i}`);
      const bent = block.slice();
      for (let k = 1 + prng.int(3); k > 0 && bent.length > 0; k--) {
        const at = prng.int(bent.length);
        bent[at] = bent[at]! ^ (1 << prng.int(8));
      }
      same("lz4", bent, data.length, `bent ${i}`);
      const noise = new Uint8Array(prng.int(64)).map(() => prng.int(256));
      same("lz4", noise, prng.int(2000), `noise ${i}`);
    }
  });

  it("R-D3: a block of literals only (the host's stored block) is its own output, aligned, and checked as any", () => {
    const prng = createPrng(14);
    for (const n of [0, 1, 14, 15, 16, 269, 270, 271, 12288, 16384]) {
      const data = new Uint8Array(n).map(() => prng.int(256));
      const block = storedBlock(data);
      const out = wasm.lz4(block, n);
      expect(out && Buffer.compare(out, data), `${n} literals`).toBe(0);
      expect((out?.byteOffset ?? 0) % 4, `${n} literals`).toBe(0);
      same("lz4", block, n + 1, `${n} literals, one more expected`);
      if (n > 0) same("lz4", block, n - 1, `${n} literals, one fewer expected`);
      same("lz4", block.subarray(0, block.length - 1), n, `${n} literals, cut`);
      same("lz4", Uint8Array.of(...block, 0), n, `${n} literals, a byte after`);
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

/**
 * Data whose Huffman codes span every length: byte values drawn with halving odds (up to 15-bit codes), runs,
 * repeats near and far, or noise.
 */
const deflateSample = (prng: Prng): Uint8Array => {
  const data = new Uint8Array(prng.int(30_000));
  const kind = prng.int(4);
  for (let j = 0; j < data.length; j++) {
    if (kind === 0) {
      let v = 0;
      while (v < 255 && prng.next() < 0.5) v++;
      data[j] = v;
    } else if (kind === 1) data[j] = j % (1 + prng.int(50)) === 0 ? prng.int(256) : (data[j - 1] ?? 0);
    else if (kind === 2)
      data[j] = j >= 300 && prng.next() < 0.9 ? data[j - 1 - prng.int(300)]! : prng.int(256);
    else data[j] = prng.int(256);
  }
  return data;
};

const OPTIONS = [
  { level: 0 },
  { level: 1 },
  { level: 6 },
  { level: 9 },
  { level: 6, strategy: constants.Z_FIXED },
  { level: 6, strategy: constants.Z_HUFFMAN_ONLY },
  { level: 6, strategy: constants.Z_RLE },
];

/**
 * A raw deflate stream of one fixed-Huffman block (RFC 1951 3.2.6): `literals` bytes (0–143, 8-bit codes), a match
 * of 3 bytes (length code 257) from `distance` back (distance codes 0–29 with their extra bits), `after` more
 * literals, and the block's end.
 */
const fixedBlock = (literals: number, distance: number, after: number): Uint8Array => {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  const put = (value: number, n: number) => {
    acc |= value << bits;
    bits += n;
    while (bits >= 8) {
      out.push(acc & 0xff);
      acc >>>= 8;
      bits -= 8;
    }
  };
  // Huffman codes go most significant bit first.
  const code = (value: number, n: number) => {
    for (let i = n - 1; i >= 0; i--) put((value >> i) & 1, 1);
  };
  put(1, 1); // final
  put(1, 2); // fixed Huffman
  for (let i = 0; i < literals; i++) code(0x30 + ((i * 7) % 144), 8);
  code(1, 7); // 257: length 3
  let d = 0;
  while (d < 29 && distanceBase(d + 1) <= distance) d++;
  code(d, 5);
  const extra = d < 4 ? 0 : (d >> 1) - 1;
  put(distance - distanceBase(d), extra);
  for (let i = 0; i < after; i++) code(0x30 + ((i * 5) % 144), 8);
  code(0, 7); // 256: end of block
  put(0, 7);
  return Uint8Array.from(out);
};

const distanceBase = (d: number): number => (d < 4 ? d + 1 : (1 << ((d >> 1) - 1)) * (2 + (d & 1)) + 1);

describe("R-D3 WebAssembly deflate inflater", () => {
  it("R-D3: inflates zlib's raw streams exactly: stored, fixed and dynamic blocks, long codes, every level", () => {
    const prng = createPrng(21);
    for (let i = 0; i < 120; i++) {
      const data = deflateSample(prng);
      const options = OPTIONS[i % OPTIONS.length]!;
      const out = wasm.deflate(deflateRawSync(data, options), data.length);
      expect(out && Buffer.compare(out, data), `input ${i}, ${JSON.stringify(options)}`).toBe(0);
    }
  });

  it("R-D3: a stream of another size, cut, bent or random gets the same answer as the TS decoder", () => {
    const prng = createPrng(22);
    for (let i = 0; i < 300; i++) {
      const data = deflateSample(prng);
      const stream = deflateRawSync(data, OPTIONS[i % OPTIONS.length]);
      same("deflate", stream, data.length + 1, `stream ${i}, one byte more`);
      if (data.length > 0) same("deflate", stream, data.length - 1, `stream ${i}, one byte less`);
      same("deflate", stream.subarray(0, prng.int(stream.length + 1)), data.length, `cut ${i}`);
      const bent = stream.slice();
      for (let k = 1 + prng.int(3); k > 0 && bent.length > 0; k--) {
        const at = prng.int(bent.length);
        bent[at] = bent[at]! ^ (1 << prng.int(8));
      }
      same("deflate", bent, data.length, `bent ${i}`);
      const noise = new Uint8Array(prng.int(200)).map(() => prng.int(256));
      same("deflate", noise, prng.int(5000), `noise ${i}`);
    }
  });

  it("R-D3: a match reaching back before the output is refused, at the start and far into the stream", () => {
    // Far from the output's end, the decoder takes its fast path; near it, its careful one.
    for (const literals of [0, 2, 200, 5000]) {
      for (const after of [0, 1000]) {
        const size = literals + 3 + after;
        for (const reach of [1, 2, 3]) {
          const stream = fixedBlock(literals, literals + reach, after);
          same(
            "deflate",
            stream,
            size,
            `${literals} literals, a match ${reach} before the output, ${after} after`,
          );
          expect(wasm.deflate(stream, size), `${literals}, ${reach}, ${after}`).toBeUndefined();
        }
        if (literals > 0) expect(wasm.deflate(fixedBlock(literals, literals, after), size)).toBeDefined();
      }
    }
  });

  it("R-D3: zlib streams (PNG image data) inflate with their header and Adler-32 checked", () => {
    const prng = createPrng(23);
    for (let i = 0; i < 40; i++) {
      const data = deflateSample(prng);
      const out = wasm.zlib(deflateSync(data, OPTIONS[i % OPTIONS.length]), data.length);
      expect(out && Buffer.compare(out, data), `input ${i}`).toBe(0);
    }
    const data = new TextEncoder().encode("a page of text, ".repeat(500));
    const z = deflateSync(data);
    const badSum = Uint8Array.from(z);
    badSum[badSum.length - 1]! ^= 1;
    expect(wasm.zlib(badSum, data.length)).toBeUndefined();
    const badHeader = Uint8Array.from(z);
    badHeader[0] = 0x79;
    expect(wasm.zlib(badHeader, data.length)).toBeUndefined();
    expect(wasm.zlib(z.subarray(0, 4), data.length)).toBeUndefined();
  });

  it("R-D3: writes nothing outside its output and 16 bytes after it, whatever the stream", async () => {
    // The raw export, with guard bytes around the output window.
    const { instance } = await WebAssembly.instantiate(bytes, {});
    const x = instance.exports as unknown as {
      memory: WebAssembly.Memory;
      inflate(src: number, n: number, dst: number, expected: number, tables: number): number;
      heapBase(): number;
      INFLATE_TABLE_BYTES: WebAssembly.Global;
    };
    x.memory.grow(8);
    const memory = new Uint8Array(x.memory.buffer);
    const tables = x.heapBase();
    const src = tables + (x.INFLATE_TABLE_BYTES.value as number);
    const dst = src + 120_000;
    const prng = createPrng(24);
    for (let i = 0; i < 300; i++) {
      const data = deflateSample(prng);
      const bent = deflateRawSync(data, OPTIONS[i % OPTIONS.length]);
      if (bent.length > 0 && i % 2 === 1) {
        const at = prng.int(bent.length);
        bent[at] = bent[at]! ^ (1 << prng.int(8));
      }
      const expected = Math.min(data.length, 20_000);
      memory.fill(0xa5, dst - 4096, dst + 40_000);
      memory.set(bent, src);
      const n = x.inflate(src, bent.length, dst, expected, tables);
      expect(n === -1 || (n >= 0 && n <= expected), `stream ${i} answers ${n}`).toBe(true);
      const before = memory.subarray(dst - 4096, dst);
      const after = memory.subarray(dst + expected + 16, dst + 40_000);
      expect(before.every((b) => b === 0xa5) && after.every((b) => b === 0xa5), `stream ${i}`).toBe(true);
    }
  });
});
