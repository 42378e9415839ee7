// Codec benchmark: replays fixed 1920×1080 scenes through Tandem's FrameEncoder → FrameDecoder → Display and, on the
// same frames, two baselines (full-frame PNG through pngjs, full-frame LZ4 through lz4-napi). One JSON line per
// case; out/bench/codec.json and the plot out/bench/codec.svg.
import { execSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import * as Result from "effect/Result";
import { compressSync } from "lz4-napi";
import { PNG } from "pngjs";
import { FrameEncoder } from "../host/encoders/index.ts";
import { PNG_WRITE_OPTIONS } from "../host/encoders/pngEncoder.ts";
import { createImage, type RgbaImage } from "../protocol/frame/index.ts";
import { decodePng, decompressBlock, FrameDecoder } from "../viewer/decoders/index.ts";
import { buildDecodeKernels } from "../viewer/decoders/wasm/build.ts";
import { WasmKernels } from "../viewer/decoders/wasm/index.ts";
import { Display } from "../viewer/display/index.ts";
import { codecPlotSvg } from "./codecPlot.ts";
import { type BenchCase, benchCases, HEIGHT, WIDTH } from "./codecScenes.ts";

const PIXELS = WIDTH * HEIGHT;
const FULL = { x: 0, y: 0, width: WIDTH, height: HEIGHT };
/** lz4-napi puts the uncompressed size in front of the raw block. */
const LZ4_SIZE_PREFIX = 4;
const TARGETS = {
  terminalScrollMbps: 2,
  officeFrameEncodeMs: 8,
  fullScreenEncodeMs: 1000 / 30,
} as const;

const percentile = (xs: readonly number[], p: number): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
};
const round = (x: number, digits = 2): number => Number(x.toFixed(digits));
const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
const uptime = (): string => execSync("uptime", { encoding: "utf8" }).trim();

/** The display holds exactly the frame (RGB; both are opaque). */
const sameAs = (image: RgbaImage, display: Display): boolean => {
  const p = display.pixels;
  return Buffer.compare(image.data, new Uint8Array(p.buffer, p.byteOffset, p.byteLength)) === 0;
};

/** Pixels (RGB) that differ between two frames. */
const changedPixels = (a: RgbaImage, b: RgbaImage): number => {
  const wa = new Uint32Array(a.data.buffer, a.data.byteOffset, PIXELS);
  const wb = new Uint32Array(b.data.buffer, b.data.byteOffset, PIXELS);
  const rowBytes = WIDTH * 4;
  let n = 0;
  for (let y = 0; y < HEIGHT; y++) {
    const o = y * rowBytes;
    if (Buffer.compare(a.data.subarray(o, o + rowBytes), b.data.subarray(o, o + rowBytes)) === 0) continue;
    for (let i = y * WIDTH, end = i + WIDTH; i < end; i++) if (((wa[i]! ^ wb[i]!) & 0xffffff) !== 0) n++;
  }
  return n;
};

const packRgb = (image: RgbaImage, out: Uint8Array): Uint8Array => {
  const d = image.data;
  for (let i = 0, o = 0; i < d.length; i += 4, o += 3) {
    out[o] = d[i]!;
    out[o + 1] = d[i + 1]!;
    out[o + 2] = d[i + 2]!;
  }
  return out;
};

/** One codec's samples over the measured frames. */
class Track {
  readonly encodeMs: number[] = [];
  readonly encodeCpuMs: number[] = [];
  readonly decodeMs: number[] = [];
  readonly bytes: number[] = [];
  bitExact = true;
  lastBytes: Uint8Array = new Uint8Array(0);
  constructor(readonly display = new Display()) {}

  /** Times `encode` (wall and process CPU) and `decode`; records only when `measured`. */
  async frame(
    measured: boolean,
    image: RgbaImage,
    encode: () => Uint8Array,
    decode: (bytes: Uint8Array) => Promise<void> | void,
  ): Promise<Uint8Array> {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const bytes = encode();
    this.lastBytes = bytes;
    const t1 = performance.now();
    const cpu = process.cpuUsage(c0);
    await decode(bytes);
    const t2 = performance.now();
    this.bitExact &&= sameAs(image, this.display);
    if (measured) {
      this.encodeMs.push(t1 - t0);
      this.encodeCpuMs.push((cpu.user + cpu.system) / 1000);
      this.decodeMs.push(t2 - t1);
      this.bytes.push(bytes.length);
    }
    return bytes;
  }

