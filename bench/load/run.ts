// `npm run load -- --profile ci|full [--json]`: starts the server as a child on an ephemeral port with a temporary
// DATA_DIR, seeds agents and portals over its REST API, drives agents and customers over real sockets with the same
// scenario logic as the k6 scripts (bench/load/logic), then checks the server's event log. Exit 1 on any failure.
// LOAD_FAULT=double-answer|over-max|phone-alert|no-withdraw forges one violation into the observed stream: the run
// must then fail through the very checks a real run uses (the "broken routing rule" test).
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { Loose, Note } from "./clients.ts";
import { crossCheck } from "./crossCheck.ts";
import { type Fault, injectFault } from "./faults.ts";
import { names } from "./logic/io.js";
import { createObserver } from "./logic/observer.js";
import { latencyPlot } from "./plot.ts";
import { type Profile, profiles, type Step } from "./profiles.ts";
import { Recorder, type RecorderData, summarise } from "./recorder.ts";
import { adminToken, putSettings, seedOrganisation } from "./seed.ts";
import {
  adminEmail,
  adminPassword,
  createAdmin,
  type ServerChild,
  startServerChild,
} from "./serverProcess.ts";
import { generatorLagMs } from "./ticker.ts";
import { type LoadWorker, startWorkers } from "./workerPool.ts";

