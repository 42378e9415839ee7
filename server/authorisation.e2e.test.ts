// Walks the whole authorisation table (protocol/messages/authorisation.ts) against a running server: every control
// message and every HTTP route, sent by each of the seven principals; a message or route missing from the table fails.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  type ClientMessageType,
  clientMessages,
  messagePermissions,
  type Principal,
  principals,
  type RouteKey,
  routePermissions,
} from "../protocol/messages/index.ts";
import { renderTables } from "../protocol/messages/render.ts";
import {
  addAdmin,
  addAgent,
  addPortal,
  Client,
  customerPost,
  login,
  type Msg,
  type TestServer,
  testServer,
} from "./testing.ts";

let t: TestServer;
let adminToken: string;
beforeAll(async () => {
  t = await testServer();
  adminToken = await addAdmin(t);
});
afterAll(async () => {
  await t.close();
});

interface Fixture {
  sessionId: string;
  /** A request still waiting, whose customer is `waiting`. */
  requestId: string;
  portalId: string;
  tokens: Record<Principal, string | undefined>;
  sockets: Record<Principal, Client>;
  agentIds: { owner: string; invited: string; other: string };
  close(): void;
}

/** A live session (customer, owner, visible invitee), another customer with a waiting request, another agent, an admin. */
async function fixture(): Promise<Fixture> {
  const owner = await addAgent(t, "owner");
  const invited = await addAgent(t, "invited");
  const other = await addAgent(t, "other");
  const absent = await addAgent(t, "absent");
  const portalId = addPortal(t, { type: "smartBox", mode: "standard", members: [owner.id, other.id] });
  const waitingPortal = addPortal(t, { type: "smartBox", mode: "standard", members: [absent.id] });
  const tokens = {
    ownerAgent: await login(t.url, owner.email),
    invitedAgent: await login(t.url, invited.email),
    otherAgent: await login(t.url, other.email),
  };
  const o = await Client.hello(t.wsUrl, { role: "agent", token: tokens.ownerAgent });
  const i = await Client.hello(t.wsUrl, { role: "agent", token: tokens.invitedAgent });
  const x = await Client.hello(t.wsUrl, { role: "agent", token: tokens.otherAgent });
  await x.ok({ type: "agent.setAvailable", available: false });
  const cust = await customerPost(t, { portalId, question: "q" });
  await o.event("alert.raised", (e) => e.requestId === cust.requestId);
  await o.ok({ type: "request.answer", requestId: cust.requestId });
  const sessionId = (await cust.c.next((m) => m.type === "session.joined")).sessionId as string;
  await o.ok({ type: "session.invite", sessionId, to: { agentId: invited.id }, hidden: false });
  await i.ok({ type: "session.acceptInvite", sessionId });
  await x.ok({ type: "agent.setAvailable", available: true });
  const waiting = await customerPost(t, { portalId: waitingPortal, question: "waiting" });
  const admin = await Client.hello(t.wsUrl, { role: "admin", token: adminToken });
  const anonymous = await Client.hello(t.wsUrl, { role: "anonymous" });
  const sockets: Record<Principal, Client> = {
    anonymous,
    customer: cust.c,
    otherCustomer: waiting.c,
    ownerAgent: o,
    invitedAgent: i,
    otherAgent: x,
    admin,
  };
  return {
    sessionId,
    requestId: waiting.requestId,
    portalId,
    tokens: {
      anonymous: undefined,
      customer: cust.customerToken,
      otherCustomer: waiting.customerToken,
      ...tokens,
      admin: adminToken,
    },
    sockets,
    agentIds: { owner: owner.id, invited: invited.id, other: other.id },
    close: () => {
      for (const s of Object.values(sockets)) s.close();
    },
  };
}

/** One well-formed example of every message; `sender` tells which socket sends it (request-target messages swap customers). */
function sample(type: ClientMessageType, f: Fixture): Msg {
  const s = f.sessionId;
  const samples: Record<ClientMessageType, Msg> = {
    hello: { type: "hello", protocol: 1, role: "anonymous" },
    ping: { type: "ping" },
    "customer.post": {
      type: "customer.post",
      portalId: f.portalId,
      name: "N",
      language: "en",
      question: "q",
    },
    "customer.abandon": { type: "customer.abandon", requestId: f.requestId },
    "customer.leave": { type: "customer.leave", sessionId: s },
    "agent.setAvailable": { type: "agent.setAvailable", available: true },
    "agent.logout": { type: "agent.logout" },
    "request.answer": { type: "request.answer", requestId: f.requestId },
    "request.decline": { type: "request.decline", requestId: f.requestId },
    "code.create": { type: "code.create", portalId: f.portalId },
    "code.cancel": { type: "code.cancel", code: "0000000" },
    "chat.send": { type: "chat.send", sessionId: s, text: "hi" },
    "note.add": { type: "note.add", sessionId: s, text: "note" },
    "url.push": { type: "url.push", sessionId: s, url: "https://example.com/" },
    "session.invite": {
      type: "session.invite",
      sessionId: s,
      to: { agentId: f.agentIds.other },
      hidden: false,
    },
    "session.cancelInvite": { type: "session.cancelInvite", sessionId: s },
    "session.acceptInvite": { type: "session.acceptInvite", sessionId: s },
    "session.transfer": { type: "session.transfer", sessionId: s, to: { agentId: f.agentIds.other } },
    "session.cancelTransfer": { type: "session.cancelTransfer", sessionId: s },
    "session.acceptTransfer": { type: "session.acceptTransfer", sessionId: s },
    "session.leave": { type: "session.leave", sessionId: s },
    "session.close": { type: "session.close", sessionId: s, resolution: "resolved" },
    "session.closeAll": { type: "session.closeAll", resolution: "resolved" },
    "screen.present": { type: "screen.present", sessionId: s },
    "session.transcript": { type: "session.transcript", sessionId: s },
    "diagnostics.request": { type: "diagnostics.request", sessionId: s },
    "diagnostics.answer": { type: "diagnostics.answer", sessionId: s, diagnosticsId: 1, outcome: "sent" },
  };
  return samples[type];
}

