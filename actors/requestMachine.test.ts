// Rules of a request's life: broadcast and first-answer-wins (R-P3), SmartMatch (R-P4), alerts (R-P9), clock (R-L3).
import { describe, expect, test } from "vitest";
import { AgentId, PortalId, type RequestId } from "./ids.ts";
import { customer, testFloor } from "./testing.ts";

const ann = AgentId("ann");
const bob = AgentId("bob");
const cat = AgentId("cat");
const help = PortalId("help");

function standardFloor(options = {}) {
  return testFloor({
    agents: [{ id: "ann" }, { id: "bob" }, { id: "cat" }],
    portals: [
      { id: "help", type: "smartBox", mode: "standard", members: ["ann", "bob", "cat"] },
      { id: "pick", type: "smartMatch", mode: "standard", members: ["ann", "bob"] },
    ],
    options,
  });
}

function post(f: ReturnType<typeof standardFloor>, portal = help, extra = {}): RequestId {
  const r = f.floor.dispatch({
    type: "request.post",
    portalId: portal,
    customer: customer("Cy", "printer?"),
    ...extra,
  });
  expect(r.ok).toBe(true);
  return r.events.find((e) => e.type === "request.posted")!.requestId as RequestId;
}

describe("R-P3 Standard broadcast", () => {
  test("R-P3: a yellow alert goes to every logged-in, available member when the request is posted", () => {
    const f = standardFloor();
    f.floor.dispatch({ type: "agent.setAvailable", agentId: cat, available: false });
    post(f);
    const [alert] = f.ofType("alert.raised");
    expect(alert).toMatchObject({ colour: "yellow", agentIds: [ann, bob], displayMs: 30_000 });
  });

  test("R-P3: the first agent to answer gets it and the other alerts are withdrawn at once", () => {
    const f = standardFloor();
    const requestId = post(f);
    const first = f.floor.dispatch({ type: "request.answer", agentId: bob, requestId });
    expect(first.ok).toBe(true);
    const withdrawn = first.events.find((e) => e.type === "alert.withdrawn");
    expect(withdrawn).toMatchObject({ agentIds: [ann, cat], reason: "answered" });
    expect(first.events.map((e) => e.type)).toContain("session.started");
    const second = f.floor.dispatch({ type: "request.answer", agentId: ann, requestId });
    expect(second).toMatchObject({ ok: false, rejection: { reason: "unknownRequest" } });
  });

  test("R-P3: two agents answering in the same instant never both get the request", () => {
    const f = standardFloor();
    for (let i = 0; i < 16; i++) {
      const requestId = post(f);
      const [first, second] = i % 2 ? [ann, bob] : [bob, ann];
      f.floor.dispatch({ type: "request.answer", agentId: first, requestId });
      f.floor.dispatch({ type: "request.answer", agentId: second, requestId });
    }
    const answered = f.ofType("request.answered");
    expect(answered).toHaveLength(16);
    expect(new Set(answered.map((e) => e.requestId)).size).toBe(16);
    expect(f.ofType("session.started")).toHaveLength(16);
    expect(f.ofType("command.rejected").every((e) => e.reason === "unknownRequest")).toBe(true);
  });

  test("R-P3: a member who became available later may still answer from the Incoming list", () => {
    const f = standardFloor();
    f.floor.dispatch({ type: "agent.setAvailable", agentId: cat, available: false });
    const requestId = post(f);
    f.floor.dispatch({ type: "agent.setAvailable", agentId: cat, available: true });
    expect(f.floor.dispatch({ type: "request.answer", agentId: cat, requestId }).ok).toBe(true);
  });

  test("R-P3: an agent who is not a member of the portal cannot answer", () => {
    const f = testFloor({
      agents: [{ id: "ann" }, { id: "out" }],
      portals: [{ id: "help", type: "smartButton", mode: "standard", members: ["ann"] }],
    });
    const requestId = post(f as ReturnType<typeof standardFloor>);
    const r = f.floor.dispatch({ type: "request.answer", agentId: AgentId("out"), requestId });
    expect(r).toMatchObject({ ok: false, rejection: { reason: "notEligible" } });
  });
});

describe("R-P4 SmartMatch", () => {
  test("R-P4: a green alert goes only to the agent the customer selected", () => {
    const f = standardFloor();
    const requestId = post(f, PortalId("pick"), { matchAgentId: bob });
    expect(f.ofType("alert.raised")).toMatchObject([{ colour: "green", agentIds: [bob] }]);
    expect(f.floor.dispatch({ type: "request.answer", agentId: ann, requestId })).toMatchObject({
      ok: false,
      rejection: { reason: "notEligible" },
    });
    expect(f.floor.dispatch({ type: "request.answer", agentId: bob, requestId }).ok).toBe(true);
  });

  test("R-P4: picking an agent who is not available is refused with a clear reason", () => {
    const f = standardFloor();
    f.floor.dispatch({ type: "agent.setAvailable", agentId: bob, available: false });
    const r = f.floor.dispatch({
      type: "request.post",
      portalId: PortalId("pick"),
      customer: customer("Cy"),
      matchAgentId: bob,
    });
    expect(r).toMatchObject({ ok: false, rejection: { reason: "notEligible" } });
  });
});

describe("R-P9 alerts and R-L3 clock", () => {
  test("R-P9: reminder alerts repeat while unanswered, to agents whose preference asks for them", () => {
    const f = testFloor({
      agents: [
        { id: "ann" },
        {
          id: "bob",
          preferences: {
            unavailableAfterSession: false,
            unavailableReminderMs: null,
            remindWhen: { idle: false, inSession: false, atMaximum: false },
          },
        },
      ],
      portals: [{ id: "help", type: "smartBox", mode: "standard", members: ["ann", "bob"] }],
      options: { alertReminderMs: 10_000 },
    });
    post(f as ReturnType<typeof standardFloor>);
    f.clock.advanceTo(35_000);
    const reminders = f.ofType("alert.reminded");
    expect(reminders.map((r) => r.at)).toEqual([10_000, 20_000, 30_000]);
    expect(reminders.every((r) => r.agentIds.length === 1 && r.agentIds[0] === ann)).toBe(true);
  });

  test("R-L3: the Incoming clock turns Attention then Warning at the two thresholds", () => {
    const f = standardFloor({ requestAttentionMs: 60_000, requestWarningMs: 180_000 });
    post(f);
    f.clock.advanceTo(200_000);
    expect(f.ofType("request.clock").map((e) => [e.clock, e.at])).toEqual([
      ["attention", 60_000],
      ["warning", 180_000],
    ]);
  });

  test("a request nobody answers expires with notice and its alerts are withdrawn", () => {
    const f = standardFloor({ requestExpiryMs: 300_000 });
    const requestId = post(f);
    f.clock.advanceTo(300_000);
    expect(f.ofType("request.expired")).toMatchObject([{ requestId, at: 300_000 }]);
    expect(f.ofType("alert.withdrawn")).toMatchObject([{ reason: "expired", agentIds: [ann, bob, cat] }]);
    expect(f.floor.request(requestId)).toBeUndefined();
  });

  test("a customer who leaves while waiting abandons the request and the alerts are withdrawn", () => {
    const f = standardFloor();
    const requestId = post(f);
    expect(f.floor.dispatch({ type: "request.abandon", requestId }).ok).toBe(true);
    expect(f.ofType("request.abandoned")).toHaveLength(1);
    expect(f.ofType("alert.withdrawn")).toMatchObject([{ reason: "abandoned" }]);
    expect(f.floor.dispatch({ type: "request.answer", agentId: ann, requestId }).ok).toBe(false);
  });
});
