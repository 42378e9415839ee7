// Relay benchmark: the server's ScreenGateway + FrameRelay in a process of its own on loopback, one host streaming a
// 1920×1080 desktop at up to 60 fps to N fast viewers (1, 4, 8), with and without one viewer that never reads its
// socket. Per case: fast viewers' frame latency p50/p95 and frames/s, key frames forced, the relay's RSS and heap
// over time. One JSON line per case, also saved to out/bench/relay.json.
import { type ChildProcess, fork } from "node:child_process";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import * as Result from "effect/Result";
import WebSocket from "ws";
import { SyntheticSource } from "../host/capture/index.ts";
import { FrameEncoder } from "../host/encoders/index.ts";
import { screenProtocol } from "../protocol/screen/index.ts";
import { ScreenGateway } from "../server/relay/screenGateway.ts";
import { mib, summarise, writeResults } from "./stats.ts";

const CASE_MS = 4000;
const SOAK_MS = 15_000;
const WARMUP_MS = 500;
const FPS_MAX = 60;
const HOST_FRAMES_IN_FLIGHT_MAX = 2;
const DELTA_FRAMES = 90;
const HOST_KEY = "bench-host-key";
const MEMORY_SAMPLE_MS = 200;

interface MemorySample {
  rss: number;
  heapUsed: number;
}

// ---- the relay process -------------------------------------------------------------------------------------------

async function relayProcess(): Promise<void> {
  const gateway = new ScreenGateway({
    isHostKey: (_, key) => key === HOST_KEY,
    isPresenterKey: () => false,
    isCustomerKey: () => false,
    agentOfToken: (token) => token,
    isInSession: () => true,
    isOwner: (agentId) => agentId === "owner",
    screenStateChanged: () => {},
    levelSwitchEnabled: () => true,
  });
  const http = createServer((_, res) => res.writeHead(404).end());
  http.on("upgrade", (req, socket, head) => gateway.upgrade(req, socket, head));
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const address = http.address();
  const port = typeof address === "object" && address ? address.port : 0;
  process.send?.({ type: "listening", port });
  setInterval(() => {
    const m = process.memoryUsage();
    process.send?.({ type: "memory", rss: m.rss, heapUsed: m.heapUsed } satisfies MemorySample & {
      type: string;
    });
  }, MEMORY_SAMPLE_MS);
  process.on("disconnect", () => process.exit(0));
}

// ---- frames ------------------------------------------------------------------------------------------------------

interface Frames {
  key: Uint8Array;
  deltas: Uint8Array[];
  scene: string;
}

/** One key frame and a run of delta frames of a real scene, encoded once; the host replays them with new numbers. */
async function encodeFrames(): Promise<Frames> {
  const scene = "window-drag";
  const source = new SyntheticSource({ scene, seed: 1 });
  const encoder = new FrameEncoder();
  const encode = async () => {
    const r = encoder.encode((await source.grab()).image);
    if (Result.isFailure(r)) throw new Error(r.failure.message);
    return Uint8Array.from(r.success.bytes);
  };
  const key = await encode();
  const deltas: Uint8Array[] = [];
  for (let i = 0; i < DELTA_FRAMES; i++) deltas.push(await encode());
  return { key, deltas, scene };
}

const numbered = (frame: Uint8Array, seq: number): Buffer => {
  const copy = Buffer.from(frame);
  copy.writeUInt32LE(seq >>> 0, 8);
  return copy;
};
const seqOf = (frame: Buffer): number => frame.readUInt32LE(8);
const isKey = (frame: Uint8Array): boolean => (frame[5]! & 1) === 1;

// ---- clients -----------------------------------------------------------------------------------------------------

const open = (url: string, secret: string): Promise<WebSocket> =>
  new Promise((resolve, reject) => {
    const ws = new WebSocket(url, [screenProtocol, `auth.${secret}`], { perMessageDeflate: false });
    ws.once("open", () => resolve(ws));
    ws.once("error", reject);
  });

