// k6: agents and customers on a running Tandem server, with the same scenario logic as `npm run load`
// (bench/load/logic). Agents: log in, go Available, answer alerts and Queue offers, chat, take up to their maximum,
// close with a resolution, go Not available and back. Customers: post through every portal type and mode, chat,
// leave, abandon while waiting; SmartCodes created by an agent and redeemed by a customer. See README.md.
import { sleep } from "k6";
import http from "k6/http";
import ws from "k6/ws";
import { createAgent } from "../load/logic/agent.js";
import { createCustomer } from "../load/logic/customer.js";
import { ignorable, names } from "../load/logic/io.js";
import { AGENT_PASSWORD, AGENTS, BASE, login, MAXIMA, makeIo, portalsOf, seed, TEAM, WS } from "./lib.js";

const RATE = Number(__ENV.RATE || 100); // new requests per second
const DURATION = __ENV.DURATION || "3m";
const HOLD_S = Number(__ENV.HOLD_S || 20);
const CHAT_MS = Number(__ENV.CHAT_MS || 540);

export const options = {
  setupTimeout: "30m",
  scenarios: {
    agents: {
      executor: "per-vu-iterations",
      exec: "agent",
      vus: AGENTS,
      iterations: 1,
      maxDuration: "1h",
    },
    customers: {
      executor: "constant-arrival-rate",
      exec: "customer",
      rate: RATE,
      timeUnit: "1s",
      duration: DURATION,
      startTime: __ENV.CUSTOMERS_START || "60s",
      preAllocatedVUs: Math.max(100, RATE * 40),
      maxVUs: Math.max(200, RATE * 80),
    },
    smartcodes: {
      executor: "constant-arrival-rate",
      exec: "smartcode",
      rate: Math.max(1, Math.round(RATE / 10)),
      timeUnit: "1s",
      duration: DURATION,
      startTime: __ENV.CUSTOMERS_START || "60s",
      preAllocatedVUs: 50,
      maxVUs: 400,
    },
  },
  thresholds: {
    [names.alertMs]: ["p(95)<25", "p(99)<100"],
    [names.chatMs]: ["p(99)<100"],
    checks: ["rate==1.0"],
  },
};

export function setup() {
  return seed();
}

/** One agent for the whole test: agent<VU-1>, connected until the test ends. */
export function agent() {
  const i = __VU - 1;
  const spec = {
    email: `agent${i}@bench.tandem.test`,
    password: AGENT_PASSWORD,
    maxSessions: MAXIMA[i % MAXIMA.length],
    thinkMs: [200, 1200],
    holdMs: [HOLD_S * 750, HOLD_S * 1250],
    chatIntervalMs: CHAT_MS,
    declineRate: 0.05,
    overAnswerRate: 0.02,
    awayEveryMs: 60000,
    awayMs: [2000, 6000],
  };
  let logic = null;
  const token = login(createAgent(makeIo({ send() {}, close() {}, setTimeout() {} }), spec));
  if (!token) return;
  ws.connect(WS, {}, (socket) => {
    logic = createAgent(makeIo(socket), spec);
    socket.on("open", () => socket.send(JSON.stringify(logic.hello(token))));
    // Its own chat lines come back on every session: skip them unparsed (logic/io.js `ignorable`).
    socket.on("message", (data) => {
      if (!ignorable.agent(data)) logic.onMessage(JSON.parse(data));
    });
    // Stay until the customers are done (k6 ends the VU at maxDuration / test end).
    socket.setTimeout(() => socket.close(), 3600 * 1000);
  });
}

function customerSpec(teams) {
  const t = Math.floor(Math.random() * teams);
  const p = portalsOf(t);
  const roll = Math.random();
  const base = {
    id: `k${__VU}i${__ITER}`,
    abandonAfterMs: Math.random() < 0.05 ? 200 + Math.random() * 2800 : null,
    patienceMs: 20000,
    chatIntervalMs: CHAT_MS,
    leaveAfterLines: Math.random() < 0.3 ? 3 + Math.floor(Math.random() * 8) : 0,
  };
  if (roll < 0.25) return { ...base, portalId: p.queue, portalType: "smartBox", mode: "queue" };
  if (roll < 0.45) return { ...base, portalId: p.box, portalType: "smartBox", mode: "standard" };
  if (roll < 0.57) {
    // As the SmartMatch page does: ask who is available and pick one (R-P4).
    const r = http.get(`${BASE}/api/portals/${p.match}`);
    const list = r.status === 200 ? r.json("agents") : [];
    if (list.length > 0) {
      const pick = list[Math.floor(Math.random() * list.length)];
      return {
        ...base,
        portalId: p.match,
        portalType: "smartMatch",
        mode: "standard",
        matchAgentId: pick.id,
      };
    }
  }
  return { ...base, portalId: p.button, portalType: "smartButton", mode: "standard" };
}

/** Runs one customer on its own socket until the request ends (joined and ended, left, abandoned, expired). */
function runCustomer(spec) {
  ws.connect(WS, {}, (socket) => {
    const logic = createCustomer(makeIo(socket), spec);
    socket.on("open", () => socket.send(JSON.stringify(logic.hello())));
    socket.on("message", (data) => {
      if (!ignorable.customer(data)) logic.onMessage(JSON.parse(data));
    });
    socket.on("close", () => logic.onClose());
    socket.setTimeout(() => socket.close(), spec.patienceMs + HOLD_S * 2000 + 30000);
  });
}

export function customer(data) {
  runCustomer(customerSpec(data.teams));
}

/** R-P6: an agent of a Phone portal creates a SmartCode on a second console socket; a customer redeems it. */
export function smartcode(data) {
  const t = Math.floor(Math.random() * data.teams);
  const i = t * TEAM + Math.floor(Math.random() * Math.min(TEAM, AGENTS - t * TEAM));
  const spec = {
    email: `agent${i}@bench.tandem.test`,
    password: AGENT_PASSWORD,
    maxSessions: MAXIMA[i % MAXIMA.length],
    thinkMs: [200, 1200],
    holdMs: [1000, 1000],
    chatIntervalMs: CHAT_MS,
    declineRate: 0,
    overAnswerRate: 0,
    awayEveryMs: 0,
    awayMs: [0, 0],
  };
  let code = null;
  const token = login(createAgent(makeIo({ send() {}, close() {}, setTimeout() {} }), spec));
  if (!token) return;
  ws.connect(WS, {}, (socket) => {
    const logic = createAgent(makeIo(socket), {
      ...spec,
      onCode: (c) => {
        code = c;
        socket.close();
      },
    });
    socket.on("open", () => socket.send(JSON.stringify(logic.hello(token))));
    socket.on("message", (d) => {
      const m = JSON.parse(d);
      if (m.type === "welcome") logic.createCode(portalsOf(t).phone);
      // This second console only issues the code; the agent's main console (the agents scenario) answers.
      if (m.type === "ack" || m.type === "error") logic.onMessage(m);
    });
    socket.setTimeout(() => socket.close(), 10000);
  });
  if (!code) return;
  sleep(Math.random() * 2); // the customer types the code the agent read out
  runCustomer({
    id: `k${__VU}code${__ITER}`,
    portalId: portalsOf(t).phone,
    portalType: "smartCode",
    mode: "phone",
    code,
    abandonAfterMs: null,
    patienceMs: 20000,
    chatIntervalMs: CHAT_MS,
    leaveAfterLines: 5,
  });
}
