// The floor treats duplicate, late, unknown and malformed commands as normal inputs with typed outcomes, never crashes.
import { describe, expect, test } from "vitest";
import type { FloorCommand } from "./commands.ts";
import { AgentId, PortalId, type RequestId, SessionId } from "./ids.ts";
import { agentConfig, customer, portalConfig, testFloor } from "./testing.ts";

const ann = AgentId("ann");
const help = PortalId("help");

function floor() {
  return testFloor({
    agents: [{ id: "ann" }],
    portals: [{ id: "help", type: "smartBox", mode: "standard", members: ["ann"] }],
  });
}

function started(f: ReturnType<typeof floor>) {
  const p = f.floor.dispatch({ type: "request.post", portalId: help, customer: customer("Cy", "q") });
  const requestId = p.events.find((e) => e.type === "request.posted")!.requestId as RequestId;
  const a = f.floor.dispatch({ type: "request.answer", agentId: ann, requestId });
  return { requestId, sessionId: a.events.find((e) => e.type === "session.started")!.sessionId };
}

describe("robust input", () => {
  test("a duplicated close is answered with unknownSession and changes nothing", () => {
    const f = floor();
    const { sessionId } = started(f);
    const close: FloorCommand = {
      type: "session.close",
      sessionId,
      agentId: ann,
      resolution: "resolved",
      commandId: "c1",
    };
    expect(f.floor.dispatch(close).ok).toBe(true);
    expect(f.floor.dispatch(close)).toMatchObject({
      ok: false,
      rejection: { reason: "unknownSession", commandId: "c1" },
    });
    expect(f.ofType("session.closed")).toHaveLength(1);
    expect(f.floor.agent(ann)!.active).toBe(0);
  });

  test("a late answer to an expired request is refused", () => {
    const f = floor();
    const p = f.floor.dispatch({ type: "request.post", portalId: help, customer: customer("Cy") });
    const requestId = p.events.find((e) => e.type === "request.posted")!.requestId as RequestId;
    f.clock.advanceTo(f.floor.options.requestExpiryMs);
    expect(f.floor.dispatch({ type: "request.answer", agentId: ann, requestId })).toMatchObject({
      ok: false,
      rejection: { reason: "unknownRequest" },
    });
  });

  test("unknown ids and unknown command types get typed rejections", () => {
    const f = floor();
    const cases: Array<[FloorCommand, string]> = [
      [{ type: "request.post", portalId: PortalId("nope"), customer: customer("x") }, "unknownPortal"],
      [
        { type: "session.chat", sessionId: SessionId("123456789"), from: { kind: "customer" }, text: "x" },
        "unknownSession",
      ],
      [{ type: "agent.login", agentId: AgentId("ghost") }, "unknownAgent"],
      [{ type: "no.such.thing" } as unknown as FloorCommand, "unknownCommand"],
    ];
    for (const [command, reason] of cases) {
      expect(f.floor.dispatch(command)).toMatchObject({ ok: false, rejection: { reason } });
    }
  });

  test("R-M1: reconfiguring an agent or a portal is on the audit stream", () => {
    const f = floor();
    const r = f.floor.dispatch({
      type: "floor.configureAgent",
      config: agentConfig({ id: "ann", maxSessions: 3 }),
    });
    expect(r.events).toMatchObject([{ type: "agent.configured", agentId: ann, maxSessions: 3 }]);
    expect(f.floor.agent(ann)!.max).toBe(3);
    const p = f.floor.dispatch({
      type: "floor.configurePortal",
      config: portalConfig({ id: "help", type: "smartBox", mode: "standard", members: [] }),
    });
    expect(p.events).toMatchObject([{ type: "portal.configured", portalId: help, members: [] }]);
  });

  test("the domain stream is stamped with a gap-free sequence and the clock's time", () => {
    const f = floor();
    f.clock.advanceTo(5_000);
    started(f);
    expect(f.log.map((e) => e.seq)).toEqual(f.log.map((_, i) => i + 1));
    expect(f.log.at(-1)!.at).toBe(5_000);
  });
});
