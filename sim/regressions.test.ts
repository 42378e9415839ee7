// Regressions for floor bugs the simulator found, pinned with the same actors outside the simulator.
import { expect, test } from "vitest";
import { AgentId, PortalId } from "../actors/index.ts";
import { customer, testFloor } from "../actors/testing.ts";
import { queueFifo } from "./checkers/fifo.ts";
import { CheckSuite } from "./checkers/index.ts";

test("R-P5: an agent who takes an offer and stays below the maximum is offered the next waiting request at once", () => {
  // Found by `npm run sim -- sim/scenarios/queue.json --seed 1`: the taker was left idle while the queue waited.
  const { floor, ofType, log } = testFloor({
    agents: [{ id: "ann", maxSessions: 2 }],
    portals: [{ id: "line", type: "smartBox", mode: "queue", members: ["ann"] }],
  });
  const line = PortalId("line");
  const setup = log.map((e) => [e]);
  const p1 = floor.dispatch({ type: "request.post", portalId: line, customer: customer("C1", "?") });
  const p2 = floor.dispatch({ type: "request.post", portalId: line, customer: customer("C2", "?") });
  const [first, second] = ofType("request.posted").map((e) => e.requestId);
  expect(ofType("offer.made").map((e) => e.requestId)).toEqual([first]);

  const taken = floor.dispatch({ type: "request.answer", agentId: AgentId("ann"), requestId: first! });

  expect(taken.events.filter((e) => e.type === "offer.made")).toMatchObject([
    { requestId: second, agentId: "ann" },
  ]);
  // The FIFO checker, fed dispatch by dispatch, agrees: nobody idles while a request waits with no offer.
  const suite = new CheckSuite({ checkers: [queueFifo()] });
  expect(suite.replay([...setup, p1.events, p2.events, taken.events])).toEqual([]);
});

test("R-P6: a SmartCode cannot be redeemed while its issuer is logged out, so no session starts with an absent owner", () => {
  // Found by `npm run sim -- sim/scenarios/phone.json --seed 1`: a customer redeemed after the agent's shift ended and
  // got a session owned by a logged-out agent, which nobody could ever close.
  const { floor, ofType } = testFloor({
    agents: [{ id: "ann" }],
    portals: [{ id: "tel", type: "smartCode", mode: "phone", members: ["ann"] }],
  });
  const ann = AgentId("ann");
  const tel = PortalId("tel");
  floor.dispatch({ type: "code.create", agentId: ann, portalId: tel });
  const code = ofType("code.created")[0]!.display;
  floor.dispatch({ type: "agent.logout", agentId: ann });

  const refused = floor.dispatch({ type: "request.post", portalId: tel, customer: customer("Cy"), code });
  expect(refused.ok).toBe(false);
  expect(refused.ok ? null : refused.rejection.reason).toBe("notLoggedIn");
  expect(ofType("session.started")).toEqual([]);
  expect(ofType("code.converted")).toEqual([]);

  // The code stays active (R-P6): once the issuer is back, the same code connects the customer to them.
  floor.dispatch({ type: "agent.login", agentId: ann });
  expect(floor.dispatch({ type: "request.post", portalId: tel, customer: customer("Cy"), code }).ok).toBe(
    true,
  );
  expect(ofType("session.started")).toMatchObject([{ agentId: "ann" }]);
});

test("R-A7: an agent already in a session who says Yes to an older invitation to it is refused without a second slot", () => {
  // Found by `npm run sim -- sim/scenarios/swarm.json --swarm --seed 249`: the agent took the transfer, then accepted
  // the invitation still pending for them; a second slot was taken for the same session and never given back.
  const { floor, ofType } = testFloor({
    agents: [{ id: "ann" }, { id: "bob" }],
    portals: [{ id: "desk", type: "smartBox", mode: "standard", members: ["ann", "bob"] }],
  });
  const [ann, bob] = [AgentId("ann"), AgentId("bob")];
  floor.dispatch({ type: "request.post", portalId: PortalId("desk"), customer: customer("Cy", "?") });
  floor.dispatch({ type: "request.answer", agentId: ann, requestId: ofType("request.posted")[0]!.requestId });
  const sessionId = ofType("session.started")[0]!.sessionId;
  floor.dispatch({ type: "session.transfer", sessionId, agentId: ann, to: { agentId: bob } });
  floor.dispatch({ type: "session.invite", sessionId, agentId: ann, to: { agentId: bob }, hidden: true });
  floor.dispatch({ type: "session.acceptTransfer", sessionId, agentId: bob });
  expect(floor.session(sessionId)?.owner).toBe("bob");

  const late = floor.dispatch({ type: "session.acceptInvite", sessionId, agentId: bob });

  expect(late.ok ? null : late.rejection.reason).toBe("alreadyParticipant");
  expect(late.events.some((e) => e.type === "agent.joinedSession")).toBe(false);
  expect(floor.agent(bob)?.active).toBe(1);
  floor.dispatch({ type: "session.close", sessionId, agentId: bob, resolution: "resolved" });
  expect(floor.agent(bob)?.active).toBe(0);
});
