// Rules of an agent: availability (R-A6), the per-agent maximum (R-A7), Queued requests at the maximum (R-A8), lost connections.
import { describe, expect, test } from "vitest";
import { defaultAgentPreferences } from "./config.ts";
import { AgentId, PortalId, type RequestId, type SessionId } from "./ids.ts";
import { agentConfig, customer, testFloor } from "./testing.ts";

const ann = AgentId("ann");
const bob = AgentId("bob");
const help = PortalId("help");

function floorOf(annSketch = {}, options = {}) {
  return testFloor({
    agents: [{ id: "ann", ...annSketch }, { id: "bob" }],
    portals: [{ id: "help", type: "smartBox", mode: "standard", members: ["ann", "bob"] }],
    options,
  });
}

function take(f: ReturnType<typeof floorOf>, agentId = ann) {
  const posted = f.floor.dispatch({ type: "request.post", portalId: help, customer: customer("Cy", "q") });
  const requestId = posted.events.find((e) => e.type === "request.posted")!.requestId as RequestId;
  const answered = f.floor.dispatch({ type: "request.answer", agentId, requestId });
  const started = answered.events.find((e) => e.type === "session.started");
  return { requestId, sessionId: started?.sessionId as SessionId | undefined, answered };
}

describe("R-A6 availability", () => {
  test("R-A6: Not available suspends new alerts; Available again receives them", () => {
    const f = floorOf();
    f.floor.dispatch({ type: "agent.setAvailable", agentId: ann, available: false });
    take(f, bob);
    expect(f.ofType("alert.raised")[0]!.agentIds).toEqual([bob]);
    f.floor.dispatch({ type: "agent.setAvailable", agentId: ann, available: true });
    take(f, bob);
    expect(f.ofType("alert.raised")[1]!.agentIds).toEqual([ann, bob]);
  });

  test("R-A6: with the preference set, the agent turns Not available when each session closes", () => {
    const f = floorOf({ preferences: { ...defaultAgentPreferences, unavailableAfterSession: true } });
    const { sessionId } = take(f);
    f.floor.dispatch({ type: "session.close", sessionId: sessionId!, agentId: ann, resolution: "resolved" });
    expect(f.floor.agent(ann)!.available).toBe(false);
    expect(f.ofType("agent.availabilityChanged")).toMatchObject([
      { agentId: ann, available: false, reason: "afterSession" },
    ]);
  });

  test("R-A6: a reminder pops up every N seconds while Not available, and stops when Available", () => {
    const f = floorOf({ preferences: { ...defaultAgentPreferences, unavailableReminderMs: 60_000 } });
    f.floor.dispatch({ type: "agent.setAvailable", agentId: ann, available: false });
    f.clock.advanceTo(150_000);
    f.floor.dispatch({ type: "agent.setAvailable", agentId: ann, available: true });
    f.clock.advanceTo(500_000);
    expect(f.ofType("agent.reminded").map((e) => e.at)).toEqual([60_000, 120_000]);
  });
});

describe("R-A7 maximum sessions", () => {
  test.each([0, 9, 2.5, -1])(
    "R-A7: a maximum of %s is refused with a typed error naming the agent and the rule",
    (max) => {
      const f = floorOf();
      const r = f.floor.dispatch({
        type: "floor.addAgent",
        config: agentConfig({ id: "zed", maxSessions: max }),
      });
      expect(r).toMatchObject({ ok: false, rejection: { reason: "invalidConfig" } });
      expect(r.ok || r.rejection.detail).toMatch(
        /agent zed: maximum sessions must be a whole number from 1 to 8/,
      );
    },
  );

  test.each([1, 8])("R-A7: a maximum of %s is accepted", (max) => {
    const f = floorOf();
    expect(
      f.floor.dispatch({ type: "floor.addAgent", config: agentConfig({ id: "zed", maxSessions: max }) }).ok,
    ).toBe(true);
  });
});

