// R-T1 benchmark: a 1 GiB file from the host to an agent through a real server on loopback. The server runs in its own
// process so its RSS can be sampled; prints one JSON line per case with throughput and server RSS growth next to the
// targets (≥ 100 MB/s, < 32 MiB). `npm run bench:transfer [-- --mib 1024 --chunk-kib 512 --window-mib 8]`;
// the server process runs with `npm start`'s node flags, plus SERVER_NODE_FLAGS (e.g. `--trace-gc`) to compare memory.
import { type ChildProcess, fork } from "node:child_process";
import { createHash } from "node:crypto";
import {
  closeSync,
  createReadStream,
  fsyncSync,
  mkdtempSync,
  openSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PerformanceObserver, constants as perf } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { startFlags } from "./startFlags.ts";

const targets = { throughputMBps: 100, serverRssGrowthMiB: 32 };
const mib1 = (bytes: number) => Number((bytes / 1_048_576).toFixed(1));

if (process.argv.includes("--server-child")) await serverChild();
else await main();

/** The server process: a real Tandem server with one agent and one portal; answers RSS samples over IPC. */
async function serverChild(): Promise<void> {
  const { testServer, addAgent, addPortal } = await import("../server/testing.ts");
  const t = await testServer();
  const agent = await addAgent(t, "bench");
  const portalId = addPortal(t, { type: "smartBox", mode: "standard", members: [agent.id] });
  const gc = (globalThis as { gc?: () => void }).gc;
  // Collections while the file flows: young ones free the sockets' read buffers, major ones what was promoted.
  const gcs = { minor: 0, major: 0 };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = (e as { detail?: { kind?: number } }).detail?.kind;
      if (kind === perf.NODE_PERFORMANCE_GC_MINOR) gcs.minor++;
      else if (kind === perf.NODE_PERFORMANCE_GC_MAJOR) gcs.major++;
    }
  }).observe({ entryTypes: ["gc"] });
  process.on("message", (m: { type: string }) => {
    if (m.type === "gcs") {
      process.send!({ type: "gcs", ...gcs });
      gcs.minor = 0;
      gcs.major = 0;
    }
    if (m.type === "rss") {
      if ((m as { gc?: boolean }).gc) gc?.();
      const mem = process.memoryUsage();
      process.send!({ type: "rss", rss: mem.rss, arrayBuffers: mem.arrayBuffers, heapTotal: mem.heapTotal });
    }
    if (m.type === "stop") void t.close().then(() => process.exit(0));
  });
  process.send!({ type: "ready", url: t.url, email: agent.email, portalId });
}

function ask<T>(child: ChildProcess, message: object, type: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: { type: string }) => {
      if (m.type === type) {
        child.off("message", on);
        resolve(m as T);
      }
    };
    child.on("message", on);
    child.send(message);
  });
}

/** A file of `bytes` pseudo-random bytes (incompressible, deterministic), written in 16 MiB blocks. */
function makeFile(path: string, bytes: number): void {
  const block = Buffer.alloc(16 * 1_048_576);
  let x = 0x9e3779b9;
  for (let i = 0; i < block.length; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    block.writeUInt32LE(x >>> 0, i);
  }
  const fd = openSync(path, "w");
  for (let at = 0, n = 0; at < bytes; n++) {
    block.writeUInt32LE(n, 0); // every block differs
    const len = Math.min(block.length, bytes - at);
    writeSync(fd, block, 0, len);
    at += len;
  }
  // On disk before the clock starts, so its write-back does not compete with the transfer.
  fsyncSync(fd);
  closeSync(fd);
}

async function sha256(path: string): Promise<string> {
  const h = createHash("sha256");
  for await (const chunk of createReadStream(path, { highWaterMark: 4 * 1_048_576 }))
    h.update(chunk as Buffer);
  return h.digest("hex");
}

