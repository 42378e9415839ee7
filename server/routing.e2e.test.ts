// End-to-end routing over real sockets: broadcast, Queue, SmartMatch, SmartCode, the eighth-session limit,
// chat and transcripts, transfer, hidden invitation and close into history.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { addAgent, addPortal, Client, customerPost, login, type TestServer, testServer } from "./testing.ts";

let t: TestServer;
beforeAll(async () => {
  t = await testServer({ queueOfferTimeoutMs: 400, smartCodeTtlMs: 1_500 });
});
afterAll(async () => {
  await t.close();
});

/** Posts, has `agent` answer, and resolves once the customer has joined the session. */
async function startSession(agent: Client, portalId: string, question = "printer?") {
  const cust = await customerPost(t, { portalId, question });
  const alert = await agent.event("alert.raised", (e) => e.requestId === cust.requestId);
  await agent.ok({ type: "request.answer", requestId: alert.requestId });
  const joined = await cust.c.next((m) => m.type === "session.joined");
  return { ...cust, sessionId: joined.sessionId as string, joined };
}

describe("routing", () => {
  test("R-P3: a SmartBox request alerts both agents; the first Yes wins and the other's alert is withdrawn", async () => {
    const ann = await addAgent(t, "ann");
    const bob = await addAgent(t, "bob");
    const portalId = addPortal(t, { type: "smartBox", mode: "standard", members: [ann.id, bob.id] });
    const a = await Client.agent(t, ann.email);
    const b = await Client.agent(t, bob.email);
    const { c, requestId } = await customerPost(t, { portalId, question: "My printer is offline" });
    const alertA = await a.event("alert.raised", (e) => e.requestId === requestId);
    const alertB = await b.event("alert.raised", (e) => e.requestId === requestId);
    expect(alertA.colour).toBe("yellow");
    expect(alertA.request.customer.question).toBe("My printer is offline");
    expect(alertB.agentIds.sort()).toEqual([ann.id, bob.id].sort());
    await b.ok({ type: "request.answer", requestId });
    const withdrawn = await a.event("alert.withdrawn", (e) => e.requestId === requestId);
    expect(withdrawn.reason).toBe("answered");
    const late = await a.request({ type: "request.answer", requestId });
    expect(late).toMatchObject({ type: "error", reason: "Rejected" });
    expect(["alreadyAnswered", "unknownRequest"]).toContain(late.detail);
    const joined = await c.next((m) => m.type === "session.joined");
    expect(joined.agentName).toBe("bob Test");
    expect(joined.host.command).toContain(joined.sessionId);
    for (const x of [a, b, c]) x.close();
  });

  test("R-P5: Queue hands requests out FIFO and an unanswered offer moves on to the next agent", async () => {
    const ann = await addAgent(t, "ann");
    const bob = await addAgent(t, "bob");
    const portalId = addPortal(t, { type: "smartBox", mode: "queue", members: [ann.id, bob.id] });
    const a = await Client.agent(t, ann.email);
    const b = await Client.agent(t, bob.email);
    await b.ok({ type: "agent.setAvailable", available: false });
    // An offer nobody answers moves on: Ann lets it time out, Bob (available meanwhile) gets it.
    const first = await customerPost(t, { portalId, question: "first" });
    expect((await a.event("offer.made")).requestId).toBe(first.requestId);
    await first.c.next((m) => m.type === "request.status" && m.state === "offered");
    await b.ok({ type: "agent.setAvailable", available: true });
    expect((await a.event("offer.ended", (e) => e.requestId === first.requestId)).reason).toBe("timeout");
    const offerB = await b.event("offer.made", (e) => e.requestId === first.requestId);
    expect(offerB.agentId).toBe(bob.id);
    await b.ok({ type: "request.answer", requestId: first.requestId });
    await first.c.next((m) => m.type === "session.joined");
    // FIFO: with nobody available two requests wait in line; the older one goes to the first agent who frees up.
    await a.ok({ type: "agent.setAvailable", available: false });
    await b.ok({ type: "agent.setAvailable", available: false });
    const second = await customerPost(t, { portalId, question: "second" });
    const third = await customerPost(t, { portalId, question: "third" });
    expect((await third.c.next((m) => m.type === "request.status" && m.state === "inQueue")).position).toBe(
      2,
    );
    await a.ok({ type: "agent.setAvailable", available: true });
    expect((await a.event("offer.made")).requestId).toBe(second.requestId);
    await b.ok({ type: "agent.setAvailable", available: true });
    expect((await b.event("offer.made", (e) => e.requestId !== first.requestId)).requestId).toBe(
      third.requestId,
    );
    for (const x of [a, b, first.c, second.c, third.c]) x.close();
  });

  test("R-P4: SmartMatch sends a green alert only to the agent the customer picked", async () => {
    const ann = await addAgent(t, "ann");
    const bob = await addAgent(t, "bob");
    const portalId = addPortal(t, { type: "smartMatch", mode: "standard", members: [ann.id, bob.id] });
    const a = await Client.agent(t, ann.email);
    const b = await Client.agent(t, bob.email);
    const listed = (await (await fetch(`${t.url}/api/portals/${portalId}`)).json()) as {
      agents: { id: string }[];
    };
    expect(listed.agents.map((x) => x.id).sort()).toEqual([ann.id, bob.id].sort());
    const { c, requestId } = await customerPost(t, { portalId, matchAgentId: bob.id });
    const alert = await b.event("alert.raised", (e) => e.requestId === requestId);
    expect(alert).toMatchObject({ colour: "green", agentIds: [bob.id] });
    const refused = await a.request({ type: "request.answer", requestId });
    expect(refused).toMatchObject({ type: "error", reason: "Rejected", detail: "notEligible" });
    await b.ok({ type: "request.answer", requestId });
    await c.next((m) => m.type === "session.joined");
    expect(
      a.received.some(
        (m) => m.type === "event" && m.event.type === "alert.raised" && m.event.requestId === requestId,
      ),
    ).toBe(false);
    for (const x of [a, b, c]) x.close();
  });

  test("R-P6: a SmartCode from the quick URL connects its issuer; a wrong code and an expired code are refused", async () => {
    const ann = await addAgent(t, "ann");
    const bob = await addAgent(t, "bob");
    const portalId = addPortal(t, { type: "smartCode", mode: "phone", members: [ann.id, bob.id] });
    const a = await Client.agent(t, ann.email);
    const b = await Client.agent(t, bob.email);
    const created = (await a.ok({ type: "code.create", portalId })).data;
    expect(created.display).toMatch(/^\d{3}-\d{4}$/);
    const quick = new URL(created.quickUrl);
    expect(quick.pathname).toBe(`/h/${portalId}`);
    const typed = quick.searchParams.get("Question")!;
    expect(typed).toBe(`DR${created.display}`);
    // The page takes the code from the quick URL; the server accepts it with or without DR and the dash.
    const page = await (await fetch(created.quickUrl)).text();
    expect(page).toContain("customer.js");
    const wrongCode = created.code === "0000000" ? "1111111" : "0000000";
    const wrong = await Client.hello(t.wsUrl, { role: "anonymous" });
    const refused = await wrong.request({
      type: "customer.post",
      portalId,
      name: "Eve",
      language: "en",
      code: wrongCode,
    });
    expect(refused).toMatchObject({ type: "error", reason: "Rejected", detail: "unknownCode" });
    const { c } = await customerPost(t, { portalId, code: typed.slice(2) });
    const joined = await c.next((m) => m.type === "session.joined");
    expect(joined.agentName).toBe("ann Test");
    const started = await a.event("session.started");
    expect(started.sessionId).toBe(joined.sessionId);
    expect(b.received.some((m) => m.type === "event" && m.event.type === "alert.raised")).toBe(false);
    // A second code is left to expire: then it is refused.
    const second = (await a.ok({ type: "code.create", portalId })).data;
    await a.event("code.expired", (e) => e.code === second.code, 5_000);
    const late = await wrong.request({
      type: "customer.post",
      portalId,
      name: "Late",
      language: "en",
      code: second.display,
    });
    expect(late).toMatchObject({ type: "error", reason: "Rejected" });
    expect(["unknownCode", "codeExpired"]).toContain(late.detail);
    for (const x of [a, b, c, wrong]) x.close();
  });

  test("R-A8: the ninth request answered by an agent at the maximum is queued for her and starts when a slot frees", async () => {
    const ann = await addAgent(t, "ann", 8);
    const portalId = addPortal(t, { type: "smartButton", mode: "standard", members: [ann.id] });
    const a = await Client.agent(t, ann.email);
    const sessions = [];
    for (let i = 0; i < 8; i++) sessions.push(await startSession(a, portalId));
    const ninth = await customerPost(t, { portalId });
    await a.event("alert.raised", (e) => e.requestId === ninth.requestId);
    await a.ok({ type: "request.answer", requestId: ninth.requestId });
    const queued = await ninth.c.next((m) => m.type === "request.status" && m.state === "queuedForAgent");
    expect(queued.position).toBe(1);
    await a.ok({ type: "session.close", sessionId: sessions[0]!.sessionId, resolution: "resolved" });
    const joined = await ninth.c.next((m) => m.type === "session.joined");
    expect(joined.agentName).toBe("ann Test");
    a.close();
    for (const s of [...sessions, ninth]) s.c.close();
  });

  test("R-S1, R-S2: chat both ways is delivered, persisted and in the transcript", async () => {
    const ann = await addAgent(t, "ann");
    const portalId = addPortal(t, { type: "smartBox", mode: "standard", members: [ann.id] });
    const a = await Client.agent(t, ann.email);
    const s = await startSession(a, portalId);
    await s.c.ok({ type: "chat.send", sessionId: s.sessionId, text: "Hello, my printer is offline" });
    expect((await a.event("chat.posted")).text).toBe("Hello, my printer is offline");
    await a.ok({ type: "chat.send", sessionId: s.sessionId, text: "Let me look" });
    expect((await s.c.next((m) => m.type === "chat.line" && m.line.author !== "customer")).line.text).toBe(
      "Let me look",
    );
    await a.ok({ type: "url.push", sessionId: s.sessionId, url: "https://example.com/driver" });
    expect((await s.c.next((m) => m.type === "url.pushed")).url).toBe("https://example.com/driver");
    await a.ok({ type: "note.add", sessionId: s.sessionId, text: "private: old driver" });
    const forCustomer = await (
      await fetch(`${t.url}/api/sessions/${s.sessionId}/transcript.txt`, {
        headers: { authorization: `Bearer ${s.customerToken}` },
      })
    ).text();
    expect(forCustomer).toContain("customer: Hello, my printer is offline");
    expect(forCustomer).toContain("ann Test: Let me look");
    expect(forCustomer).toContain("pushed https://example.com/driver");
    expect(forCustomer).not.toContain("private");
    const full = t.server.store.transcript(s.sessionId, false);
    expect(full.map((l) => l.kind)).toEqual(expect.arrayContaining(["chat", "url", "note"]));
    a.close();
    s.c.close();
  });

  test("R-S6, R-P7: a transfer to a tier portal alerts its agents in orange; the customer stays and sees the new agent", async () => {
    const ann = await addAgent(t, "ann");
    const cleo = await addAgent(t, "cleo");
    const dan = await addAgent(t, "dan");
    const portalId = addPortal(t, { type: "smartBox", mode: "standard", members: [ann.id] });
    const tier = addPortal(t, { type: "smartBox", mode: "standard", members: [cleo.id, dan.id], tier: true });
    const a = await Client.agent(t, ann.email);
    const c2 = await Client.agent(t, cleo.email);
    const d2 = await Client.agent(t, dan.email);
    const s = await startSession(a, portalId, "needs level 2");
    await a.ok({ type: "session.transfer", sessionId: s.sessionId, to: { portalId: tier } });
    const alertC = await c2.event("alert.raised", (e) => e.sessionId === s.sessionId);
    expect(alertC).toMatchObject({ colour: "orange" });
    expect(alertC.agentIds.sort()).toEqual([cleo.id, dan.id].sort());
    expect(alertC.session.comments).toBe("needs level 2");
    await s.c.next((m) => m.type === "chat.line" && m.line.kind === "transfer");
    await c2.ok({ type: "session.acceptTransfer", sessionId: s.sessionId });
    expect((await d2.event("alert.withdrawn", (e) => e.sessionId === s.sessionId)).reason).toBe("accepted");
    const people = await s.c.next((m) => m.type === "participants" && m.names.includes("cleo Test"));
    expect(people.names).toEqual(["cleo Test"]);
    await c2.ok({ type: "session.close", sessionId: s.sessionId, resolution: "resolved" });
    const row = t.server.store.history(50).find((h) => h.sessionId === s.sessionId)!;
    expect(row.transfers).toEqual([
      expect.objectContaining({ outcome: "accepted", toAgent: cleo.id, from: ann.id }),
    ]);
    for (const x of [a, c2, d2, s.c]) x.close();
  });

  test("R-S7: a hidden invitee joins with a blue alert and is not in the customer's participants", async () => {
    const ann = await addAgent(t, "ann");
    const eve = await addAgent(t, "eve");
    const portalId = addPortal(t, { type: "smartBox", mode: "standard", members: [ann.id] });
    const a = await Client.agent(t, ann.email);
    const e = await Client.agent(t, eve.email);
    const s = await startSession(a, portalId);
    await s.c.next((m) => m.type === "participants");
    await a.ok({ type: "session.invite", sessionId: s.sessionId, to: { agentId: eve.id }, hidden: true });
    const alert = await e.event("alert.raised", (x) => x.sessionId === s.sessionId);
    expect(alert.colour).toBe("blue");
    await e.ok({ type: "session.acceptInvite", sessionId: s.sessionId });
    await a.event("participant.joined", (x) => x.agentId === eve.id);
    await e.ok({ type: "chat.send", sessionId: s.sessionId, text: "watching" });
    await s.c.next((m) => m.type === "chat.line" && m.line.text === "watching");
    expect(
      s.c.received.filter((m) => m.type === "participants").every((m) => !m.names.includes("eve Test")),
    ).toBe(true);
    const customerCopy = t.server.store
      .transcript(s.sessionId, true)
      .map((l) => l.text)
      .join("\n");
    expect(customerCopy).not.toContain("(hidden)");
    for (const x of [a, e, s.c]) x.close();
  });

  test("R-S4, R-L5: closing with a resolution ends the customer's chat and records the history row", async () => {
    const ann = await addAgent(t, "ann");
    const portalId = addPortal(t, { type: "smartBox", mode: "standard", members: [ann.id] });
    const a = await Client.agent(t, ann.email);
    const s = await startSession(a, portalId, "close me");
    await a.ok({ type: "session.close", sessionId: s.sessionId, resolution: "notResolved", extra: "T-42" });
    expect((await s.c.next((m) => m.type === "session.ended")).reason).toBe("closed");
    const admin = await adminToken();
    const history = (await (
      await fetch(`${t.url}/api/admin/history`, { headers: { authorization: `Bearer ${admin}` } })
    ).json()) as Array<Record<string, unknown>>;
    expect(history.find((h) => h.sessionId === s.sessionId)).toMatchObject({
      resolution: "notResolved",
      extra: "T-42",
      endReason: "closed",
      question: "close me",
      ownerId: ann.id,
    });
    a.close();
    s.c.close();
  });
});

let adminTok: string | undefined;
async function adminToken(): Promise<string> {
  if (adminTok) return adminTok;
  const { hashPassword } = await import("./accounts/passwords.ts");
  t.server.store.createAccount(
    {
      id: "adm1",
      email: "admin1@example.test",
      role: "admin",
      firstName: "A",
      lastName: "D",
      passwordHash: await hashPassword("Admin-pass-1"),
      mustChange: false,
      emailValidated: true,
      disabled: false,
    },
    Date.now(),
  );
  adminTok = await login(t.url, "admin1@example.test", "Admin-pass-1");
  return adminTok;
}