  summary(changed: number, naturalFps: number | undefined) {
    const total = sum(this.bytes);
    const perFrame = total / this.bytes.length;
    const mbps = (fps: number) => round((perFrame * 8 * fps) / 1e6, 3);
    return {
      bytesTotal: total,
      bytesPerFrame: Math.round(perFrame),
      bytesPerChangedPixel: changed > 0 ? round(total / changed, 4) : null,
      encodeMsP50: round(percentile(this.encodeMs, 50)),
      encodeMsP95: round(percentile(this.encodeMs, 95)),
      // CPU time of the process while encoding: steadier than wall time on a busy machine.
      encodeCpuMsP50: round(percentile(this.encodeCpuMs, 50)),
      decodeMsP50: round(percentile(this.decodeMs, 50)),
      decodeMsP95: round(percentile(this.decodeMs, 95)),
      mbpsAt30fps: mbps(30),
      ...(naturalFps === undefined ? {} : { naturalFps, mbpsAtNaturalFps: mbps(naturalFps) }),
      bitExact: this.bitExact,
    };
  }
}

const run = async (bench: BenchCase) => {
  const buffers = [createImage(WIDTH, HEIGHT), createImage(WIDTH, HEIGHT)];
  const rgb = new Uint8Array(PIXELS * 3);
  const scratch = new Uint8Array(PIXELS * 3);
  const encoder = new FrameEncoder();
  // Decoded as the viewer's worker does (WebAssembly kernels), and again by the pure-TS decoders (the fallback).
  const kernels = await WasmKernels.instantiate(await buildDecodeKernels());
  const tandem = new Track(new Display({ kernels }));
  const decoder = new FrameDecoder(tandem.display, { inflater: kernels });
  const tsDisplay = new Display();
  const tsDecoder = new FrameDecoder(tsDisplay);
  const tsDecodeMs: number[] = [];
  let tsBitExact = true;
  const png = new Track();
  const lz4 = new Track();
  const records: Record<string, number> = {};
  let changed = 0;
  let dirtyTiles = 0;
  // One pass per codec over the same frames, so no codec's garbage (a baseline allocates megabytes a frame)
  // is collected inside another's timings. Frames are drawn again for each pass: a pure function of i.
  const replay = async (step: (cur: RgbaImage, measured: boolean, prev: RgbaImage) => Promise<unknown>) => {
    for (let i = 0; i < bench.frames; i++) {
      const cur = buffers[i % 2]!;
      bench.render(i, cur);
      await step(cur, i > bench.warmupFrames, buffers[(i + 1) % 2]!);
    }
  };
  await replay(async (cur, measured, prev) => {
    if (measured) changed += changedPixels(cur, prev);
    let encoded: { records: Readonly<Record<string, number>>; dirtyTiles: number } | undefined;
    await tandem.frame(
      measured,
      cur,
      () => {
        const r = encoder.encode(cur);
        if (Result.isFailure(r)) throw r.failure;
        encoded = r.success;
        return r.success.bytes;
      },
      async (bytes) => {
        const applied = await decoder.apply(bytes);
        if (Result.isFailure(applied)) throw applied.failure;
      },
    );
    const bytes = tandem.lastBytes;
    const t0 = performance.now();
    const applied = await tsDecoder.apply(bytes);
    if (measured) tsDecodeMs.push(performance.now() - t0);
    if (Result.isFailure(applied)) throw applied.failure;
    tsBitExact &&= sameAs(cur, tsDisplay);
    if (measured && encoded !== undefined) {
      dirtyTiles += encoded.dirtyTiles;
      for (const [k, v] of Object.entries(encoded.records)) records[k] = (records[k] ?? 0) + v;
    }
  });
  await replay((cur, measured) =>
    png.frame(
      measured,
      cur,
      () =>
        PNG.sync.write(
          { width: WIDTH, height: HEIGHT, data: Buffer.from(packRgb(cur, rgb).buffer) } as unknown as PNG,
          PNG_WRITE_OPTIONS,
        ),
      async (bytes) => {
        const decoded = await decodePng(bytes);
        if (Result.isFailure(decoded)) throw decoded.failure;
        if (png.display.width !== WIDTH) png.display.reset(WIDTH, HEIGHT);
        png.display.putRgb(FULL, decoded.success.rgb, decoded.success.rowBytes);
      },
    ),
  );
  await replay((cur, measured) =>
    lz4.frame(
      measured,
      cur,
      () => compressSync(Buffer.from(packRgb(cur, rgb).buffer)),
      (bytes) => {
        if (!decompressBlock(bytes.subarray(LZ4_SIZE_PREFIX), scratch, scratch.length))
          throw new Error("bad LZ4");
        if (lz4.display.width !== WIDTH) lz4.display.reset(WIDTH, HEIGHT);
        lz4.display.putRgb(FULL, scratch);
      },
    ),
  );
  const frames = tandem.bytes.length;
  return {
    case: bench.name,
    frames,
    changedPixelsPerFrame: Math.round(changed / frames),
    dirtyTilesPerFrame: round(dirtyTiles / frames, 1),
    tandem: {
      ...tandem.summary(changed, bench.naturalFps),
      decodeTsMsP50: round(percentile(tsDecodeMs, 50)),
      decodeTsMsP95: round(percentile(tsDecodeMs, 95)),
      tsBitExact,
      recordsPerFrame: Object.fromEntries(Object.entries(records).map(([k, v]) => [k, round(v / frames, 2)])),
    },
    pngBaseline: png.summary(changed, bench.naturalFps),
    lz4Baseline: lz4.summary(changed, bench.naturalFps),
    loadAverage1m: round(loadavg()[0]!),
  };
};