async function main(): Promise<void> {
  const mibArg = process.argv.indexOf("--mib");
  const mib = mibArg > 0 ? Number(process.argv[mibArg + 1]) : 1024;
  const bytes = mib * 1_048_576;
  const option = (name: string, fallback: number) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const chunkBytes = option("--chunk-kib", 512) * 1024;
  const windowBytes = option("--window-mib", 8) * 1_048_576;
  const { Client, customerPost, login } = await import("../server/testing.ts");
  const { ToolLink, defaultReconnectDelaysMs } = await import("../host/tools/toolLink.ts");
  const { FileTransfers, filesToOffer } = await import("../host/tools/fileTransfers.ts");

  const work = mkdtempSync(join(tmpdir(), "tandem-bench-transfer-"));
  const serverFlags = [...startFlags(), ...(process.env.SERVER_NODE_FLAGS?.split(" ").filter(Boolean) ?? [])];
  const child = fork(fileURLToPath(import.meta.url), ["--server-child"], {
    // --expose-gc only for the cold baseline below; the server itself never calls it.
    execArgv: ["--expose-gc", ...serverFlags, "--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  try {
    const ready = await new Promise<{ url: string; email: string; portalId: string }>((resolve) =>
      child.once("message", (m) => resolve(m as never)),
    );
    const wsUrl = `${ready.url.replace(/^http/, "ws")}/ws`;
    const token = await login(ready.url, ready.email);
    const agentSocket = await Client.hello(wsUrl, { role: "agent", token });
    const cust = await customerPost({ wsUrl }, { portalId: ready.portalId, question: "bench" });
    await agentSocket.event("alert.raised", (e) => e.requestId === cust.requestId);
    await agentSocket.ok({ type: "request.answer", requestId: cust.requestId });
    const joined = await cust.c.next((m) => m.type === "session.joined");
    const toolsUrl = `${ready.url.replace(/^http/, "ws")}/tools`;
    const link = (role: "host" | "agent") =>
      new ToolLink({
        url: toolsUrl,
        sessionId: joined.sessionId,
        role,
        ...(role === "host" ? { key: joined.host.sessionKey } : { token }),
        reconnectDelaysMs: defaultReconnectDelaysMs,
      });
    const host = link("host");
    const agent = link("agent");
    await host.start();
    await agent.start();
    const dest = join(work, "received");
    const hostFiles = new FileTransfers(
      host,
      { decide: async () => ({ decline: "bench" }), collision: async () => "skip" },
      { chunkBytes, windowBytes },
    );
    const agentFiles = new FileTransfers(agent, {
      decide: async (o) => ({ accept: o.files.map((_, i) => i), destination: dest }),
      collision: async () => "rename",
    });
    const source = join(work, "one-gib.bin");
    makeFile(source, bytes);

    const cold = (await ask<{ rss: number }>(child, { type: "rss", gc: true }, "rss")).rss;
    // Warm-up: a 16 MiB transfer brings the server's young generation and socket buffers to their working size, so the
    // warm baseline below measures what the 1 GiB file adds (the cold, post-GC baseline is reported too). A young GC
    // frees the sockets' read buffers when 32 MiB of them are young (V8's 2 × 16 MiB, whatever --max-semi-space-size
    // says): when the warm-up's are still held here (arrayBuffers baseline well above cold), the warm growth reads low.
    const warmSource = join(work, "warm-up.bin");
    makeFile(warmSource, 16 * 1_048_576);
    const warmed = new Promise((r) => agentFiles.once("received", r));
    await hostFiles.send(await filesToOffer([warmSource]));
    await warmed;
    const base = await ask<{ rss: number; arrayBuffers: number; heapTotal: number }>(
      child,
      { type: "rss" },
      "rss",
    );
    const baseline = base.rss;
    await ask(child, { type: "gcs" }, "gcs");
    let peak = baseline;
    // What the peak is made of: buffers (sockets' reads and messages, freed only at the next GC) and the JS heap.
    let peakParts = { arrayBuffers: 0, heapTotal: 0 };
    const sampler = setInterval(() => {
      void ask<{ rss: number; arrayBuffers: number; heapTotal: number }>(child, { type: "rss" }, "rss").then(
        (r) => {
          if (r.rss > peak) peakParts = { arrayBuffers: r.arrayBuffers, heapTotal: r.heapTotal };
          peak = Math.max(peak, r.rss);
          peakParts.arrayBuffers = Math.max(peakParts.arrayBuffers, r.arrayBuffers);
        },
      );
    }, 50);
    const received = new Promise<{ files: string[] }>((r) => agentFiles.once("received", r));
    const started = process.hrtime.bigint();
    const result = await hostFiles.send(await filesToOffer([source]));
    const got = await received;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    clearInterval(sampler);
    peak = Math.max(peak, (await ask<{ rss: number }>(child, { type: "rss" }, "rss")).rss);
    const gcs = await ask<{ minor: number; major: number }>(child, { type: "gcs" }, "gcs");
    const same =
      statSync(got.files[0]!).size === bytes && (await sha256(got.files[0]!)) === (await sha256(source));
    const mb = bytes / 1e6;
    console.log(
      JSON.stringify({
        case: `${mib} MiB file, host → server → agent, loopback, SHA-256 both ends`,
        bytes,
        chunkBytes,
        windowBytes,
        ok: result.ok && same,
        seconds: Number(seconds.toFixed(3)),
        throughputMBps: Number((mb / seconds).toFixed(1)),
        serverRssColdMiB: Number((cold / 1_048_576).toFixed(1)),
        serverRssGrowthFromColdMiB: Number(((peak - cold) / 1_048_576).toFixed(1)),
        serverRssBaselineMiB: Number((baseline / 1_048_576).toFixed(1)),
        serverRssPeakMiB: Number((peak / 1_048_576).toFixed(1)),
        serverRssGrowthMiB: Number(((peak - baseline) / 1_048_576).toFixed(1)),
        serverArrayBuffersMiB: { baseline: mib1(base.arrayBuffers), peak: mib1(peakParts.arrayBuffers) },
        serverHeapTotalMiB: { baseline: mib1(base.heapTotal), atPeak: mib1(peakParts.heapTotal) },
        serverGcDuringTransfer: { minor: gcs.minor, major: gcs.major },
        serverNodeFlags: serverFlags.join(" "),
        targets,
      }),
    );
    host.stop();
    agent.stop();
    agentSocket.close();
    cust.c.close();
  } finally {
    const exited = new Promise((r) => child.once("exit", r));
    child.send({ type: "stop" });
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
    child.kill();
    rmSync(work, { recursive: true, force: true });
  }
}
