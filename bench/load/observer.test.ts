// The event-log checks of the load runner on hand-made streams: a clean run passes, and each broken routing rule
// (double answer, over the maximum, Phone alert, unwithdrawn alert, Queue out of order, a lost request) is caught.
import { describe, expect, test } from "vitest";
import { injectFault } from "./faults.ts";
import { createObserver, rules } from "./logic/observer.js";

let seq = 0;
const ev = (e: Record<string, unknown>) => ({ ...e, seq: ++seq, at: seq });

/** Two agents (max 1 and 2), a standard request answered by a after both were alerted, a Phone request by code. */
function cleanRun() {
  seq = 0;
  return [
    ev({ type: "agent.registered", agentId: "a", maxSessions: 1 }),
    ev({ type: "agent.registered", agentId: "b", maxSessions: 2 }),
    ev({ type: "request.posted", requestId: "r1", portalId: "p", mode: "standard" }),
    ev({ type: "alert.raised", colour: "yellow", agentIds: ["a", "b"], requestId: "r1" }),
    ev({ type: "request.answered", requestId: "r1", agentId: "a", via: "alert" }),
    ev({ type: "alert.withdrawn", agentIds: ["b"], requestId: "r1", reason: "answered" }),
    ev({ type: "agent.slotGranted", agentId: "a", requestId: "r1", active: 1, max: 1 }),
    ev({ type: "request.started", requestId: "r1", sessionId: "s1", agentId: "a" }),
    ev({ type: "request.posted", requestId: "r2", portalId: "ph", mode: "phone" }),
    ev({ type: "request.answered", requestId: "r2", agentId: "b", via: "code" }),
    ev({ type: "agent.slotGranted", agentId: "b", requestId: "r2", active: 1, max: 2 }),
    ev({ type: "request.started", requestId: "r2", sessionId: "s2", agentId: "b" }),
    ev({ type: "agent.slotReleased", agentId: "a", sessionId: "s1", active: 0 }),
  ];
}

const check = (events: unknown[]) => {
  const o = createObserver();
  for (const e of events) o.observe(e);
  return o.report();
};

describe("load observer (R-D2)", () => {
  test("a clean stream has no violations", () => {
    const r = check(cleanRun());
    expect(r.violations).toEqual([]);
    expect(r.requests).toEqual({ posted: 2, answered: 2, abandoned: 0, expired: 0, lost: 0 });
    expect(r.maxConcurrentPeak).toBe(1);
  });

  test("R-P3: a request answered by two agents is a double assignment", () => {
    const r = check(injectFault(cleanRun(), "double-answer"));
    expect(r.doubleAssignments).toBe(1);
    expect(r.violationCounts[rules.double]).toBe(1);
  });

  test("R-A7: an agent above the maximum is caught", () => {
    const r = check(injectFault(cleanRun(), "over-max"));
    expect(r.agentsAboveMax).toBe(1);
  });

  test("R-P6: an alert for a Phone-mode request is caught", () => {
    expect(check(injectFault(cleanRun(), "phone-alert")).violationCounts[rules.phone]).toBe(1);
  });

  test("R-P3: an alert never withdrawn after the first answer is caught", () => {
    expect(check(injectFault(cleanRun(), "no-withdraw")).violationCounts[rules.withdraw]).toBe(1);
  });

  test("R-P5: offering a newer Queue request while an older one waits unoffered breaks FIFO", () => {
    seq = 0;
    const base = [
      ev({ type: "request.posted", requestId: "q1", portalId: "q", mode: "queue" }),
      ev({ type: "queue.enqueued", portalId: "q", requestId: "q1", length: 1 }),
      ev({ type: "request.posted", requestId: "q2", portalId: "q", mode: "queue" }),
      ev({ type: "queue.enqueued", portalId: "q", requestId: "q2", length: 2 }),
    ];
    const fifo = [...base, ev({ type: "offer.made", requestId: "q1", agentId: "a", portalId: "q" })];
    expect(check(fifo).violationCounts[rules.fifo]).toBeUndefined();
    const broken = [...base, ev({ type: "offer.made", requestId: "q2", agentId: "a", portalId: "q" })];
    expect(check(broken).violationCounts[rules.fifo]).toBe(1);
  });

  test("a request that never ends is lost", () => {
    const r = check([
      ...cleanRun(),
      ev({ type: "request.posted", requestId: "r3", portalId: "p", mode: "standard" }),
    ]);
    expect(r.requests.lost).toBe(1);
    expect(r.violationCounts[rules.ended]).toBe(1);
  });
});
