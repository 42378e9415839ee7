// One load-generator worker thread: a share of the agents and of the customers, driven by the shared scenario logic
// (bench/load/logic) on one tick loop, its own Recorder, and compact notes for the cross-client checks. The
// coordinator (run.ts) tells it what to do with small request/answer messages (see `Call` in workerPool.ts).
import { parentPort, workerData } from "node:worker_threads";
import { type Loose, type Note, now, openSocket, type Socket } from "./clients.ts";
import { createAgent } from "./logic/agent.js";
import { type CustomerSpec, createCustomer } from "./logic/customer.js";
import { hello, ignorable } from "./logic/io.js";
import type { Profile } from "./profiles.ts";
import { Recorder } from "./recorder.ts";
import { agentPassword, api, type Organisation, pooled, type SeededAgent } from "./seed.ts";
import { generatorLagMs, Ticker } from "./ticker.ts";
import type { WorkerInit } from "./workerPool.ts";

const init = workerData as WorkerInit;
const profile: Profile = init.profile;
const org: Organisation = init.org;
const port = parentPort!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const rec = new Recorder();
const ticker = new Ticker(now, 4, (ms) => rec.trend(generatorLagMs, ms));
ticker.start();

// ——— notes, kept compact: an alert matters at the end only if it was never withdrawn ———
const notes: Note[] = [];
const openAlerts = new Map<string, Record<string, unknown>>();
let alertsSeen = 0;
function note(kind: string, data: Record<string, unknown>): void {
  if (kind === "alert") {
    alertsSeen += 1;
    if (data.mode === "phone") notes.push({ kind, data });
    else openAlerts.set(`${data.requestId}|${data.agentId}`, data);
    return;
  }
  if (kind === "withdrawn") {
    openAlerts.delete(`${data.requestId}|${data.agentId}`);
    return;
  }
  notes.push({ kind, data });
}
const harness = { recorder: rec, note, ticker };

// ——— agents ———
interface LiveAgent {
  logic: ReturnType<typeof createAgent>;
  socket: Socket;
  team: number;
}
const agents: LiveAgent[] = [];
const codes: Array<{ code: string; portalId: string }> = [];

/** Opens a socket, retrying after a 503 as a client told `Retry-After` would (admission refuses during lag spikes). */
async function openWithRetry(tries = 20) {
  for (let i = 1; ; i++) {
    const attempt = openSocket(init.wsUrl, harness);
    const o = await attempt.opened;
    if (o.ok || o.status !== 503 || i >= tries) return { ...attempt, outcome: o };
    rec.counter("connect_retried_503");
    await sleep(250 * i);
  }
}

async function connectAgent(a: SeededAgent): Promise<void> {
  const { socket, outcome: o } = await openWithRetry();
  const logic = createAgent(socket.io, {
    email: a.email,
    password: agentPassword,
    maxSessions: a.maxSessions,
    thinkMs: profile.thinkMs,
    holdMs: profile.holdMs,
    chatIntervalMs: profile.chatIntervalMs,
    declineRate: 0.05,
    overAnswerRate: 0.02,
    awayEveryMs: 60_000,
    awayMs: [2_000, 6_000],
    onCode: (code, portalId) => codes.push({ code, portalId }),
  });
  const login = logic.loginRequest();
  const r = await api(init.url, null, login.method, login.path, login.body);
  const token = logic.onLogin(r.status, r.body);
  if (!token || !o.ok)
    throw new Error(`agent ${a.email}: login ${r.status}, socket ${o.ok ? "open" : o.error}`);
  socket.skip = ignorable.agent;
  socket.onMessage = (m) => logic.onMessage(m);
  socket.io.send(logic.hello(token));
  agents.push({ logic, socket, team: a.team });
}

/** Keeps SmartCodes in stock: agents of Phone portals create them as customers redeem them (R-P6). */
let codeFeeder: NodeJS.Timeout | null = null;
function feedCodes(): void {
  const wanted = Math.ceil(Math.max(20, Math.ceil(profile.mix.phone * 200)) / init.workers);
  codeFeeder = setInterval(() => {
    if (stopPosting) return;
    for (let i = codes.length; i < wanted; i++) {
      const a = agents[Math.floor(Math.random() * agents.length)];
      a?.logic.createCode(`t${a.team}-phone`);
    }
  }, 500);
}

