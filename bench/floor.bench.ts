// bench:floor — one floor with 1,250 agents and 10,000 open sessions in one process: routing decision latency,
// memory per idle session actor, and domain events per second. Prints one JSON line per case; writes out/bench/floor.json.
import { performance } from "node:perf_hooks";
import { AgentId, type Floor, PortalId, type RequestId, type SessionId } from "../actors/index.ts";
import { customer, testFloor } from "../actors/testing.ts";
import { mib, summarise, writeResults } from "./stats.ts";

const agentsTotal = 1_250;
const portalsTotal = 25; // 50 agents each
const sessionsTarget = 10_000; // 8 per agent: everyone at the maximum (R-A7)
const gc = (globalThis as { gc?: () => void }).gc;

function heapUsed(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

function buildFloor() {
  const agents = Array.from({ length: agentsTotal }, (_, i) => ({ id: `a${i}`, maxSessions: 8 }));
  const portals = Array.from({ length: portalsTotal }, (_, p) => ({
    id: `p${p}`,
    type: "smartBox" as const,
    mode: p % 5 === 4 ? ("queue" as const) : ("standard" as const),
    members: agents.slice(p * 50, p * 50 + 50).map((a) => a.id),
  }));
  return testFloor({ agents, portals, options: { requestExpiryMs: 3_600_000 } });
}

function post(floor: Floor, portal: number, i: number): RequestId | undefined {
  const r = floor.dispatch({
    type: "request.post",
    portalId: PortalId(`p${portal}`),
    customer: customer(`c${i}`, "help"),
  });
  return r.events.find((e) => e.type === "request.posted")?.requestId as RequestId | undefined;
}

const results: unknown[] = [];
const report = (row: Record<string, unknown>) => {
  results.push(row);
  console.log(JSON.stringify(row));
};

const before = heapUsed();
const f = buildFloor();
const afterAgents = heapUsed();

// Fill the floor: every agent answers until it holds 8 sessions. Each post + answer is one routing decision.
const postMs: number[] = [];
const answerMs: number[] = [];
const sessions: Array<{ sessionId: SessionId; agentId: AgentId }> = [];
let events = 0;
f.floor.subscribe(() => events++);
const fillStart = performance.now();
for (let i = 0; sessions.length < sessionsTarget; i++) {
  const portal = i % portalsTotal;
  const agentId = AgentId(`a${portal * 50 + (Math.floor(i / portalsTotal) % 50)}`);
  let t = performance.now();
  const requestId = post(f.floor, portal, i);
  postMs.push(performance.now() - t);
  if (!requestId) continue;
  const mode = portal % 5 === 4 ? "queue" : "standard";
  const answerer = mode === "queue" ? (f.floor.request(requestId)?.context.offeredTo ?? agentId) : agentId;
  t = performance.now();
  const answered = f.floor.dispatch({ type: "request.answer", agentId: answerer, requestId });
  answerMs.push(performance.now() - t);
  const started = answered.events.find((e) => e.type === "session.started");
  if (started) sessions.push({ sessionId: started.sessionId, agentId: answerer });
}
const fillSeconds = (performance.now() - fillStart) / 1000;
const afterSessions = heapUsed();

report({
  case: "1,250 agents, 25 portals: routing a request (post → alerts or offer)",
  ...summarise(postMs),
  targetP99Ms: 2,
});
report({
  case: "1,250 agents: answering (first answer wins → slot → session)",
  ...summarise(answerMs),
  targetP99Ms: 2,
});

// Chat on a full floor: the hot path of open sessions.
const chatMs: number[] = [];
for (let i = 0; i < 20_000; i++) {
  const s = sessions[(i * 7919) % sessions.length]!;
  const t = performance.now();
  f.floor.dispatch({
    type: "session.chat",
    sessionId: s.sessionId,
    from: { kind: "customer" },
    text: "still there?",
  });
  chatMs.push(performance.now() - t);
}
report({ case: "10,000 open sessions: one chat line", ...summarise(chatMs) });

// Routing with every agent at the maximum: broadcasts still alert 50 agents; answers become Queued (R-A8).
const fullPostMs: number[] = [];
for (let i = 0; i < 2_000; i++) {
  const t = performance.now();
  post(f.floor, i % portalsTotal, 1_000_000 + i);
  fullPostMs.push(performance.now() - t);
}
report({
  case: "10,000 open sessions, all agents at the maximum: routing a request",
  ...summarise(fullPostMs),
  targetP99Ms: 2,
});

report({
  case: "memory",
  sessionsOpen: sessions.length,
  liveActors: f.floor.childCount(),
  heapAgentsMiB: mib(afterAgents - before),
  heapPerIdleSessionKiB: Math.round(((afterSessions - afterAgents) / sessions.length / 1024) * 100) / 100,
  rssMiB: mib(process.memoryUsage().rss),
  gcExposed: Boolean(gc),
});
report({
  case: "throughput while filling",
  domainEventsPerSecond: Math.round(events / fillSeconds),
  fillSeconds,
});
// Closing sessions on a full floor (R-S7): each close stops the session's actor, which cancels its timers.
const closeMs: number[] = [];
for (const s of sessions.slice(0, 2_000)) {
  const t = performance.now();
  f.floor.dispatch({
    type: "session.close",
    sessionId: s.sessionId,
    agentId: s.agentId,
    resolution: "resolved",
  });
  closeMs.push(performance.now() - t);
}
report({ case: "10,000 open sessions: closing one (its actor stops)", ...summarise(closeMs) });

writeResults("out/bench/floor.json", results);
