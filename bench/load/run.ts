// `npm run load -- --profile ci|full [--json]`: starts the server as a child on an ephemeral port with a temporary
// DATA_DIR, seeds agents and portals over its REST API, drives agents and customers over real sockets with the same
// scenario logic as the k6 scripts (bench/load/logic), then checks the server's event log. Exit 1 on any failure.
// LOAD_FAULT=double-answer|over-max|phone-alert|no-withdraw forges one violation into the observed stream: the run
// must then fail through the very checks a real run uses (the "broken routing rule" test).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { type Harness, type Loose, openSocket, type Socket } from "./clients.ts";
import { crossCheck } from "./crossCheck.ts";
import { type Fault, injectFault } from "./faults.ts";
import { createAgent } from "./logic/agent.js";
import { type CustomerSpec, createCustomer } from "./logic/customer.js";
import { hello, names } from "./logic/io.js";
import { createObserver } from "./logic/observer.js";
import { latencyPlot } from "./plot.ts";
import { type Profile, profiles, type Step } from "./profiles.ts";
import { Recorder, summarise } from "./recorder.ts";
import {
  adminToken,
  agentPassword,
  api,
  type Organisation,
  pooled,
  putSettings,
  seedOrganisation,
} from "./seed.ts";
import {
  adminEmail,
  adminPassword,
  createAdmin,
  type ServerChild,
  startServerChild,
} from "./serverProcess.ts";

const args = process.argv.slice(2);
const profileName = (args[args.indexOf("--profile") + 1] ?? "ci") as "ci" | "full";
const asJson = args.includes("--json");
const profile: Profile | undefined = profiles[profileName];
if (!profile || !args.includes("--profile")) {
  console.error("usage: npm run load -- --profile ci|full [--json]");
  process.exit(2);
}
const fault = (process.env.LOAD_FAULT || null) as Fault | null;
const say = (line: string) => {
  if (!asJson) console.log(line);
  else console.error(line);
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const harness: Harness = { recorder: new Recorder(), notes: [], stopped: false };
const rec = harness.recorder;

// ——— server metrics, scraped during the run ———
const scraped = {
  rssMiBMax: 0,
  connectionsMax: 0,
  agentsMax: 0,
  customersMax: 0,
  refused: {} as Record<string, number>,
};
function scrape(server: ServerChild): Promise<void> {
  return fetch(`${server.url}/metrics`)
    .then((r) => r.text())
    .then((text) => {
      const value = (re: RegExp) => Number(re.exec(text)?.[1] ?? 0);
      const rss = value(/^process_resident_memory_bytes (\S+)$/m) / 1_048_576;
      const agents = value(/^tandem_connections\{role="agent"\} (\S+)$/m);
      const customers =
        value(/^tandem_connections\{role="customer"\} (\S+)$/m) +
        value(/^tandem_connections\{role="anonymous"\} (\S+)$/m);
      scraped.rssMiBMax = Math.max(scraped.rssMiBMax, rss);
      scraped.agentsMax = Math.max(scraped.agentsMax, agents);
      scraped.customersMax = Math.max(scraped.customersMax, customers);
      scraped.connectionsMax = Math.max(scraped.connectionsMax, agents + customers);
      for (const m of text.matchAll(/^tandem_connections_refused_total\{reason="(\w+)"\} (\S+)$/gm))
        scraped.refused[m[1]!] = Number(m[2]);
    })
    .catch(() => {});
}

// ——— agents ———
interface LiveAgent {
  logic: ReturnType<typeof createAgent>;
  socket: Socket;
  team: number;
  id: string;
}
const agents: LiveAgent[] = [];
const codes: Array<{ code: string; portalId: string }> = [];

/** Opens a socket, retrying after a 503 as a client told `Retry-After` would (admission refuses during lag spikes). */
async function openWithRetry(wsUrl: string, tries = 20) {
  for (let i = 1; ; i++) {
    const attempt = openSocket(wsUrl, harness);
    const o = await attempt.opened;
    if (o.ok || o.status !== 503 || i >= tries) return { ...attempt, outcome: o };
    rec.counter("connect_retried_503");
    await sleep(250 * i);
  }
}

async function connectAgents(server: ServerChild, org: Organisation): Promise<void> {
  await pooled(org.agents, 8, async (a) => {
    const { socket, outcome: o } = await openWithRetry(server.wsUrl);
    const logic = createAgent(socket.io, {
      email: a.email,
      password: agentPassword,
      maxSessions: a.maxSessions,
      thinkMs: profile!.thinkMs,
      holdMs: profile!.holdMs,
      chatIntervalMs: profile!.chatIntervalMs,
      declineRate: 0.05,
      overAnswerRate: 0.02,
      awayEveryMs: 60_000,
      awayMs: [2_000, 6_000],
      onCode: (code, portalId) => codes.push({ code, portalId }),
    });
    const login = logic.loginRequest();
    const r = await api(server.url, null, login.method, login.path, login.body);
    const token = logic.onLogin(r.status, r.body);
    if (!token || !o.ok)
      throw new Error(`agent ${a.email}: login ${r.status}, socket ${o.ok ? "open" : o.error}`);
    socket.onMessage = (m) => logic.onMessage(m);
    socket.io.send(logic.hello(token));
    agents.push({ logic, socket, team: a.team, id: a.id });
  });
}

// ——— customers: a pool of greeted idle sockets, each posting once when the schedule says ———
const idle: Socket[] = [];
let customersOpen = 0;
let customersActive = 0;
const connectOutcomes: Record<string, number> = {};

async function openIdleCustomer(server: ServerChild): Promise<boolean> {
  const { socket, opened } = openSocket(server.wsUrl, harness);
  customersOpen += 1;
  socket.onClose = () => {
    customersOpen -= 1;
    const i = idle.indexOf(socket);
    if (i >= 0) idle.splice(i, 1);
  };
  const o = await opened;
  if (!o.ok) {
    connectOutcomes[o.error] = (connectOutcomes[o.error] ?? 0) + 1;
    return false;
  }
  socket.onMessage = (m) => {
    if (m.type === "welcome") idle.push(socket);
  };
  socket.io.send(hello({ role: "anonymous" }));
  return true;
}

/** Opens sockets at `perS` until `target` are open; resolves when done (bounded by `deadlineMs`). */
async function fillCustomers(
  server: ServerChild,
  target: number,
  perS: number,
  deadlineMs: number,
): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (customersOpen < target && Date.now() < end) {
    const batch = Math.min(Math.ceil(perS / 10), target - customersOpen);
    for (let i = 0; i < batch; i++) void openIdleCustomer(server);
    await sleep(100);
  }
}