// ——— customers: a pool of greeted idle sockets, each posting once when the schedule says ———
const idle = new Set<Socket>();
let customersTarget = 0;
let customersOpen = 0;
let customersActive = 0;
/** Customers whose request has not ended yet (those the drain may have to tell to give up). */
const waiting = new Set<ReturnType<typeof createCustomer>>();
let stopPosting = false;
const connectOutcomes: Record<string, number> = {};

async function openIdleCustomer(): Promise<boolean> {
  const { socket, opened } = openSocket(init.wsUrl, harness);
  customersOpen += 1;
  socket.onClose = () => {
    customersOpen -= 1;
    idle.delete(socket);
  };
  const o = await opened;
  if (!o.ok) {
    connectOutcomes[o.error] = (connectOutcomes[o.error] ?? 0) + 1;
    return false;
  }
  socket.onMessage = (m) => {
    if (m.type === "welcome") idle.add(socket);
  };
  socket.io.send(hello({ role: "anonymous" }));
  return true;
}

async function fillCustomers(target: number, perS: number, deadlineMs: number): Promise<number> {
  customersTarget = target;
  const end = Date.now() + deadlineMs;
  // Until `target` are greeted: a socket refused (admission 503 during a lag spike) is replaced at the next round.
  while (idle.size < target && Date.now() < end) {
    const batch = Math.min(Math.ceil(perS / 10), target - customersOpen);
    for (let i = 0; i < batch; i++) void openIdleCustomer();
    await sleep(100);
  }
  return idle.size;
}

// Cumulative shares: expiry, phone, queue, box, match; the rest is SmartButton.
const shares = [profile.mix.expiry, profile.mix.phone, profile.mix.queue, profile.mix.box, profile.mix.match];
const [toExpiry, toPhone, toQueue, toBox, toMatch] = shares.map((_, i, all) =>
  all.slice(0, i + 1).reduce((a, b) => a + b, 0),
) as [number, number, number, number, number];