describe("R-A8 Queued at the maximum", () => {
  test("R-A8: the request an agent accepts at the maximum is Queued, not lost, and starts when a slot frees", () => {
    const f = floorOf({ maxSessions: 2 });
    const first = take(f);
    take(f);
    const third = take(f);
    expect(third.sessionId).toBeUndefined();
    expect(f.ofType("request.queuedForAgent")).toMatchObject([
      { requestId: third.requestId, agentId: ann, position: 1 },
    ]);
    expect(f.ofType("request.clock").at(-1)).toMatchObject({ requestId: third.requestId, clock: "queued" });
    expect(f.floor.agent(ann)).toMatchObject({ active: 2, queued: 1 });
    f.floor.dispatch({
      type: "session.close",
      sessionId: first.sessionId!,
      agentId: ann,
      resolution: "resolved",
    });
    const started = f.ofType("request.started").at(-1)!;
    expect(started.requestId).toBe(third.requestId);
    expect(f.floor.agent(ann)).toMatchObject({ active: 2, queued: 0 });
  });

  test("R-A8: a Queued customer who leaves frees the agent's queue", () => {
    const f = floorOf({ maxSessions: 1 });
    const first = take(f);
    const second = take(f);
    f.floor.dispatch({ type: "request.abandon", requestId: second.requestId });
    expect(f.floor.agent(ann)).toMatchObject({ active: 1, queued: 0 });
    f.floor.dispatch({
      type: "session.close",
      sessionId: first.sessionId!,
      agentId: ann,
      resolution: "resolved",
    });
    expect(f.ofType("session.started")).toHaveLength(1);
  });

  test("R-A7: an agent is never above the maximum, counting invitations", () => {
    const f = floorOf({ maxSessions: 1 });
    take(f);
    const b = take(f, bob);
    f.floor.dispatch({
      type: "session.invite",
      sessionId: b.sessionId!,
      agentId: bob,
      to: { agentId: ann },
      hidden: false,
    });
    const r = f.floor.dispatch({ type: "session.acceptInvite", sessionId: b.sessionId!, agentId: ann });
    expect(r).toMatchObject({ ok: false, rejection: { reason: "atMaximum" } });
    expect(f.floor.agent(ann)!.active).toBe(1);
  });
});

describe("lost connections", () => {
  test("an agent back within the grace period keeps their sessions", () => {
    const f = floorOf({}, { agentReconnectGraceMs: 60_000 });
    const { sessionId } = take(f);
    f.floor.dispatch({ type: "agent.disconnect", agentId: ann });
    f.clock.advanceTo(59_000);
    f.floor.dispatch({ type: "agent.reconnect", agentId: ann });
    f.clock.advanceTo(200_000);
    expect(f.floor.session(sessionId!)?.owner).toBe(ann);
    expect(f.ofType("agent.loggedOut")).toHaveLength(0);
  });

  test("an agent gone beyond the grace is logged out; their session closes as Unknown, their Queued request is re-routed", () => {
    const f = floorOf({ maxSessions: 1 }, { agentReconnectGraceMs: 60_000 });
    const { sessionId } = take(f);
    const queued = take(f);
    f.floor.dispatch({ type: "agent.disconnect", agentId: ann });
    expect(f.ofType("alert.raised").at(-1)!.agentIds).toEqual([ann, bob]);
    f.clock.advanceTo(60_000);
    expect(f.ofType("agent.loggedOut")).toMatchObject([{ agentId: ann, reason: "connectionLost" }]);
    expect(f.ofType("session.closed")).toMatchObject([
      { sessionId, resolution: "unknown", reason: "ownerLoggedOut" },
    ]);
    expect(f.ofType("alert.raised").at(-1)).toMatchObject({ requestId: queued.requestId, agentIds: [bob] });
    expect(f.floor.dispatch({ type: "request.answer", agentId: bob, requestId: queued.requestId }).ok).toBe(
      true,
    );
    expect(f.ofType("request.started").at(-1)).toMatchObject({ requestId: queued.requestId, agentId: bob });
  });

  test("a logged-out agent's commands are refused, not crashed on", () => {
    const f = floorOf();
    f.floor.dispatch({ type: "agent.logout", agentId: ann });
    expect(f.floor.dispatch({ type: "agent.setAvailable", agentId: ann, available: true })).toMatchObject({
      ok: false,
      rejection: { reason: "notLoggedIn" },
    });
    expect(f.floor.dispatch({ type: "agent.login", agentId: AgentId("nobody") })).toMatchObject({
      ok: false,
      rejection: { reason: "unknownAgent" },
    });
  });
});