let matchFetches = 0;
async function customerSpec(server: ServerChild, org: Organisation, i: number): Promise<CustomerSpec> {
  const team = org.teams[Math.floor(Math.random() * org.teams.length)]!;
  const mix = profile!.mix;
  const roll = Math.random();
  const base = {
    id: `c${i}`,
    abandonAfterMs: Math.random() < profile!.abandonRate ? 200 + Math.random() * 2_800 : null,
    patienceMs: profile!.patienceMs,
    chatIntervalMs: profile!.chatIntervalMs,
    leaveAfterLines: Math.random() < profile!.leaveRate ? 3 + Math.floor(Math.random() * 8) : 0,
  };
  const button = {
    ...base,
    portalId: team.portals.button,
    portalType: "smartButton",
    mode: "standard",
  } as const;
  // Cumulative shares: expiry, phone, queue, box, match; the rest is SmartButton.
  const [toExpiry, toPhone, toQueue, toBox, toMatch] = [
    mix.expiry,
    mix.phone,
    mix.queue,
    mix.box,
    mix.match,
  ].map((_, i, all) => all.slice(0, i + 1).reduce((a, b) => a + b, 0)) as [
    number,
    number,
    number,
    number,
    number,
  ];
  if (roll < toExpiry)
    return {
      ...button,
      portalId: org.expiryPortal,
      abandonAfterMs: null,
      patienceMs: profile!.requestExpiryMs * 3,
    };
  if (roll < toPhone) {
    const at = codes.findIndex((c) => c.portalId === team.portals.phone);
    const c = at >= 0 ? codes.splice(at, 1)[0] : codes.shift();
    if (c) return { ...base, portalId: c.portalId, portalType: "smartCode", mode: "phone", code: c.code };
    return button;
  }
  if (roll < toQueue) return { ...base, portalId: team.portals.queue, portalType: "smartBox", mode: "queue" };
  if (roll < toBox) return { ...base, portalId: team.portals.box, portalType: "smartBox", mode: "standard" };
  if (roll < toMatch) {
    // As the SmartMatch page does: ask the server who is available, pick one (R-P4).
    matchFetches += 1;
    const r = await api(server.url, null, "GET", `/api/portals/${team.portals.match}`);
    const list = (r.body?.agents ?? []) as Array<{ id: string }>;
    const pick = list[Math.floor(Math.random() * list.length)];
    if (pick)
      return {
        ...base,
        portalId: team.portals.match,
        portalType: "smartMatch",
        mode: "standard",
        matchAgentId: pick.id,
      };
  }
  return button;
}