let matchFetches = 0;
let serial = 0;
async function customerSpec(): Promise<CustomerSpec> {
  const team = org.teams[Math.floor(Math.random() * org.teams.length)]!;
  const roll = Math.random();
  const base = {
    id: `c${init.index}.${serial++}`,
    abandonAfterMs: Math.random() < profile.abandonRate ? 200 + Math.random() * 2_800 : null,
    patienceMs: profile.patienceMs,
    chatIntervalMs: profile.chatIntervalMs,
    leaveAfterLines: Math.random() < profile.leaveRate ? 3 + Math.floor(Math.random() * 8) : 0,
  };
  const button = {
    ...base,
    portalId: team.portals.button,
    portalType: "smartButton",
    mode: "standard",
  } as const;
  if (roll < toExpiry)
    return {
      ...button,
      portalId: org.expiryPortal,
      abandonAfterMs: null,
      patienceMs: profile.requestExpiryMs * 3,
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
    const r = await api(init.url, null, "GET", `/api/portals/${team.portals.match}`);
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

function takeIdle(): Socket | undefined {
  const first = idle.values().next();
  if (first.done) return undefined;
  idle.delete(first.value);
  return first.value;
}

async function postOne(): Promise<void> {
  const spec = await customerSpec();
  let socket = takeIdle();
  const greeted = socket !== undefined;
  if (!socket) {
    const fresh = openSocket(init.wsUrl, harness);
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
  waiting.add(logic);
  const s = socket;
  let counted = true;
  const settle = () => {
    if (counted) customersActive -= 1;
    counted = false;
    waiting.delete(logic);
  };
  s.skip = ignorable.customer;
  s.onMessage = (m: Loose) => {
    logic.onMessage(m);
    if (logic.outcome !== null && logic.outcome !== "joined") settle();
  };
  s.onClose = () => {
    customersOpen -= 1;
    logic.onClose();
    settle();
    // Keep the number of customers connected at once: a new idle one replaces the one that left.
    if (!stopPosting && customersOpen < customersTarget) void openIdleCustomer();
  };
  // A greeted idle socket posts now; a fresh one posts when its welcome arrives (customer.js).
  if (greeted) logic.post();
}

// ——— the posting schedule: `perS` new requests per second, spread evenly, on one 10 ms loop ———
let rate = { perS: 0, since: 0, sent: 0 };
setInterval(() => {
  if (stopPosting || rate.perS <= 0) return;
  const due = Math.floor(((now() - rate.since) / 1000) * rate.perS);
  while (rate.sent < due) {
    rate.sent += 1;
    postOne().catch(() => rec.counter("post_failed_to_start"));
  }
}, 10);

// ——— overload: extra connection attempts on top of the load, counted by how they ended ———
const extras: Socket[] = [];
async function extraConnections(count: number, perS: number, durationMs: number) {
  const outcomes: Record<string, number> = {};
  let attempted = 0;
  const start = Date.now();
  const settled: Array<Promise<void>> = [];
  while (attempted < count && Date.now() - start < durationMs) {
    const batch = Math.min(Math.ceil(perS / 10), count - attempted);
    for (let i = 0; i < batch; i++) {
      attempted += 1;
      const { socket, opened } = openSocket(init.wsUrl, harness);
      settled.push(
        opened.then((r) => {
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
        }),
      );
    }
    await sleep(100);
  }
  // Every attempt should be answered at once (opened, or refused before the handshake); count the ones that are not.
  const pending = await Promise.race([Promise.all(settled).then(() => 0), sleep(15_000).then(() => 1)]);
  const answered = Object.values(outcomes).reduce((n, k) => n + k, 0);
  if (pending) outcomes.unanswered = attempted - answered;
  return { attempted, outcomes: { ...outcomes } };
}

// ——— the coordinator's calls ———
type Call = { id: number; type: string; [k: string]: Loose };
async function handle(c: Call): Promise<Loose> {
  switch (c.type) {
    case "agents": {
      const failures: string[] = [];
      await pooled(init.agents, 4, (a) =>
        connectAgent(a).catch((err) => {
          failures.push(String(err));
        }),
      );
      feedCodes();
      return { connected: agents.length, failures };
    }
    case "fill":
      return { open: await fillCustomers(c.target, c.perS, c.deadlineMs) };
    case "phase":
      rec.phase = c.phase;
      return {};
    case "rate":
      rate = { perS: c.perS, since: now(), sent: 0 };
      return {};
    case "extra":
      return extraConnections(c.count, c.perS, c.durationMs);
    case "closeExtras":
      for (const s of extras) s.ws.close();
      return { closed: extras.length };
    case "stopPosting":
      stopPosting = true;
      rate = { perS: 0, since: 0, sent: 0 };
      if (codeFeeder) clearInterval(codeFeeder);
      return {};
    case "giveUp": {
      const told = [...waiting].filter((c) => c.outcome === null);
      for (const c of told) c.giveUp();
      return { told: told.length };
    }
    case "status":
      return {
        active: customersActive,
        waiting: [...waiting].filter((c) => c.outcome === null).length,
        open: customersOpen,
        idle: idle.size,
        timers: ticker.pending,
      };
    case "phaseData": {
      const data = rec.exportPhase(c.phase);
      return { data, transfer: Object.values(data.trends[c.phase] ?? {}).map((a) => a.buffer) };
    }
    case "finish": {
      ticker.stop();
      for (const a of agents) a.logic.stop();
      for (const a of agents) a.socket.ws.close();
      for (const s of [...idle]) s.ws.close();
      for (const [, data] of openAlerts) notes.push({ kind: "alert", data });
      const data = rec.export();
      const transfer = Object.values(data.trends).flatMap((byName) =>
        Object.values(byName).map((a) => a.buffer),
      );
      return { data, notes, alertsSeen, connectOutcomes, matchFetches, transfer };
    }
  }
  throw new Error(`unknown call ${c.type}`);
}

port.on("message", (c: Call) => {
  handle(c).then(
    (r) => {
      const { transfer, ...rest } = r as { transfer?: ArrayBuffer[] };
      port.postMessage({ id: c.id, ok: true, ...rest }, transfer ?? []);
    },
    (err) => port.postMessage({ id: c.id, ok: false, error: String(err?.stack ?? err) }),
  );
});

process.on("unhandledRejection", (err) => {
  rec.check("no unhandled error in the runner", false);
  console.error(`load worker ${init.index}: unhandled rejection: ${String(err)}`);
});
