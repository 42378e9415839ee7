import { expect, test } from "vitest";
import { AgentId, PortalId } from "./ids.ts";
import { customer, testFloor } from "./testing.ts";

test("smoke: a SmartBox request is answered and becomes a session", () => {
  const { floor, ofType } = testFloor({
    agents: [{ id: "ann" }, { id: "bob" }],
    portals: [{ id: "help", type: "smartBox", mode: "standard", members: ["ann", "bob"] }],
  });
  const posted = floor.dispatch({ type: "request.post", portalId: PortalId("help"), customer: customer("Cy", "printer?") });
  expect(posted.ok).toBe(true);
  const requestId = ofType("request.posted")[0]!.requestId;
  const r = floor.dispatch({ type: "request.answer", agentId: AgentId("ann"), requestId });
  console.log(r.events.map((e) => e.type));
  expect(ofType("session.started")).toHaveLength(1);
});