class Host {
  readonly sentAt = new Map<number, number>();
  private seq = 0;
  private next = 0;
  private inFlight: number[] = [];
  private keyWanted = true;
  private timer: NodeJS.Timeout | null = null;
  private lastAt = 0;
  private running = true;
  stats = { frames: 0, keyFrames: 0, keyRequests: 0, bytes: 0 };

  constructor(
    private readonly ws: WebSocket,
    private readonly frames: Frames,
  ) {
    ws.on("message", (data, binary) => {
      if (binary) return;
      const m = JSON.parse(String(data)) as { type: string; seq?: number };
      if (m.type === "ack") {
        const i = this.inFlight.indexOf(m.seq!);
        if (i >= 0) this.inFlight.splice(0, i + 1);
        this.sentAt.delete(m.seq! - 600);
      } else if (m.type === "keyFrame") {
        this.stats.keyRequests++;
        this.keyWanted = true;
      }
      this.schedule();
    });
    ws.send(JSON.stringify({ type: "share", level: "view", monitors: [] }));
    this.schedule();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
  }

  private schedule(): void {
    if (!this.running || this.timer || this.inFlight.length >= HOST_FRAMES_IN_FLIGHT_MAX) return;
    const wait = Math.max(0, this.lastAt + 1000 / FPS_MAX - performance.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.send();
    }, wait);
  }

  private send(): void {
    if (!this.running || this.inFlight.length >= HOST_FRAMES_IN_FLIGHT_MAX) return;
    const source = this.keyWanted
      ? this.frames.key
      : this.frames.deltas[this.next++ % this.frames.deltas.length]!;
    this.keyWanted = false;
    const seq = ++this.seq;
    const frame = numbered(source, seq);
    this.lastAt = performance.now();
    this.sentAt.set(seq, this.lastAt);
    this.inFlight.push(seq);
    this.stats.frames++;
    this.stats.bytes += frame.length;
    if (isKey(frame)) this.stats.keyFrames++;
    this.ws.send(frame);
    this.schedule();
  }
}

class FastViewer {
  readonly latencyMs: number[] = [];
  frames = 0;
  measuring = false;

  constructor(
    readonly ws: WebSocket,
    host: () => Host | undefined,
  ) {
    ws.on("message", (data, binary) => {
      if (!binary) return;
      const frame = data as Buffer;
      const seq = seqOf(frame);
      const sentAt = host()?.sentAt.get(seq);
      if (this.measuring && sentAt !== undefined) {
        this.latencyMs.push(performance.now() - sentAt);
        this.frames++;
      }
      ws.send(JSON.stringify({ type: "ack", seq }));
    });
  }
}

// ---- cases -------------------------------------------------------------------------------------------------------

interface RelayChild {
  port: number;
  memory: MemorySample[];
  child: ChildProcess;
}

async function startRelay(): Promise<RelayChild> {
  const child = fork(fileURLToPath(import.meta.url), ["--relay"], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const memory: MemorySample[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    child.on("message", (m: { type: string; port?: number } & MemorySample) => {
      if (m.type === "listening") resolve(m.port!);
      else if (m.type === "memory") memory.push({ rss: m.rss, heapUsed: m.heapUsed });
    });
    child.once("exit", (code) => reject(new Error(`relay exited (${code})`)));
  });
  return { port, memory, child };
}

let sessionCounter = 0;