let posted = 0;
async function postOne(server: ServerChild, org: Organisation): Promise<void> {
  const spec = await customerSpec(server, org, posted++);
  let socket = idle.pop();
  const greeted = socket !== undefined;
  if (!socket) {
    const fresh = openSocket(server.wsUrl, harness);
    customersOpen += 1;
    fresh.socket.onClose = () => {
      customersOpen -= 1;
    };
    const o = await fresh.opened;
    if (!o.ok) {
      connectOutcomes[o.error] = (connectOutcomes[o.error] ?? 0) + 1;
      rec.counter("post_no_socket");
      return;
    }
    socket = fresh.socket;
    socket.io.send(hello({ role: "anonymous" }));
  }
  const logic = createCustomer(socket.io, spec);
  customersActive += 1;
  const s = socket;
  let counted = true;
  const settle = () => {
    if (counted) customersActive -= 1;
    counted = false;
  };
  s.onMessage = (m) => {
    logic.onMessage(m);
    if (logic.outcome !== null && logic.outcome !== "joined") settle();
  };
  s.onClose = () => {
    customersOpen -= 1;
    logic.onClose();
    settle();
    // Keep the number of customers connected at once: a new idle one replaces the one that left.
    if (!stopPosting && customersOpen < profile!.customers) void openIdleCustomer(server);
  };
  // A greeted idle socket posts now; a fresh one posts when its welcome arrives (customer.js).
  if (greeted) logic.post();
}

let stopPosting = false;
let running: ServerChild | null = null;
/** Posts at `perS` for `seconds`, switching the recorder's phase after the warm-up. */
async function runStep(
  server: ServerChild,
  org: Organisation,
  step: Step,
): Promise<{ posted: number; seconds: number }> {
  rec.phase = `${step.label}:warm`;
  const start = Date.now();
  let due = 0;
  let sent = 0;
  let measuredFrom = 0;
  let postedAtMeasure = 0;
  while (Date.now() - start < step.durationS * 1000) {
    await sleep(20);
    const elapsed = (Date.now() - start) / 1000;
    if (elapsed >= step.warmS && rec.phase.endsWith(":warm")) {
      rec.phase = step.label;
      measuredFrom = Date.now();
      postedAtMeasure = sent;
    }
    due = Math.floor(elapsed * step.requestsPerS);
    while (sent < due) {
      sent += 1;
      postOne(server, org).catch(() => rec.counter("post_failed_to_start"));
    }
  }
  return { posted: sent - postedAtMeasure, seconds: (Date.now() - measuredFrom) / 1000 };
}

/** Keeps SmartCodes in stock: agents of Phone portals create them as customers redeem them (R-P6). */
function feedCodes(): NodeJS.Timeout {
  return setInterval(() => {
    if (stopPosting) return;
    const wanted = Math.max(20, Math.ceil(profile!.mix.phone * 200));
    for (let i = codes.length; i < wanted; i++) {
      const a = agents[Math.floor(Math.random() * agents.length)];
      a?.logic.createCode(`t${a.team}-phone`);
    }
  }, 500);
}

