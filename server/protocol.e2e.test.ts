// The gateway's defences over real sockets: malformed, unknown, oversized, binary, unauthorised and excessive input
// gets a typed error (or a documented close) and never disturbs another session; handshake, origin and heartbeats.

import { afterAll, beforeAll, expect, test } from "vitest";
import WebSocket from "ws";
import { closeCodes } from "../protocol/messages/index.ts";
import { addAgent, addPortal, Client, customerPost, login, type TestServer, testServer } from "./testing.ts";

let t: TestServer;
beforeAll(async () => {
  t = await testServer(
    {},
    {
      gateway: {
        heartbeatIntervalMs: 250,
        messagesPerSecondMax: 20,
        messagesBurstMax: 40,
        socketFrameMaxBytes: 256 * 1024,
      },
    },
  );
});
afterAll(async () => {
  await t.close();
});

test("malformed, unknown, oversized, binary and unauthorised messages are answered with typed errors while another session carries on", async () => {
  const ann = await addAgent(t, "ann");
  const portalId = addPortal(t, { type: "smartBox", mode: "standard", members: [ann.id] });
  const a = await Client.agent(t, ann.email);
  const cust = await customerPost(t, { portalId, question: "q" });
  await a.event("alert.raised", (e) => e.requestId === cust.requestId);
  await a.ok({ type: "request.answer", requestId: cust.requestId });
  const sessionId = (await cust.c.next((m) => m.type === "session.joined")).sessionId;

  const bad = await Client.hello(t.wsUrl, { role: "anonymous" });
  bad.send("{not json");
  expect(await bad.next((m) => m.type === "error")).toMatchObject({ reason: "BadJson" });
  expect(await bad.request({ type: "launch.missiles" })).toMatchObject({
    type: "error",
    reason: "UnknownMessage",
  });
  expect(await bad.request({ type: "customer.post", portalId: 42 })).toMatchObject({
    type: "error",
    reason: "Malformed",
  });
  expect(await bad.request({ type: "chat.send", sessionId: "12", text: "x" })).toMatchObject({
    type: "error",
    reason: "Malformed",
  });
  bad.send(JSON.stringify({ type: "ping", pad: "x".repeat(70_000) }));
  expect(await bad.next((m) => m.type === "error")).toMatchObject({ reason: "PayloadTooLarge" });
  bad.ws.send(Buffer.from([1, 2, 3]));
  expect(await bad.next((m) => m.type === "error")).toMatchObject({ reason: "BinaryNotAccepted" });
  expect(await bad.request({ type: "session.close", sessionId, resolution: "resolved" })).toMatchObject({
    type: "error",
    reason: "Unauthorised",
  });
  expect(await bad.request({ type: "chat.send", sessionId, text: "let me in" })).toMatchObject({
    type: "error",
    reason: "Unauthorised",
  });
  // Another customer may not talk into this session either.
  const other = await customerPost(t, { portalId, question: "other" });
  expect(await other.c.request({ type: "chat.send", sessionId, text: "hijack" })).toMatchObject({
    type: "error",
    reason: "Unauthorised",
  });
  expect(await bad.request({ type: "ping" })).toMatchObject({ type: "pong" });

  // The session carries on.
  await cust.c.ok({ type: "chat.send", sessionId, text: "still here" });
  expect((await a.event("chat.posted", (e) => e.text === "still here")).sessionId).toBe(sessionId);
  expect(t.server.store.transcript(sessionId, true).map((l) => l.text)).not.toContain("hijack");
  for (const c of [a, cust.c, bad, other.c]) c.close();
});

test("a message flood is rate limited with RateLimited errors", async () => {
  const c = await Client.hello(t.wsUrl, { role: "anonymous" });
  for (let i = 0; i < 60; i++) c.send({ type: "ping" });
  expect(await c.next((m) => m.type === "error")).toMatchObject({ reason: "RateLimited" });
  c.close();
});

test("a frame over socketFrameMaxBytes is closed with 1009", async () => {
  const c = await Client.hello(t.wsUrl, { role: "anonymous" });
  c.ws.send(Buffer.alloc(300 * 1024));
  expect(await c.closed()).toBe(1009);
});

test("handshake: hello first, the right protocol version and a valid token, or a documented close", async () => {
  const first = await Client.open(t.wsUrl);
  first.send({ type: "ping" });
  expect(await first.next((m) => m.type === "error")).toMatchObject({ reason: "BadHandshake" });
  expect(await first.closed()).toBe(closeCodes.BadHandshake);
  const version = await Client.open(t.wsUrl);
  version.send({ type: "hello", protocol: 99, role: "anonymous" });
  expect(await version.closed()).toBe(closeCodes.UnsupportedVersion);
  const token = await Client.open(t.wsUrl);
  token.send({ type: "hello", protocol: 1, role: "agent", token: "forged" });
  expect(await token.next((m) => m.type === "error")).toMatchObject({ reason: "NotAuthenticated" });
  expect(await token.closed()).toBe(closeCodes.NotAuthenticated);
});

test("browser sockets from a foreign Origin are refused; the server's own origin is accepted", async () => {
  await expect(Client.open(t.wsUrl, { origin: "https://evil.example" })).rejects.toThrow(/403/);
  const own = await Client.open(t.wsUrl, { origin: t.url });
  own.close();
});

test("heartbeats: a client that stops answering pings is terminated", async () => {
  const ws = new WebSocket(t.wsUrl, { autoPong: false });
  const closed = new Promise<number>((resolve) => ws.on("close", (code) => resolve(code)));
  await new Promise((resolve) => ws.once("open", resolve));
  ws.send(JSON.stringify({ type: "hello", protocol: 1, role: "anonymous" }));
  expect(await closed).toBe(1006);
});

test("logging out closes the agent's sockets with LoggedOut", async () => {
  const bob = await addAgent(t, "bob");
  const token = await login(t.url, bob.email);
  const one = await Client.hello(t.wsUrl, { role: "agent", token });
  const two = await Client.hello(t.wsUrl, { role: "agent", token });
  await fetch(`${t.url}/api/logout`, { method: "POST", headers: { authorization: `Bearer ${token}` } });
  expect(await one.closed()).toBe(closeCodes.LoggedOut);
  expect(await two.closed()).toBe(closeCodes.LoggedOut);
  const again = await Client.open(t.wsUrl);
  again.send({ type: "hello", protocol: 1, role: "agent", token });
  expect(await again.closed()).toBe(closeCodes.NotAuthenticated);
});