async function runCase(relay: RelayChild, frames: Frames, fastCount: number, slow: boolean, caseMs: number) {
  const sessionId = `bench-${++sessionCounter}`;
  const base = `ws://127.0.0.1:${relay.port}/screen?session=${sessionId}`;
  let host: Host | undefined;
  const fast: FastViewer[] = [];
  for (let i = 0; i < fastCount; i++) {
    fast.push(new FastViewer(await open(`${base}&role=viewer`, i === 0 ? "owner" : `agent${i}`), () => host));
  }
  // The slow viewer connects and then never reads its socket again: what it is sent piles up in the kernel's
  // buffers and then in the relay's `bufferedAmount`.
  const stuck = slow ? await open(`${base}&role=viewer`, "slowpoke") : undefined;
  stuck?.pause();
  host = new Host(await open(`${base}&role=host`, HOST_KEY), frames);
  await new Promise((r) => setTimeout(r, WARMUP_MS));
  const memoryFrom = relay.memory.length;
  const before = { ...host.stats };
  for (const v of fast) v.measuring = true;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, caseMs));
  const seconds = (performance.now() - t0) / 1000;
  for (const v of fast) v.measuring = false;
  host.stop();
  const memory = relay.memory.slice(memoryFrom);
  const latency = summarise(fast.flatMap((v) => v.latencyMs));
  const fps = fast.map((v) => v.frames / seconds);
  const hostFrames = host.stats.frames - before.frames;
  const result = {
    case: `1920×1080 ${frames.scene}, ${fastCount} fast viewer${fastCount > 1 ? "s" : ""}${slow ? " + 1 never reading" : ""}`,
    fastViewers: fastCount,
    slowViewer: slow,
    seconds: Math.round(seconds * 100) / 100,
    hostFramesPerSecond: Math.round((hostFrames / seconds) * 10) / 10,
    fastFramesPerSecondMin: Math.round(Math.min(...fps) * 10) / 10,
    fastFramesPerSecondMean: Math.round((fps.reduce((a, b) => a + b, 0) / fps.length) * 10) / 10,
    latencyP50Ms: latency.p50Ms,
    latencyP95Ms: latency.p95Ms,
    latencyMaxMs: latency.maxMs,
    keyFramesSent: host.stats.keyFrames - before.keyFrames,
    keyFrameRequests: host.stats.keyRequests - before.keyRequests,
    hostMiBPerSecond: Math.round(((host.stats.bytes - before.bytes) / 1024 / 1024 / seconds) * 10) / 10,
    relayMemorySamples: memory.length,
    relayRssMiB: {
      first: mib(memory[0]?.rss ?? 0),
      max: mib(Math.max(...memory.map((m) => m.rss))),
      last: mib(memory.at(-1)?.rss ?? 0),
    },
    relayHeapMiB: {
      first: mib(memory[0]?.heapUsed ?? 0),
      max: mib(Math.max(...memory.map((m) => m.heapUsed))),
      last: mib(memory.at(-1)?.heapUsed ?? 0),
    },
  };
  for (const v of fast) v.ws.terminate();
  stuck?.terminate();
  return result;
}

async function main(): Promise<void> {
  const frames = await encodeFrames();
  const deltaBytes = frames.deltas.reduce((a, f) => a + f.length, 0) / frames.deltas.length;
  const setup = {
    case: "frames",
    scene: frames.scene,
    keyFrameKiB: Math.round(frames.key.length / 1024),
    deltaFrameKiBMean: Math.round(deltaBytes / 102.4) / 10,
    fpsMax: FPS_MAX,
    hostFramesInFlightMax: HOST_FRAMES_IN_FLIGHT_MAX,
  };
  console.log(JSON.stringify(setup));
  const results: unknown[] = [setup];
  const relay = await startRelay();
  try {
    for (const n of [1, 4, 8]) {
      for (const slow of [false, true]) {
        const r = await runCase(relay, frames, n, slow, CASE_MS);
        console.log(JSON.stringify(r));
        results.push(r);
      }
    }
    // Longer, to see the relay's memory settle while a viewer stays stuck (its resyncs back off to one per 4 s).
    const soak = { ...(await runCase(relay, frames, 8, true, SOAK_MS)), soak: true };
    console.log(JSON.stringify(soak));
    results.push(soak);
  } finally {
    relay.child.kill();
  }
  writeResults("out/bench/relay.json", results);
}

if (process.argv.includes("--relay")) await relayProcess();
else await main();