async function overload(server: ServerChild, org: Organisation) {
  const o = profile!.overload!;
  rec.phase = "overload";
  const outcomes: Record<string, number> = {};
  const extras: Socket[] = [];
  let attempted = 0;
  const start = Date.now();
  const step = runStep(server, org, {
    label: "overload",
    requestsPerS: o.requestsPerS,
    durationS: o.durationS,
    warmS: 0,
  });
  while (attempted < o.extraConnections && Date.now() - start < o.durationS * 1000) {
    const batch = Math.min(Math.ceil(o.connectPerS / 10), o.extraConnections - attempted);
    for (let i = 0; i < batch; i++) {
      attempted += 1;
      const { socket, opened } = openSocket(server.wsUrl, harness);
      void opened.then((r) => {
        const key = r.ok
          ? "opened"
          : r.status === 503
            ? "refused503"
            : r.status === 1013
              ? "closed1013"
              : r.error;
        outcomes[key] = (outcomes[key] ?? 0) + 1;
        if (r.ok) {
          extras.push(socket);
          socket.io.send(hello({ role: "anonymous" }));
        }
      });
    }
    await sleep(100);
  }
  const posted = await step;
  await sleep(1_000);
  for (const s of extras) s.ws.close();
  return { attempted, outcomes, posted };
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
  const dataDir = mkdtempSync(join(tmpdir(), "tandem-load-"));
  say(`load: profile ${p.name}${fault ? `, fault ${fault}` : ""}, data in ${dataDir}`);
  createAdmin(dataDir);
  // First boot: settings (floor timings apply at the next start) and the organisation, through the REST API.
  let server = await startServerChild(dataDir);
  running = server;
  let token = await adminToken(server.url, adminEmail, adminPassword);
  await putSettings(server.url, token, p);
  const org = await seedOrganisation(server.url, token, p);
  await server.stop();
  server = await startServerChild(dataDir, p.admission);
  running = server;
  token = await adminToken(server.url, adminEmail, adminPassword);
  say(
    `load: seeded ${org.agents.length} agents in ${org.teams.length} teams (${org.teams.length * 5 + 1} portals) in ${((Date.now() - t0) / 1000).toFixed(1)} s; server ${server.url} pid ${server.pid}`,
  );
  const scraper = setInterval(() => void scrape(server), 2_000);

  await connectAgents(server, org);
  say(`load: ${agents.length} agents connected at ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const codeFeeder = feedCodes();
  await fillCustomers(server, p.customers, p.connectPerS, 120_000);
  await sleep(1_500);
  await scrape(server);
  const atOnce = {
    agents: scraped.agentsMax,
    customers: scraped.customersMax,
    total: scraped.connectionsMax,
    rssMiB: Math.round(scraped.rssMiBMax),
  };
  say(
    `load: connected at once: ${atOnce.agents} agents + ${atOnce.customers} customers, server RSS ${atOnce.rssMiB} MiB`,
  );

  const steps = [];
  for (const step of p.steps) {
    const r = await runStep(server, org, step);
    const alert = summarise(rec.samples(step.label, names.alertMs));
    const chat = summarise(rec.samples(step.label, names.chatMs));
    const offer = summarise(rec.samples(step.label, names.offerMs));
    const s = {
      label: step.label,
      offeredRequestsPerS: step.requestsPerS,
      achievedRequestsPerS: Math.round((r.posted / r.seconds) * 10) / 10,
      chatPerS: Math.round(rec.count(step.label, "chat_sent") / r.seconds),
      alert,
      offer,
      chat,
    };
    steps.push(s);
    const saturated = Math.max(alert.p99, chat.p99) > 2_000;
    say(
      `load: step ${s.label}: ${s.achievedRequestsPerS} req/s, ${s.chatPerS} chat/s; alert p95 ${alert.p95} p99 ${alert.p99} ms; chat p99 ${chat.p99} ms; offer p99 ${offer.p99} ms`,
    );
    // Past saturation the higher steps only measure queues: stop stepping (the knee is below).
    if (saturated) break;
  }
  let overloadResult = null;
  if (p.overload) {
    const o = await overload(server, org);
    const alert = summarise(rec.samples("overload", names.alertMs));
    const chat = summarise(rec.samples("overload", names.chatMs));
    overloadResult = { ...o, alert, chat, refusedByServer: { ...scraped.refused } };
    say(
      `load: overload: ${o.attempted} extra connections → ${JSON.stringify(o.outcomes)}; existing alert p99 ${alert.p99} ms, chat p99 ${chat.p99} ms`,
    );
  }

  // Drain: no new posts; wait for every customer to hear how their request ended.
  stopPosting = true;
  rec.phase = "drain";
  clearInterval(codeFeeder);
  const drainEnd = Date.now() + p.drainS * 1000;
  while (customersActive > 0 && Date.now() < drainEnd) await sleep(250);
  say(
    `load: drained (${customersActive} customers still active) at ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  await scrape(server);
  clearInterval(scraper);
  harness.stopped = true;
  for (const a of agents) a.logic.stop();
  for (const a of agents) a.socket.ws.close();
  for (const s of [...idle]) s.ws.close();
  await sleep(500);
  const exit = await server.stop();
  running = null;

  // The server's event log: the same observer whatever the run; a fault forges one violation into what it reads.
  const log = readEventLog(dataDir);
  const observer = createObserver();
  for (const e of fault ? injectFault(log, fault) : log) observer.observe(e);
  const observed = observer.report();
  const client = crossCheck(fault ? injectFault.notes(harness.notes, fault) : harness.notes, log);
  const tally = rec.tally();

  // A run that saturated below the target step has no target figures: every latency threshold then fails.
  const none = summarise([]);
  const target = steps.find((s) => s.label === p.targetStep) ?? {
    label: `${p.targetStep} (not reached: saturated below)`,
    alert: none,
    chat: none,
    offer: none,
  };
  const kneeStep = [...steps]
    .reverse()
    .find((s) => Math.max(s.alert.p99, s.chat.p99) < p.thresholds.kneeP99Ms);
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
      if (t.failed) console.log(`load: FAILED CHECK ${name}: ${t.failed}`);
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
