// What a reconnecting console gets in `agent.state` (issue 4, R-L1, R-L3, R-L5, R-P6): waiting requests with their
// posting time and colour, open sessions with start time and participants, active SmartCodes, and history.
import { afterAll, beforeAll, expect, test } from "vitest";
import { addAgent, addPortal, Client, customerPost, login, type TestServer, testServer } from "../testing.ts";

let t: TestServer;
beforeAll(async () => {
  t = await testServer();
});
afterAll(async () => {
  await t.close();
});

test("R-L1: after a reconnect the console gets back its incoming, sessions, codes and history", async () => {
  const ann = await addAgent(t, "ann");
  const bob = await addAgent(t, "bob");
  const web = addPortal(t, { type: "smartBox", mode: "standard", members: [ann.id, bob.id] });
  const phone = addPortal(t, { type: "smartCode", mode: "phone", members: [ann.id] });
  const token = await login(t.url, ann.email);
  const first = await Client.hello(t.wsUrl, { role: "agent", token });
  const bobC = await Client.agent(t, bob.email);

  const closed = await customerPost(t, { portalId: web, name: "Old One" });
  await first.ok({ type: "request.answer", requestId: closed.requestId });
  const s1 = await first.event("session.started");
  await first.ok({ type: "session.close", sessionId: s1.sessionId, resolution: "resolved" });
  const open = await customerPost(t, { portalId: web, name: "Open One" });
  await first.ok({ type: "request.answer", requestId: open.requestId });
  await first.event("session.started", (e) => e.requestId === open.requestId);
  const waiting = await customerPost(t, { portalId: web, name: "Still Waiting" });
  const taken = await customerPost(t, { portalId: web, name: "Taken By Bob" });
  await bobC.ok({ type: "request.answer", requestId: taken.requestId });
  await first.ok({ type: "code.create", portalId: phone });
  const code = await first.event("code.created");
  first.close();

  const again = await Client.hello(t.wsUrl, { role: "agent", token });
  const state = await again.next((m) => m.type === "agent.state");
  expect(state.incoming.map((r: { customer: { name: string } }) => r.customer.name)).toEqual([
    "Still Waiting",
  ]);
  expect(state.incoming[0]).toMatchObject({ requestId: waiting.requestId, colour: "yellow" });
  expect(typeof state.incoming[0].postedAt).toBe("number");
  expect(state.sessions).toHaveLength(1);
  expect(state.sessions[0]).toMatchObject({
    customer: { name: "Open One" },
    participants: [{ agentId: ann.id, hidden: false }],
    customerPresent: true,
  });
  expect(typeof state.sessions[0].startedAt).toBe("number");
  expect(state.codes).toMatchObject([{ code: code.code, display: code.display, expiresAt: code.expiresAt }]);
  expect(state.history[0]).toMatchObject({ sessionId: s1.sessionId, resolution: "resolved" });
  expect(typeof state.serverTime).toBe("number");
  again.close();
  bobC.close();
});
