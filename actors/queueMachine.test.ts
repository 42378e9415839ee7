// Queue mode (R-P5): the next free agent only, FIFO, and an unanswered offer moves on.
import { describe, expect, test } from "vitest";
import { AgentId, PortalId, type RequestId, RequestId as rid } from "./ids.ts";
import { planOffers } from "./queueMachine.ts";
import { customer, testFloor } from "./testing.ts";

const [ann, bob, cat] = ["ann", "bob", "cat"].map(AgentId) as [AgentId, AgentId, AgentId];
const line = PortalId("line");

function queueFloor(agents = ["ann", "bob"], options = {}) {
  return testFloor({
    agents: agents.map((id) => ({ id, maxSessions: 1 })),
    portals: [{ id: "line", type: "smartBox", mode: "queue", members: agents }],
    options: { queueOfferTimeoutMs: 30_000, ...options },
  });
}

function post(f: ReturnType<typeof queueFloor>, name: string): RequestId {
  const r = f.floor.dispatch({ type: "request.post", portalId: line, customer: customer(name, "q") });
  return r.events.find((e) => e.type === "request.posted")!.requestId as RequestId;
}

describe("R-P5 Queue mode", () => {
  test("R-P5: each request goes to one free agent only, with no broadcast alert", () => {
    const f = queueFloor();
    const r1 = post(f, "one");
    expect(f.ofType("alert.raised")).toHaveLength(0);
    expect(f.ofType("offer.made")).toMatchObject([{ requestId: r1, agentId: ann, timeoutMs: 30_000 }]);
  });

  test("R-P5: requests wait in FIFO order and are handed out as agents become free", () => {
    const f = queueFloor(["ann"]);
    const r1 = post(f, "one");
    const r2 = post(f, "two");
    const r3 = post(f, "three");
    f.floor.dispatch({ type: "request.answer", agentId: ann, requestId: r1 });
    const session1 = f.ofType("session.started")[0]!.sessionId;
    expect(f.ofType("offer.made").map((o) => o.requestId)).toEqual([r1]);
    f.floor.dispatch({ type: "session.close", sessionId: session1, agentId: ann, resolution: "resolved" });
    expect(f.ofType("offer.made").map((o) => o.requestId)).toEqual([r1, r2]);
    f.floor.dispatch({ type: "request.answer", agentId: ann, requestId: r2 });
    expect(f.ofType("request.started").map((e) => e.requestId)).toEqual([r1, r2]);
    expect(f.ofType("queue.enqueued").map((e) => e.requestId)).toEqual([r1, r2, r3]);
  });

  test("R-P5: an offer not answered in time moves on to the next agent", () => {
    const f = queueFloor(["ann", "bob", "cat"]);
    const r1 = post(f, "one");
    f.clock.advanceTo(30_000);
    f.clock.advanceTo(60_000);
    expect(f.ofType("offer.made").map((o) => [o.agentId, o.at])).toEqual([
      [ann, 0],
      [bob, 30_000],
      [cat, 60_000],
    ]);
    expect(f.ofType("offer.ended").map((o) => o.reason)).toEqual(["timeout", "timeout"]);
    expect(f.floor.dispatch({ type: "request.answer", agentId: ann, requestId: r1 })).toMatchObject({
      ok: false,
      rejection: { reason: "notOffered" },
    });
    expect(f.floor.dispatch({ type: "request.answer", agentId: cat, requestId: r1 }).ok).toBe(true);
  });

  test("R-P5: a declined offer moves on at once; when everyone declined the round starts again", () => {
    const f = queueFloor(["ann", "bob"]);
    const r1 = post(f, "one");
    f.floor.dispatch({ type: "request.decline", agentId: ann, requestId: r1 });
    f.floor.dispatch({ type: "request.decline", agentId: bob, requestId: r1 });
    expect(f.ofType("offer.made").map((o) => o.agentId)).toEqual([ann, bob, ann]);
  });

  test("R-P5: agents who are Not available or at their maximum get no offer", () => {
    const f = queueFloor(["ann", "bob"]);
    f.floor.dispatch({ type: "agent.setAvailable", agentId: ann, available: false });
    const r1 = post(f, "one");
    f.floor.dispatch({ type: "request.answer", agentId: bob, requestId: r1 });
    post(f, "two");
    expect(f.ofType("offer.made").map((o) => o.agentId)).toEqual([bob]);
    f.floor.dispatch({ type: "agent.setAvailable", agentId: ann, available: true });
    expect(f.ofType("offer.made").map((o) => o.agentId)).toEqual([bob, ann]);
  });

  test("R-P5: an agent whose connection drops loses the open offer to the next agent", () => {
    const f = queueFloor(["ann", "bob"]);
    post(f, "one");
    f.floor.dispatch({ type: "agent.disconnect", agentId: ann });
    expect(f.ofType("offer.ended")).toMatchObject([{ agentId: ann, reason: "agentGone" }]);
    expect(f.ofType("offer.made").map((o) => o.agentId)).toEqual([ann, bob]);
  });

  test("R-P5: the longest-idle free agent is offered first and an agent holds one offer at a time", () => {
    const plan = planOffers(
      {
        portalId: line,
        waiting: [1, 2, 3].map((n) => ({ requestId: rid(`r${n}`), postedSeq: n })),
        offers: {},
        tried: {},
      },
      [
        { agentId: bob, freeSince: 5 },
        { agentId: ann, freeSince: 9 },
      ],
    );
    expect(plan).toEqual([
      { requestId: rid("r1"), agentId: bob },
      { requestId: rid("r2"), agentId: ann },
    ]);
  });
});
