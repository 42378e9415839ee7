// The load test's customer logic (shared by k6 and the Node runner): at the end of a run a customer still waiting
// gives up, as one out of patience would; one who was answered does not.
import { describe, expect, it } from "vitest";
import { createCustomer } from "./logic/customer.js";

function fakeIo() {
  const sent: Array<Record<string, unknown>> = [];
  return {
    sent,
    io: {
      send: (m: Record<string, unknown>) => void sent.push(m),
      close: () => {},
      now: () => 0,
      random: () => 0.5,
      after: () => {},
      check: () => {},
      trend: () => {},
      counter: () => {},
    },
  };
}

const spec = {
  id: "c1",
  portalId: "p1",
  portalType: "smartBox",
  mode: "standard",
  abandonAfterMs: null,
  patienceMs: 600_000,
  chatIntervalMs: 1_000,
  leaveAfterLines: 0,
} as const;

describe("load customer", () => {
  it("R-D2: a customer still waiting at the end of the run gives up (customer.abandon for its request)", () => {
    const { io, sent } = fakeIo();
    const c = createCustomer(io, spec);
    c.onMessage({ type: "welcome", role: "anonymous" });
    c.onMessage({ type: "request.accepted", requestId: "r7" });
    c.giveUp();
    expect(sent.map((m) => m.type)).toEqual(["customer.post", "customer.abandon"]);
    expect(sent[1]).toMatchObject({ requestId: "r7" });
  });

  it("R-D2: a customer already in a session, or who never posted, sends nothing when told to give up", () => {
    const joined = fakeIo();
    const c = createCustomer(joined.io, spec);
    c.onMessage({ type: "welcome", role: "anonymous" });
    c.onMessage({ type: "request.accepted", requestId: "r8" });
    c.onMessage({ type: "session.joined", sessionId: "s8" });
    c.giveUp();
    expect(joined.sent.map((m) => m.type)).toEqual(["customer.post"]);
    const idle = fakeIo();
    createCustomer(idle.io, spec).giveUp();
    expect(idle.sent).toEqual([]);
  });
});