type CaseResult = Awaited<ReturnType<typeof run>>;

/** The targets beside the figures measured for them; `met` judged on the median (p95 shown). */
const targetsFor = (r: CaseResult) => {
  const t = r.tandem;
  if (r.case.startsWith("terminal scroll")) {
    const fps = t.naturalFps ?? 30;
    const mbps = t.mbpsAtNaturalFps ?? t.mbpsAt30fps;
    return [
      {
        target: `fast terminal scrolling at 1080p ≤ ${TARGETS.terminalScrollMbps} Mbit/s average`,
        measured: `${mbps} Mbit/s at ${fps} fps (${t.mbpsAt30fps} at 30 fps)`,
        met: mbps <= TARGETS.terminalScrollMbps,
      },
    ];
  }
  if (r.case.startsWith("office typing") || r.case === "support-session mix") {
    return [
      {
        target: `diff + encode of a typical office frame at 1080p < ${TARGETS.officeFrameEncodeMs} ms`,
        measured: `p50 ${t.encodeMsP50} ms, p95 ${t.encodeMsP95} ms (CPU p50 ${t.encodeCpuMsP50} ms)`,
        met: t.encodeMsP50 < TARGETS.officeFrameEncodeMs,
      },
    ];
  }
  if (r.case === "full-screen change: new desktop content") {
    return [
      {
        target: "full-screen change encoded at ≥ 30 fps (< 33.3 ms)",
        measured: `p50 ${t.encodeMsP50} ms, p95 ${t.encodeMsP95} ms (CPU p50 ${t.encodeCpuMsP50} ms) = ${round(1000 / t.encodeMsP50, 1)} fps at p50`,
        met: t.encodeMsP50 < TARGETS.fullScreenEncodeMs,
      },
    ];
  }
  return [];
};

const uptimeBefore = uptime();
console.log(JSON.stringify({ uptime: uptimeBefore }));
const results = [];
// CODEC_CASES=full-screen,terminal runs only the cases whose name contains one of those words (no plot, no JSON file).
const only = process.env.CODEC_CASES?.split(",");
for (const bench of benchCases) {
  if (only !== undefined && !only.some((word) => bench.name.includes(word))) continue;
  const result = await run(bench);
  const line = { ...result, targets: targetsFor(result) };
  console.log(JSON.stringify(line));
  results.push(line);
}
const uptimeAfter = uptime();
const summary = {
  uptimeBefore,
  uptimeAfter,
  lossless: results.every(
    (r) => r.tandem.bitExact && r.tandem.tsBitExact && r.pngBaseline.bitExact && r.lz4Baseline.bitExact,
  ),
  targets: results.flatMap((r) => r.targets.map((t) => ({ case: r.case, ...t }))),
};
console.log(JSON.stringify({ summary }));
if (only !== undefined) process.exit(0); // a partial run must not overwrite the whole run's figures
mkdirSync("out/bench", { recursive: true });
writeFileSync("out/bench/codec.json", `${JSON.stringify({ summary, cases: results }, null, 2)}\n`);
writeFileSync(
  "out/bench/codec.svg",
  codecPlotSvg(
    "npm run bench:codec — 1920×1080, lossless",
    `Mean Mbit/s at 30 fps per case; load average at start: ${uptimeBefore.replace(/^.*load average: /, "")}`,
    results.map((r) => ({
      label: r.case,
      values: [r.tandem.mbpsAt30fps, r.pngBaseline.mbpsAt30fps, r.lz4Baseline.mbpsAt30fps],
    })),
    [{ value: TARGETS.terminalScrollMbps, label: "2 Mbit/s (terminal scroll target)" }],
  ),
);
