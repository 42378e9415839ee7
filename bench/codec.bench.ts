// Codec benchmark: encodes and decodes fixed synthetic 1920×1080 sequences; one JSON line per case, also saved to out/bench/codec.json.
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { Result } from "effect";
import { FrameEncoder } from "../host/encoders/index.ts";
import type { RgbaImage } from "../protocol/frame/index.ts";
import { FrameDecoder } from "../viewer/decoders/index.ts";
import { Display } from "../viewer/display/index.ts";
import { benchCases, HEIGHT, WIDTH } from "./codecScenes.ts";

/** Frames timed per case, after the key frame and the warm-up frames. */
const MEASURED_FRAMES = 40;
const WARMUP_FRAMES = 5;
const RAW_FRAME_BYTES = WIDTH * HEIGHT * 4;

const percentile = (xs: readonly number[], p: number): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const round = (x: number, digits = 2): number => Number(x.toFixed(digits));

const identical = (image: RgbaImage, display: Display): boolean => {
  const a = image.data;
  const b = display.pixels;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

const run = async (name: string, frames: RgbaImage[], keyFrameCase: boolean) => {
  const encoder = new FrameEncoder();
  const display = new Display();
  const decoder = new FrameDecoder(display);
  const encodeMs: number[] = [];
  const encodeCpuMs: number[] = [];
  const decodeMs: number[] = [];
  const bytes: number[] = [];
  const records: Record<string, number> = {};
  for (let i = 0; i < frames.length; i++) {
    if (keyFrameCase) encoder.requestKeyFrame();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const encoded = encoder.encode(frames[i]!);
    const t1 = performance.now();
    const cpu = process.cpuUsage(c0);
    if (Result.isFailure(encoded)) throw encoded.failure;
    const applied = await decoder.apply(encoded.success.bytes);
    const t2 = performance.now();
    if (Result.isFailure(applied)) throw applied.failure;
    const measured = keyFrameCase ? i >= WARMUP_FRAMES : i > WARMUP_FRAMES;
    if (!measured) continue;
    encodeMs.push(t1 - t0);
    encodeCpuMs.push((cpu.user + cpu.system) / 1000);
    decodeMs.push(t2 - t1);
    bytes.push(encoded.success.bytes.length);
    for (const [k, v] of Object.entries(encoded.success.records)) records[k] = (records[k] ?? 0) + v;
  }
  const meanBytes = bytes.reduce((a, b) => a + b, 0) / bytes.length;
  const meanEncodeMs = encodeMs.reduce((a, b) => a + b, 0) / encodeMs.length;
  return {
    case: name,
    frames: bytes.length,
    encodeMsP50: round(percentile(encodeMs, 50)),
    encodeMsP95: round(percentile(encodeMs, 95)),
    // CPU time of the encoding thread(s): steadier than wall time on a shared machine.
    encodeCpuMsP50: round(percentile(encodeCpuMs, 50)),
    decodeMsP50: round(percentile(decodeMs, 50)),
    decodeMsP95: round(percentile(decodeMs, 95)),
    bytesPerFrame: Math.round(meanBytes),
    compressionRatio: round(RAW_FRAME_BYTES / meanBytes, 1),
    encodeMBps: round(RAW_FRAME_BYTES / 1e6 / (meanEncodeMs / 1000), 1),
    recordsPerFrame: Object.fromEntries(
      Object.entries(records).map(([k, v]) => [k, round(v / bytes.length, 1)]),
    ),
    bitExact: identical(frames[frames.length - 1]!, display),
    loadAverage1m: round(loadavg()[0]!),
  };
};

const results = [];
for (const bench of benchCases) {
  const keyFrameCase = bench.name.includes("key frame");
  const frames = bench.frames(WARMUP_FRAMES + MEASURED_FRAMES);
  const result = await run(bench.name, frames, keyFrameCase);
  console.log(JSON.stringify(result));
  results.push(result);
}
mkdirSync("out/bench", { recursive: true });
writeFileSync("out/bench/codec.json", `${JSON.stringify(results, null, 2)}\n`);
