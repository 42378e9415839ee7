// Shared k6 glue: the custom metrics, the `io` the scenario logic (bench/load/logic) expects, and the seeding plan.
// k6 v0.48 API only (k6/ws, k6/http, k6/metrics, check); no Node modules.
import { check } from "k6";
import http from "k6/http";
import { Counter, Trend } from "k6/metrics";
import { names } from "../load/logic/io.js";

export const BASE = __ENV.TANDEM_URL || "http://127.0.0.1:8080";
export const WS = `${BASE.replace(/^http/, "ws")}/ws`;
export const AGENTS = Number(__ENV.AGENTS || 1250);
export const TEAM = Number(__ENV.TEAM_SIZE || 10);
export const AGENT_PASSWORD = __ENV.AGENT_PASSWORD || "Load-agent-1!";
export const MAXIMA = [8, 8, 8, 6, 4, 3, 2, 1];

// Custom metrics must be created in the init context; the names are the ones the Node runner reports.
const trends = {};
for (const n of [names.alertMs, names.offerMs, names.chatMs, names.answerWaitMs])
  trends[n] = new Trend(n, true);
const counters = {};
for (const n of ["chat_sent", "chat_received", "requests_posted", "answers_won", "answers_lost"])
  counters[n] = new Counter(n);

/** The scenario logic's `io` on one k6/ws socket: k6 timers, Date.now (one clock per machine), k6 checks. */
export function makeIo(socket) {
  return {
    send: (m) => socket.send(JSON.stringify(m)),
    close: () => socket.close(),
    now: () => Date.now(),
    random: Math.random,
    after: (ms, fn) => socket.setTimeout(fn, Math.max(1, ms)),
    check: (name, ok, why) => {
      if (!ok && why) console.warn(`${name}: ${why}`);
      return check(ok, { [name]: (v) => v === true });
    },
    trend: (name, ms) => trends[name]?.add(ms),
    counter: (name, n) => counters[name]?.add(n === undefined ? 1 : n),
  };
}

export const teamOf = (i) => Math.floor(i / TEAM);
export const portalsOf = (t) => ({
  button: `t${t}-button`,
  box: `t${t}-box`,
  match: `t${t}-match`,
  queue: `t${t}-queue`,
  phone: `t${t}-phone`,
});

function adminToken() {
  const r = http.post(
    `${BASE}/api/login`,
    JSON.stringify({ email: __ENV.ADMIN_EMAIL, password: __ENV.ADMIN_PASSWORD }),
    { headers: { "content-type": "application/json" } },
  );
  if (r.status !== 200) throw new Error(`admin login failed: ${r.status} ${r.body}`);
  return r.json("token");
}

/**
 * k6 `setup()`: the same organisation as the Node runner (bench/load/seed.ts) through the management REST API —
 * agents agent<i>@bench.tandem.test with maxima 1–8, and per team of TEAM_SIZE one portal of every type and mode.
 * Skipped with SEED=0 when the server already holds it. Returns agent ids by index (SmartMatch picks them).
 */
export function seed() {
  const token = adminToken();
  const params = { headers: { "content-type": "application/json", authorization: `Bearer ${token}` } };
  const ids = [];
  if (__ENV.SEED !== "0") {
    for (let i = 0; i < AGENTS; i++) {
      const r = http.post(
        `${BASE}/api/admin/agents`,
        JSON.stringify({
          email: `agent${i}@bench.tandem.test`,
          firstName: "Agent",
          lastName: `No ${i}`,
          password: AGENT_PASSWORD,
          maxSessions: MAXIMA[i % MAXIMA.length],
        }),
        params,
      );
      check(r, { "agent created": (x) => x.status === 201 });
      ids.push(r.json("id"));
    }
    for (let t = 0; t * TEAM < AGENTS; t++) {
      const members = ids.slice(t * TEAM, (t + 1) * TEAM);
      const p = portalsOf(t);
      const kinds = [
        [p.button, "smartButton", "standard"],
        [p.box, "smartBox", "standard"],
        [p.match, "smartMatch", "standard"],
        [p.queue, "smartBox", "queue"],
        [p.phone, "smartCode", "phone"],
      ];
      for (const [id, type, mode] of kinds) {
        const r = http.post(`${BASE}/api/admin/portals`, JSON.stringify({ id, type, mode, members }), params);
        check(r, { "portal created": (x) => x.status === 201 });
      }
    }
  }
  return { teams: Math.ceil(AGENTS / TEAM) };
}

/** Logs an agent in over HTTP as the scenario logic describes it; returns the token or null. */
export function login(logic) {
  const req = logic.loginRequest();
  const r = http.post(`${BASE}${req.path}`, JSON.stringify(req.body), {
    headers: { "content-type": "application/json" },
  });
  return logic.onLogin(r.status, r.status === 200 ? r.json() : null);
}
