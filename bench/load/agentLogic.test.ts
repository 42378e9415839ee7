// The load test's agent logic (shared by k6 and the Node runner): a decline that crossed the offer's end is a race,
// like a lost answer; any other refusal of an agent's command fails the run's check, saying what it saw.
import { describe, expect, it } from "vitest";
import { createAgent } from "./logic/agent.js";
import { names } from "./logic/io.js";

function agentWithOffer() {
  const sent: Array<Record<string, unknown>> = [];
  const checks: Array<[string, boolean, string | undefined]> = [];
  const timers: Array<() => void> = [];
  const io = {
    send: (m: Record<string, unknown>) => void sent.push(m),
    close: () => {},
    now: () => 0,
    random: () => 0, // below declineRate: every Queue offer is declined
    after: (_ms: number, fn: () => void) => void timers.push(fn),
    check: (name: string, ok: boolean, why?: string) => void checks.push([name, ok, why]),
    trend: () => {},
    counter: () => {},
  };
  const agent = createAgent(io, {
    email: "a@example.test",
    password: "x",
    maxSessions: 8,
    thinkMs: [10, 10],
    holdMs: [1_000, 1_000],
    chatIntervalMs: 1_000,
    declineRate: 0.5,
    overAnswerRate: 0,
    awayEveryMs: 0,
    awayMs: [0, 0],
  });
  agent.onMessage({ type: "welcome", agentId: "a1" });
  agent.onMessage({
    type: "event",
    event: { type: "offer.made", agentId: "a1", requestId: "r1", request: {} },
  });
  for (const fn of timers.splice(0)) fn();
  const decline = sent.find((m) => m.type === "request.decline")!;
  const commandChecks = () => checks.filter(([name]) => name === names.checkCommandOk);
  return { agent, decline, commandChecks };
}

describe("load agent", () => {
  it("R-P5: a decline refused because the request moved on meanwhile passes the command check", () => {
    const { agent, decline, commandChecks } = agentWithOffer();
    expect(decline).toMatchObject({ requestId: "r1" });
    agent.onMessage({
      type: "error",
      ref: decline.ref,
      reason: "Rejected",
      detail: "unknownRequest",
      message: "gone",
    });
    expect(commandChecks()).toEqual([[names.checkCommandOk, true, "decline: Rejected unknownRequest gone"]]);
  });

  it("R-D2: any other refusal of a decline fails the check and says what it saw", () => {
    const { agent, decline, commandChecks } = agentWithOffer();
    agent.onMessage({
      type: "error",
      ref: decline.ref,
      reason: "Rejected",
      detail: "notLoggedIn",
      message: "no",
    });
    expect(commandChecks()).toEqual([[names.checkCommandOk, false, "decline: Rejected notLoggedIn no"]]);
  });
});