const args = process.argv.slice(2);
const profileName = (args[args.indexOf("--profile") + 1] ?? "ci") as "ci" | "full" | "probe";
const asJson = args.includes("--json");
const profile: Profile | undefined = profiles[profileName];
if (!profile || !args.includes("--profile")) {
  console.error("usage: npm run load -- --profile ci|full|probe [--json]");
  process.exit(2);
}
const fault = (process.env.LOAD_FAULT || null) as Fault | null;
const say = (line: string) => {
  if (!asJson) console.log(line);
  else console.error(line);
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Generator worker threads (LOAD_WORKERS), and whether to pin the server and the generator to one core each
 * (LOAD_PIN=1, off by default: pinned, the server's main thread shares its core with its own GC helpers, its WAL
 * checkpointer and the kernel's loopback work, and its tails at 100/s were 5–10× longer; see README). */
const workerCount = Math.max(1, Number(process.env.LOAD_WORKERS || 2));
const pin = process.env.LOAD_PIN === "1" && availableParallelism() >= 2;
/** Pins every thread of a process to one CPU (taskset -a); false when taskset is missing or refuses. */
function pinTo(pid: number, cpu: number): boolean {
  const r = spawnSync("taskset", ["-a", "-cp", String(cpu), String(pid)], { encoding: "utf8" });
  return r.status === 0;
}

const rec = new Recorder();

// ——— CPU: the server child (from /proc) and this process (every thread: coordinator and workers) ———
function serverCpuS(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = f.slice(f.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
  } catch {
    return 0;
  }
}
const runnerCpuS = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
function cpuMeter(pid: number) {
  const t = Date.now();
  const server = serverCpuS(pid);
  const runner = runnerCpuS();
  return () => {
    const s = (Date.now() - t) / 1000;
    return {
      serverPct: Math.round(((serverCpuS(pid) - server) / s) * 100),
      generatorPct: Math.round(((runnerCpuS() - runner) / s) * 100),
    };
  };
}

/** The server's resident memory split as the kernel sees it: anonymous (V8 heap, malloc) and file-backed (code). */
function serverRss(pid: number): { anonMiB: number; fileMiB: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kB = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
    return { anonMiB: Math.round(kB("RssAnon") / 1024), fileMiB: Math.round(kB("RssFile") / 1024) };
  } catch {
    return { anonMiB: 0, fileMiB: 0 };
  }
}

// ——— server metrics, scraped during the run ———
const scraped = {
  rssMiBMax: 0,
  rssMiB: 0,
  heapMiB: 0,
  heapTotalMiB: 0,
  externalMiB: 0,
  connectionsMax: 0,
  agentsMax: 0,
  customersMax: 0,
  refused: {} as Record<string, number>,
  shed: {} as Record<string, number>,
  /** The worst event-loop lag (max of a 1 s window) the server reported since the last reset. */
  lagMaxMs: 0,
  /** The lowest share of its rates the server's admission allowed since the last reset (1 = not throttled). */
  admissionShareMin: 1,
  /** The server's own latency histograms (cumulative bucket counts): routing and chat delivery. */
  routing: [] as number[],
  chatDelivery: [] as number[],
  /** The server's main-thread GC pauses so far, seconds by kind (minor, major, incremental, weakcb). */
  gcSeconds: {} as Record<string, number>,
  gcCount: {} as Record<string, number>,
};
const bucketsMs = [0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, Number.POSITIVE_INFINITY];
const buckets = (text: string, name: string) =>
  bucketsMs.map((_, i) => {
    const le = i === bucketsMs.length - 1 ? "\\+Inf" : String(bucketsMs[i]! / 1000);
    return Number(new RegExp(`^${name}_bucket\\{le="${le}"\\} (\\S+)$`, "m").exec(text)?.[1] ?? 0);
  });
/**
 * What the server itself measured between two scrapes (dispatch to written to the sockets, commit included): the
 * bucket bound under which 95 % and 99 % of the commands fell, and the share within 25 ms and 100 ms.
 */
function serverSide(before: number[], after: number[]) {
  const d = after.map((n, i) => n - (before[i] ?? 0));
  const count = d[d.length - 1] ?? 0;
  const bound = (q: number) => {
    const i = d.findIndex((n) => n >= q * count);
    return i < 0 || i === bucketsMs.length - 1 ? "> 2500" : `<= ${bucketsMs[i]}`;
  };
  const share = (ms: number) => (count ? Math.round((d[bucketsMs.indexOf(ms)]! / count) * 10_000) / 100 : 0);
  return {
    count,
    p95Ms: bound(0.95),
    p99Ms: bound(0.99),
    within25MsPct: share(25),
    within100MsPct: share(100),
  };
}
/** Each counter's growth between two scrapes over `per` (seconds, or thousandths for ms a second), one decimal. */
const perSecond = (after: Record<string, number>, before: Record<string, number>, per: number) =>
  Object.fromEntries(
    Object.entries(after).map(([k, n]) => [k, Math.round(((n - (before[k] ?? 0)) / per) * 10) / 10]),
  );
function scrape(server: ServerChild): Promise<void> {
  // A saturated server may answer late: a scrape gives up after 3 s rather than stall the run.
  return fetch(`${server.url}/metrics`, { signal: AbortSignal.timeout(3_000) })
    .then((r) => r.text())
    .then((text) => {
      const value = (re: RegExp) => Number(re.exec(text)?.[1] ?? 0);
      const rss = value(/^process_resident_memory_bytes (\S+)$/m) / 1_048_576;
      const agents = value(/^tandem_connections\{role="agent"\} (\S+)$/m);
      const customers =
        value(/^tandem_connections\{role="customer"\} (\S+)$/m) +
        value(/^tandem_connections\{role="anonymous"\} (\S+)$/m);
      scraped.rssMiB = rss;
      scraped.lagMaxMs = Math.max(
        scraped.lagMaxMs,
        value(/^tandem_event_loop_lag_seconds\{quantile="1"\} (\S+)$/m) * 1000,
      );
      scraped.admissionShareMin = Math.min(
        scraped.admissionShareMin,
        value(/^tandem_admission_share (\S+)$/m) || 1,
      );
      scraped.routing = buckets(text, "tandem_routing_seconds");
      scraped.chatDelivery = buckets(text, "tandem_chat_delivery_seconds");
      scraped.heapMiB = value(/^nodejs_heap_used_bytes (\S+)$/m) / 1_048_576;
      scraped.heapTotalMiB = value(/^nodejs_heap_total_bytes (\S+)$/m) / 1_048_576;
      scraped.externalMiB = value(/^nodejs_external_bytes (\S+)$/m) / 1_048_576;
      scraped.rssMiBMax = Math.max(scraped.rssMiBMax, rss);
      scraped.agentsMax = Math.max(scraped.agentsMax, agents);
      scraped.customersMax = Math.max(scraped.customersMax, customers);
      scraped.connectionsMax = Math.max(scraped.connectionsMax, agents + customers);
      for (const m of text.matchAll(/^tandem_connections_refused_total\{reason="(\w+)"\} (\S+)$/gm))
        scraped.refused[m[1]!] = Number(m[2]);
      for (const m of text.matchAll(/^tandem_requests_shed_total\{reason="(\w+)"\} (\S+)$/gm))
        scraped.shed[m[1]!] = Number(m[2]);
      for (const m of text.matchAll(/^tandem_gc_seconds_total\{kind="(\w+)"\} (\S+)$/gm))
        scraped.gcSeconds[m[1]!] = Number(m[2]);
      for (const m of text.matchAll(/^tandem_gc_total\{kind="(\w+)"\} (\S+)$/gm))
        scraped.gcCount[m[1]!] = Number(m[2]);
    })
    .catch(() => {});
}

let running: ServerChild | null = null;

// ——— the workers ———
let workers: LoadWorker[] = [];
const all = <T = Loose>(type: string, args?: (w: LoadWorker) => Record<string, unknown>) =>
  Promise.all(workers.map((w) => w.call<T>(type, args?.(w))));
const share = (n: number, w: LoadWorker) =>
  Math.floor(n / workers.length) + (w.index < n % workers.length ? 1 : 0);
const setPhase = (phase: string) => {
  rec.phase = phase;
  return all("phase", () => ({ phase }));
};
const setRate = (perS: number) => all("rate", () => ({ perS: perS / workers.length }));

/**
 * Posts of a phase that admission refused: with close 1013, or at their socket with HTTP 503 (no idle one to reuse).
 * Both are posts the customer could not make.
 */
const shedIn = (r: Recorder, phase: string) =>
  r.count(phase, "requests_shed") + r.count(phase, "post_no_socket");

/** One phase's figures so far, merged over the workers. */
async function phaseFigures(phase: string) {
  const r = new Recorder();
  for (const w of await all<{ data: RecorderData }>("phaseData", () => ({ phase }))) r.merge(w.data);
  return r;
}

async function runStep(step: Step, measuring: () => Promise<void>): Promise<{ seconds: number }> {
  await setPhase(`${step.label}:warm`);
  await setRate(step.requestsPerS);
  await sleep(step.warmS * 1000);
  // Read the server's histograms first (bounded by the scrape's timeout), then open the window: the window's
  // posts and samples are then exactly those of the seconds it is divided by.
  await measuring();
  await setPhase(step.label);
  const measuredFrom = Date.now();
  await sleep((step.durationS - step.warmS) * 1000);
  const seconds = (Date.now() - measuredFrom) / 1000;
  // Close the window at once: what happens while the step is judged (scrapes, merging) belongs to no step.
  await setPhase(`${step.label}:after`);
  return { seconds };
}

async function overload(o: NonNullable<Profile["overload"]>) {
  await setPhase("overload");
  await setRate(o.requestsPerS);
  const t = Date.now();
  const extra = all<{ attempted: number; outcomes: Record<string, number> }>("extra", (w) => ({
    count: share(o.extraConnections, w),
    perS: o.connectPerS / workers.length,
    durationMs: o.durationS * 1000,
  }));
  await sleep(o.durationS * 1000);
  await setRate(0);
  const seconds = (Date.now() - t) / 1000;
  const results = await extra;
  await sleep(1_000);
  await all("closeExtras");
  const outcomes: Record<string, number> = {};
  for (const r of results)
    for (const [k, n] of Object.entries(r.outcomes)) outcomes[k] = (outcomes[k] ?? 0) + n;
  return { attempted: results.reduce((n, r) => n + r.attempted, 0), outcomes, seconds };
}

function readEventLog(dataDir: string): Loose[] {
  const db = new Database(join(dataDir, "tandem.sqlite"), { readonly: true });
  const boot = (db.prepare("SELECT MAX(id) AS id FROM boots").get() as { id: number }).id;
  const rows = db.prepare("SELECT body FROM events WHERE boot = ? ORDER BY id").all(boot) as Array<{
    body: string;
  }>;
  db.close();
  return rows.map((r) => JSON.parse(r.body));
}

async function main() {
  const p = profile!;
  const t0 = Date.now();
  const loadAtStart = Math.round(loadavg()[0]! * 100) / 100;
  const dataDir = mkdtempSync(join(tmpdir(), "tandem-load-"));
  say(
    `load: profile ${p.name}${fault ? `, fault ${fault}` : ""}, ${workerCount} generator workers, data in ${dataDir}`,
  );
  createAdmin(dataDir);
  // First boot: settings (floor timings apply at the next start) and the organisation, through the REST API.
  let server = await startServerChild(dataDir);
  running = server;
  let token = await adminToken(server.url, adminEmail, adminPassword);
  await putSettings(server.url, token, p);
  const org = await seedOrganisation(server.url, token, p);
  await server.stop();
  // From here the server gets one core and the generator's threads the other, so that neither steals the other's
  // CPU (seeding above, argon2 hashing for every agent, ran unpinned).
  const pinned = pin && pinTo(process.pid, 0);
  if (pinned) say("load: server pinned to CPU 1, generator (every thread) to CPU 0");
  server = await startServerChild(dataDir, p.admission, pinned ? 1 : null);
  running = server;
  token = await adminToken(server.url, adminEmail, adminPassword);
  say(
    `load: seeded ${org.agents.length} agents in ${org.teams.length} teams (${org.teams.length * 5 + 1} portals) in ${((Date.now() - t0) / 1000).toFixed(1)} s; server ${server.url} pid ${server.pid}`,
  );
  const scraper = setInterval(() => void scrape(server), 2_000);
  workers = startWorkers(workerCount, { url: server.url, wsUrl: server.wsUrl, profile: p, org }, (err) => {
    rec.check("no unhandled error in the runner", false);
    say(`load: worker error: ${err.stack ?? err}`);
  });

  const connected = await all<{ connected: number; failures: string[] }>("agents");
  for (const c of connected) for (const f of c.failures.slice(0, 5)) say(`load: ${f}`);
  const agentsConnected = connected.reduce((n, c) => n + c.connected, 0);
  rec.check(names.checkLogin, agentsConnected === org.agents.length);
  say(`load: ${agentsConnected} agents connected at ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  await all("fill", (w) => ({
    target: share(p.customers, w),
    perS: p.connectPerS / workers.length,
    deadlineMs: 120_000,
  }));
  await sleep(1_500);
  await scrape(server);
  const atOnce = {
    agents: scraped.agentsMax,
    customers: scraped.customersMax,
    total: scraped.connectionsMax,
    rssMiB: Math.round(scraped.rssMiBMax),
    heapMiB: Math.round(scraped.heapMiB),
    ...serverRss(server.pid),
  };
  say(
    `load: connected at once: ${atOnce.agents} agents + ${atOnce.customers} customers, server RSS ${atOnce.rssMiB} MiB (heap ${atOnce.heapMiB} MiB)`,
  );

  const live: Array<{
    label: string;
    seconds: number;
    cpu: { serverPct: number; generatorPct: number };
    memory: { rssMiB: number; heapMiB: number; heapTotalMiB: number; externalMiB: number };
    server: Record<string, unknown>;
  }> = [];
  for (const step of p.steps) {
    let cpu = cpuMeter(server.pid);
    let before = {
      routing: [] as number[],
      chatDelivery: [] as number[],
      gcSeconds: {} as Record<string, number>,
      gcCount: {} as Record<string, number>,
    };
    const r = await runStep(step, async () => {
      cpu = cpuMeter(server.pid);
      await scrape(server);
      before = {
        routing: scraped.routing,
        chatDelivery: scraped.chatDelivery,
        gcSeconds: { ...scraped.gcSeconds },
        gcCount: { ...scraped.gcCount },
      };
      scraped.lagMaxMs = 0;
      scraped.admissionShareMin = 1;
    });
    const used = cpu();
    await scrape(server);
    const ownMeasure = {
      routing: serverSide(before.routing, scraped.routing),
      chatDelivery: serverSide(before.chatDelivery, scraped.chatDelivery),
      eventLoopLagMaxMs: Math.round(scraped.lagMaxMs),
      /** Milliseconds a second the main thread was paused for GC, and pauses a second, by kind. */
      gcMsPerS: perSecond(scraped.gcSeconds, before.gcSeconds, r.seconds / 1000),
      gcPerS: perSecond(scraped.gcCount, before.gcCount, r.seconds),
      admissionShareMin: Math.round(scraped.admissionShareMin * 100) / 100,
    };
    const memory = {
      rssMiB: Math.round(scraped.rssMiB),
      heapMiB: Math.round(scraped.heapMiB),
      heapTotalMiB: Math.round(scraped.heapTotalMiB),
      externalMiB: Math.round(scraped.externalMiB),
      ...serverRss(server.pid),
    };
    live.push({ label: step.label, seconds: r.seconds, cpu: used, memory, server: ownMeasure });
    const f = await phaseFigures(step.label);
    const alert = summarise(f.samples(step.label, names.alertMs));
    const chat = summarise(f.samples(step.label, names.chatMs));
    const offer = summarise(f.samples(step.label, names.offerMs));
    const lag = summarise(f.samples(step.label, generatorLagMs));
    say(
      `load: step ${step.label}: ${Math.round((f.count(step.label, "requests_posted") / r.seconds) * 10) / 10} req/s, ${Math.round(f.count(step.label, "chat_sent") / r.seconds)} chat/s; alert p95 ${alert.p95} p99 ${alert.p99} ms; chat p99 ${chat.p99} ms; offer p99 ${offer.p99} ms; ${shedIn(f, step.label)} shed; CPU server ${used.serverPct} % generator ${used.generatorPct} % (its loop lag p99 ${lag.p99} max ${lag.max} ms); RSS ${memory.rssMiB} MiB (heap ${memory.heapMiB} used of ${memory.heapTotalMiB}, external ${memory.externalMiB}); server's own routing p99 ${ownMeasure.routing.p99Ms} ms, chat delivery p99 ${ownMeasure.chatDelivery.p99Ms} ms, event-loop lag max ${ownMeasure.eventLoopLagMaxMs} ms, GC ${ownMeasure.gcMsPerS.minor ?? 0} + ${ownMeasure.gcMsPerS.major ?? 0} ms/s in ${ownMeasure.gcPerS.minor ?? 0} + ${ownMeasure.gcPerS.major ?? 0} pauses/s (minor + major), admission share min ${ownMeasure.admissionShareMin}`,
    );
    // Past saturation the higher steps only measure queues: stop stepping (the knee is below).
    if (Math.max(alert.p99, chat.p99) > 2_000) break;
  }
  let overloadRun = null;
  let overloadCpu = null;
  if (p.overload) {
    const cpu = cpuMeter(server.pid);
    overloadRun = await overload(p.overload);
    overloadCpu = cpu();
  }

  // Drain: no new posts; wait for every customer to hear how their request ended.
  await all("stopPosting");
  await setPhase("drain");
  const drainEnd = Date.now() + p.drainS * 1000;
  let active = 0;
  for (;;) {
    const status = await all<{ active: number }>("status");
    active = status.reduce((n, s) => n + s.active, 0);
    if (active === 0 || Date.now() >= drainEnd) break;
    await sleep(250);
  }
  // Past the drain's time, customers still waiting give up (as their patience would, later): every request then
  // ends before the server stops, and the "every request ends" check judges routing, not the run's length.
  let gaveUp = 0;
  if (active > 0) {
    gaveUp = (await all<{ told: number }>("giveUp")).reduce((n, s) => n + s.told, 0);
    const giveUpEnd = Date.now() + 10_000;
    while (Date.now() < giveUpEnd) {
      await sleep(250);
      const waitingNow = (await all<{ waiting: number }>("status")).reduce((n, s) => n + s.waiting, 0);
      if (waitingNow === 0) break;
    }
  }
  say(
    `load: drained (${active} customers still active${gaveUp ? `, ${gaveUp} still waiting gave up` : ""}) at ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  await scrape(server);
  const afterDrain = {
    rssMiB: Math.round(scraped.rssMiB),
    heapMiB: Math.round(scraped.heapMiB),
    ...serverRss(server.pid),
  };
  clearInterval(scraper);
  const notes: Note[] = [];
  let alertsSeen = 0;
  let matchFetches = 0;
  const connectOutcomes: Record<string, number> = {};
  for (const r of await all<{
    data: RecorderData;
    notes: Note[];
    alertsSeen: number;
    matchFetches: number;
    connectOutcomes: Record<string, number>;
  }>("finish")) {
    rec.merge(r.data);
    for (const n of r.notes) notes.push(n);
    alertsSeen += r.alertsSeen;
    matchFetches += r.matchFetches;
    for (const [k, n] of Object.entries(r.connectOutcomes))
      connectOutcomes[k] = (connectOutcomes[k] ?? 0) + n;
  }
  await sleep(500);
  await Promise.all(workers.map((w) => w.terminate()));
  const exit = await server.stop();
  running = null;

  const steps = live.map((l) => {
    const step = p.steps.find((s) => s.label === l.label)!;
    const posted = rec.count(l.label, "requests_posted");
    const shed = shedIn(rec, l.label);
    return {
      label: l.label,
      offeredRequestsPerS: step.requestsPerS,
      achievedRequestsPerS: Math.round((posted / l.seconds) * 10) / 10,
      /** Posts refused by admission: with 1013 (counted in achievedRequestsPerS, never routed) or at the socket. */
      shed,
      shedPct: Math.round((shed / Math.max(1, posted + rec.count(l.label, "post_no_socket"))) * 10_000) / 100,
      chatPerS: Math.round(rec.count(l.label, "chat_sent") / l.seconds),
      alert: summarise(rec.samples(l.label, names.alertMs)),
      offer: summarise(rec.samples(l.label, names.offerMs)),
      chat: summarise(rec.samples(l.label, names.chatMs)),
      cpu: l.cpu,
      /** How late the generator's own loops ran (ms): a share of every latency above is the generator's. */
      generatorLag: summarise(rec.samples(l.label, generatorLagMs)),
      serverMemoryMiB: l.memory,
      /** The server's own /metrics over the measured window (its histograms: routing, chat delivery; lag). */
      serverMeasured: l.server,
    };
  });
  for (const s of steps)
    say(
      `load: step ${s.label}: ${s.achievedRequestsPerS} req/s, ${s.chatPerS} chat/s; alert p95 ${s.alert.p95} p99 ${s.alert.p99} ms (n ${s.alert.count}); chat p99 ${s.chat.p99} ms (n ${s.chat.count})`,
    );
  let overloadResult = null;
  if (overloadRun) {
    const alert = summarise(rec.samples("overload", names.alertMs));
    const chat = summarise(rec.samples("overload", names.chatMs));
    overloadResult = {
      attempted: overloadRun.attempted,
      outcomes: overloadRun.outcomes,
      posted: { posted: rec.count("overload", "requests_posted"), seconds: overloadRun.seconds },
      /** Posts refused by admission (Overloaded, close 1013): twice the load is shed, not queued. */
      shed: shedIn(rec, "overload"),
      chatPerS: Math.round(rec.count("overload", "chat_sent") / overloadRun.seconds),
      alert,
      chat,
      cpu: overloadCpu,
      refusedByServer: { ...scraped.refused },
      shedByServer: { ...scraped.shed },
    };
    say(
      `load: overload: ${overloadRun.attempted} extra connections → ${JSON.stringify(overloadRun.outcomes)}; ${Math.round(overloadResult.posted.posted / overloadRun.seconds)} req/s (${overloadResult.shed} shed with 1013), ${overloadResult.chatPerS} chat/s; existing alert p99 ${alert.p99} ms, chat p99 ${chat.p99} ms`,
    );
  }

  // The server's event log: the same observer whatever the run; a fault forges one violation into what it reads.
  const log = readEventLog(dataDir);
  const observer = createObserver();
  for (const e of fault ? injectFault(log, fault) : log) observer.observe(e);
  const observed = observer.report();
  const client = crossCheck(fault ? injectFault.notes(notes, fault) : notes, log, alertsSeen);
  const tally = rec.tally();

  // A run that saturated below the target step has no target figures: every latency threshold then fails.
  const none = summarise([]);
  const target = steps.find((s) => s.label === p.targetStep) ?? {
    label: `${p.targetStep} (not reached: saturated below)`,
    alert: none,
    chat: none,
    offer: none,
    shedPct: 0,
  };
  // A step counts for the knee only if admission took (nearly) every post: shedding is how it keeps the tails low.
  const shedPctMax = 1;
  const kneeStep = [...steps]
    .reverse()
    .find((s) => Math.max(s.alert.p99, s.chat.p99) < p.thresholds.kneeP99Ms && s.shedPct <= shedPctMax);
  const th = p.thresholds;
  const thresholds = [
    {
      name: "request→alert p95 (ms)",
      limit: th.alertP95Ms,
      value: target.alert.p95,
      ok: target.alert.count > 0 && target.alert.p95 < th.alertP95Ms,
    },
    {
      name: "request→alert p99 (ms)",
      limit: th.alertP99Ms,
      value: target.alert.p99,
      ok: target.alert.count > 0 && target.alert.p99 < th.alertP99Ms,
    },
    {
      name: "chat delivery p99 (ms)",
      limit: th.chatP99Ms,
      value: target.chat.p99,
      ok: target.chat.count > 0 && target.chat.p99 < th.chatP99Ms,
    },
    {
      name: "target rate: new requests shed by admission (%)",
      limit: shedPctMax,
      value: target.shedPct,
      ok: target.shedPct <= shedPctMax,
    },
    {
      name: "server RSS (MiB)",
      limit: th.rssMiB,
      value: Math.round(scraped.rssMiBMax),
      ok: scraped.rssMiBMax < th.rssMiB,
    },
    {
      name: "connections at once",
      limit: th.connectionsAtOnce,
      value: atOnce.total,
      ok: atOnce.total >= th.connectionsAtOnce,
    },
    ...(overloadResult
      ? [
          {
            name: "overload: existing sessions p99 (ms)",
            limit: th.overloadP99Ms,
            value: Math.max(overloadResult.alert.p99, overloadResult.chat.p99),
            ok: Math.max(overloadResult.alert.p99, overloadResult.chat.p99) < th.overloadP99Ms,
          },
          {
            name: "overload: new connections refused cleanly (503/1013 only, some refused)",
            limit: 0,
            value: Object.entries(overloadResult.outcomes)
              .filter(([k]) => !["opened", "refused503", "closed1013"].includes(k))
              .reduce((n, [, v]) => n + v, 0),
            ok:
              (overloadResult.outcomes.refused503 ?? 0) + (overloadResult.outcomes.closed1013 ?? 0) > 0 &&
              Object.keys(overloadResult.outcomes).every((k) =>
                ["opened", "refused503", "closed1013"].includes(k),
              ),
          },
        ]
      : []),
    { name: "server exited cleanly on SIGTERM", limit: 0, value: exit ?? -1, ok: exit === 0 },
  ];
  const failedRules = Object.keys(observed.violationCounts).length + client.violations.length;
  const ok =
    tally.failed === 0 && failedRules === 0 && thresholds.every((t) => t.ok) && observed.requests.lost === 0;
  const result = {
    profile: p.name,
    fault,
    ok,
    durationS: Math.round((Date.now() - t0) / 1000),
    /** The machine's 1-minute load average when the run started and ended (other jobs share it). */
    loadAverage: { atStart: loadAtStart, atEnd: Math.round(loadavg()[0]! * 100) / 100 },
    checks: tally,
    requests: observed.requests,
    doubleAssignments: observed.doubleAssignments + client.doubleAssignments,
    agentsAboveMax: observed.agentsAboveMax + client.agentsAboveMax,
    maxConcurrentPeak: observed.maxConcurrentPeak,
    latencyMs: {
      alertP95: target.alert.p95,
      alertP99: target.alert.p99,
      chatP99: target.chat.p99,
      offerP99: target.offer.p99,
      step: target.label,
    },
    connections: { atOnce, peakScraped: scraped.connectionsMax, failedToOpen: connectOutcomes },
    serverRssMiB: Math.round(scraped.rssMiBMax),
    serverMemoryMiB: {
      atRest: {
        rssMiB: atOnce.rssMiB,
        heapMiB: atOnce.heapMiB,
        anonMiB: atOnce.anonMiB,
        fileMiB: atOnce.fileMiB,
      },
      afterDrain,
    },
    generator: { workers: workerCount, pinned },
    knee: kneeStep
      ? { step: kneeStep.label, requestsPerS: kneeStep.achievedRequestsPerS, chatPerS: kneeStep.chatPerS }
      : null,
    steps,
    overload: overloadResult,
    thresholds,
    eventLog: {
      events: observed.events,
      alertsRaised: observed.alertsRaised,
      alertsWithdrawnOnAnswer: observed.alertsWithdrawnOnAnswer,
      offers: observed.offers,
      violations: observed.violations,
      violationCounts: observed.violationCounts,
    },
    clientSide: client,
    smartMatchLookups: matchFetches,
  };
  mkdirSync("out/bench", { recursive: true });
  if (p.name === "full" && !fault) {
    writeFileSync("out/bench/load.json", `${JSON.stringify(result, null, 2)}\n`);
    writeFileSync("out/bench/load-latency.svg", latencyPlot(steps, overloadResult, p.thresholds));
  } else
    writeFileSync(
      `out/bench/load-${p.name}${fault ? `-${fault}` : ""}.json`,
      `${JSON.stringify(result, null, 2)}\n`,
    );
  if (asJson) console.log(JSON.stringify(result));
  else {
    console.log(
      `load: checks ${tally.passed} passed, ${tally.failed} failed; requests ${JSON.stringify(observed.requests)}`,
    );
    console.log(
      `load: doubleAssignments ${result.doubleAssignments}, agentsAboveMax ${result.agentsAboveMax}, peak ${observed.maxConcurrentPeak} sessions/agent`,
    );
    for (const t of thresholds)
      console.log(`load: ${t.ok ? "ok  " : "FAIL"} ${t.name}: ${t.value} (limit ${t.limit})`);
    for (const v of [...observed.violations, ...client.violations])
      console.log(`load: VIOLATION ${v.rule}: ${v.detail}`);
    for (const [name, t] of Object.entries(tally.byName))
      if (t.failed)
        console.log(
          `load: FAILED CHECK ${name}: ${t.failed}${t.failures ? ` (${t.failures.join("; ")})` : ""}`,
        );
    console.log(`load: ${ok ? "PASS" : "FAIL"} in ${result.durationS} s`);
  }
  if (ok) rmSync(dataDir, { recursive: true, force: true });
  else say(`load: data kept in ${dataDir}`);
  process.exit(ok ? 0 : 1);
}

// Never leave the server child behind, whatever happens to this process.
process.on("exit", () => {
  try {
    if (running) process.kill(running.pid, "SIGKILL");
  } catch {}
});
process.on("unhandledRejection", (err) => {
  rec.check("no unhandled error in the runner", false);
  say(`load: unhandled rejection: ${String(err)}`);
});

main().catch(async (err) => {
  console.error(err);
  await running?.stop();
  process.exit(1);
});
