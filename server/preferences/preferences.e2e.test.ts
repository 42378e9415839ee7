// Console preferences remembered per agent on the server (issue 4, R-L1), and the floor's ones applied (R-A6).
import { afterAll, beforeAll, expect, test } from "vitest";
import { addAgent, addPortal, Client, customerPost, login, type TestServer, testServer } from "../testing.ts";

let t: TestServer;
beforeAll(async () => {
  t = await testServer();
});
afterAll(async () => {
  await t.close();
});

const call = (method: string, token: string, body?: unknown) =>
  fetch(`${t.url}/api/me/preferences`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

test("R-L1: preferences saved by an agent come back on the next load, and only theirs", async () => {
  const ann = await addAgent(t, "ann");
  const bob = await addAgent(t, "bob");
  const token = await login(t.url, ann.email);
  expect(await (await call("GET", token)).json()).toEqual({});
  const prefs = { sections: { history: false }, columns: { incoming: ["clock", "name"] }, language: "fr" };
  expect((await call("PUT", token, prefs)).status).toBe(200);
  expect(await (await call("GET", token)).json()).toEqual(prefs);
  expect(await (await call("GET", await login(t.url, bob.email))).json()).toEqual({});
});

test("R-A6: 'Not available after each session' saved in the console applies to the agent on the floor", async () => {
  const cy = await addAgent(t, "cy");
  const portalId = addPortal(t, { type: "smartBox", mode: "standard", members: [cy.id] });
  const token = await login(t.url, cy.email);
  expect(
    (await call("PUT", token, { unavailableAfterSession: true, unavailableReminderSeconds: 0 })).status,
  ).toBe(200);
  const agent = await Client.hello(t.wsUrl, { role: "agent", token });
  const { requestId } = await customerPost(t, { portalId });
  await agent.ok({ type: "request.answer", requestId });
  const started = await agent.event("session.started");
  await agent.ok({ type: "session.close", sessionId: started.sessionId, resolution: "resolved" });
  const change = await agent.event("agent.availabilityChanged");
  expect(change).toMatchObject({ available: false, reason: "afterSession" });
  agent.close();
});

test("malformed or oversized preferences are refused with a typed reason and change nothing", async () => {
  const dee = await addAgent(t, "dee");
  const token = await login(t.url, dee.email);
  await call("PUT", token, { keep: 1 });
  const bad = await call("PUT", token, { remindWhen: { idle: "yes" } });
  expect(bad.status).toBe(400);
  expect(await bad.json()).toMatchObject({ ok: false, reason: "Malformed" });
  const big = await call("PUT", token, { blob: "x".repeat(9000) });
  expect([413, 400]).toContain(big.status);
  expect(await (await call("GET", token)).json()).toEqual({ keep: 1 });
});

test("R-V5, R-V6: the viewer's preferences are kept when of their kind; anything else is refused and changes nothing", async () => {
  const eve = await addAgent(t, "eve");
  const token = await login(t.url, eve.email);
  const viewer = { hotkeys: false, forwardSystemKeys: true, screenOpensIn: "window", hostColours: "256" };
  expect((await call("PUT", token, viewer)).status).toBe(200);
  for (const bad of [{ hotkeys: "off" }, { screenOpensIn: "popup" }, { hostColours: "16" }]) {
    const r = await call("PUT", token, { ...viewer, ...bad });
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({ ok: false, reason: "Malformed" });
  }
  expect(await (await call("GET", token)).json()).toEqual(viewer);
});