/** For request-target messages the waiting customer is "customer" and the session's customer is "otherCustomer". */
function socketFor(type: ClientMessageType, p: Principal, f: Fixture): Client {
  if (messagePermissions[type].target === "request" && (p === "customer" || p === "otherCustomer")) {
    return f.sockets[p === "customer" ? "otherCustomer" : "customer"];
  }
  return f.sockets[p];
}

const denied = (answer: Msg) =>
  answer.type === "error" && (answer.reason === "Unauthorised" || answer.reason === "NotAuthenticated");

describe("authorisation table", () => {
  test("every client message has an entry in the table, and every table entry is a known message", () => {
    expect(Object.keys(messagePermissions).sort()).toEqual(Object.keys(clientMessages).sort());
  });

  test("protocol/README.md shows the table as it is in the code", () => {
    const readme = readFileSync(new URL("../protocol/README.md", import.meta.url), "utf8");
    expect(readme).toContain(renderTables());
  });

  test("every HTTP route the server registers is in the table (and only those)", () => {
    const source = readFileSync(new URL("./server.ts", import.meta.url), "utf8");
    const registered = [...source.matchAll(/\.on\("((?:GET|POST|PUT|DELETE) [^"]+)"/g)].map((m) => m[1]);
    expect(registered.sort()).toEqual(Object.keys(routePermissions).sort());
  });

  for (const type of Object.keys(clientMessages) as ClientMessageType[]) {
    test(`message ${type}: ${messagePermissions[type].allowed.join(", ")}`, async () => {
      const f = await fixture();
      try {
        if (type === "hello") {
          // Every principal above was established by its hello; a second hello is a handshake error, not a permission.
          for (const p of principals) expect(f.sockets[p].received[0]?.type).toBe("welcome");
          return;
        }
        const allowed = messagePermissions[type].allowed;
        // Denied principals first: they must have no effect, so the allowed ones still meet the fixture as built.
        const order = [
          ...principals.filter((p) => !allowed.includes(p)),
          ...principals.filter((p) => allowed.includes(p)),
        ];
        for (const p of order) {
          const answer = await socketFor(type, p, f).request(sample(type, f));
          expect({ principal: p, denied: denied(answer) }).toEqual({
            principal: p,
            denied: !allowed.includes(p),
          });
        }
      } finally {
        f.close();
      }
    });
  }

  test("every HTTP route, for every principal", async () => {
    const f = await fixture();
    const params: Record<string, string> = {
      ":portal": f.portalId,
      ":file": "style.css",
      ":session": f.sessionId,
      ":agent": f.agentIds.other,
    };
    // Logout last: it revokes the token the other routes use.
    const routes = (Object.keys(routePermissions) as RouteKey[]).sort(
      (a, b) => Number(a === "POST /api/logout") - Number(b === "POST /api/logout"),
    );
    const failures: string[] = [];
    for (const key of routes) {
      const [method, pattern] = key.split(" ") as [string, string];
      const path = pattern.replace(/:\w+/g, (m) => params[m]!);
      const allowed: readonly Principal[] = routePermissions[key].allowed;
      const order = [
        ...principals.filter((p) => !allowed.includes(p)),
        ...principals.filter((p) => allowed.includes(p)),
      ];
      for (const p of order) {
        const token = f.tokens[p];
        const res = await fetch(`${t.url}${path}`, {
          method,
          headers: {
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(method !== "GET" ? { "content-type": "application/json" } : {}),
          },
          ...(method !== "GET" ? { body: "{}" } : {}),
        });
        await res.arrayBuffer();
        const wasDenied = res.status === 401 || res.status === 403;
        // A route may answer 403 for a reason other than permission (expired password): those say so in the body.
        if (wasDenied === allowed.includes(p)) failures.push(`${key} as ${p}: ${res.status}`);
      }
    }
    f.close();
    expect(failures).toEqual([]);
  });
});
