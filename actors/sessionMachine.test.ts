// Rules of a session: chat, notes, push URL (R-S1–S3), close (R-S4), leave (R-S5), transfer (R-S6), invite (R-S7), clock (R-L4).
import { describe, expect, test } from "vitest";
import { AgentId, PortalId, type RequestId, type SessionId } from "./ids.ts";
import { customerVisibleAgents } from "./sessionMachine.ts";
import { customer, testFloor } from "./testing.ts";

const [ann, bob, cat, dan] = ["ann", "bob", "cat", "dan"].map(AgentId) as [
  AgentId,
  AgentId,
  AgentId,
  AgentId,
];
const help = PortalId("help");

function sessionFloor(options = {}, agents: Array<{ id: string; [k: string]: unknown }> = []) {
  const f = testFloor({
    agents: [
      { id: "ann" },
      { id: "bob" },
      { id: "cat" },
      { id: "dan", mayReceiveTransfers: false },
      ...agents,
    ],
    portals: [
      { id: "help", type: "smartBox", mode: "standard", members: ["ann"] },
      { id: "tier2", type: "smartBox", mode: "standard", members: ["bob", "cat", "dan"], tier: true },
    ],
    options,
  });
  const posted = f.floor.dispatch({
    type: "request.post",
    portalId: help,
    customer: customer("Cy", "My printer is offline"),
  });
  const requestId = posted.events.find((e) => e.type === "request.posted")!.requestId as RequestId;
  f.floor.dispatch({ type: "request.answer", agentId: ann, requestId });
  const sessionId = f.ofType("session.started")[0]!.sessionId as SessionId;
  return { ...f, sessionId };
}

describe("R-S1–S3 chat, notes, pushed URLs", () => {
  test("R-S1: chat goes both ways and every line is numbered for the transcript (R-S2)", () => {
    const f = sessionFloor();
    f.floor.dispatch({
      type: "session.chat",
      sessionId: f.sessionId,
      from: { kind: "customer" },
      text: "hello",
    });
    f.floor.dispatch({
      type: "session.chat",
      sessionId: f.sessionId,
      from: { kind: "agent", agentId: ann },
      text: "hi!",
    });
    f.floor.dispatch({
      type: "session.pushUrl",
      sessionId: f.sessionId,
      agentId: ann,
      url: "https://example.test/fix",
    });
    expect(f.ofType("chat.posted").map((e) => [e.lineNo, e.text])).toEqual([
      [1, "hello"],
      [2, "hi!"],
    ]);
    expect(f.ofType("url.pushed")).toMatchObject([{ lineNo: 3, url: "https://example.test/fix" }]);
  });

  test("R-S1: private notes are events of their own, never chat lines", () => {
    const f = sessionFloor();
    f.floor.dispatch({
      type: "session.note",
      sessionId: f.sessionId,
      agentId: ann,
      text: "customer seems upset",
    });
    expect(f.ofType("note.added")).toMatchObject([{ agentId: ann, text: "customer seems upset" }]);
    expect(f.ofType("chat.posted")).toHaveLength(0);
  });

  test("R-S1: an agent who is not in the session can neither chat nor note", () => {
    const f = sessionFloor();
    const r = f.floor.dispatch({
      type: "session.chat",
      sessionId: f.sessionId,
      from: { kind: "agent", agentId: bob },
      text: "x",
    });
    expect(r).toMatchObject({ ok: false, rejection: { reason: "notParticipant" } });
    expect(
      f.floor.dispatch({ type: "session.note", sessionId: f.sessionId, agentId: bob, text: "x" }).ok,
    ).toBe(false);
  });

  test("R-S2: a line sent from inside another command's events is numbered and told after them, in order", () => {
    const f = sessionFloor();
    // Lines go straight to the session at the top level (R-D2); a listener's line waits its turn on the floor.
    const unsubscribe = f.floor.subscribe((e) => {
      if (e.type !== "chat.posted" || e.text !== "first") return;
      f.floor.dispatch({
        type: "session.chat",
        sessionId: f.sessionId,
        from: { kind: "customer" },
        text: "echo",
      });
    });
    const r = f.floor.dispatch({
      type: "session.chat",
      sessionId: f.sessionId,
      from: { kind: "agent", agentId: ann },
      text: "first",
    });
    unsubscribe();
    expect(r.events.map((e) => (e.type === "chat.posted" ? [e.lineNo, e.text] : e.type))).toEqual([
      [1, "first"],
      [2, "echo"],
    ]);
    const seqs = f.log.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });
});

describe("R-S4 close", () => {
  test("R-S4: the owner closes with a resolution; the session leaves the floor and the slot frees", () => {
    const f = sessionFloor();
    const r = f.floor.dispatch({
      type: "session.close",
      sessionId: f.sessionId,
      agentId: ann,
      resolution: "notResolved",
    });
    expect(r.ok).toBe(true);
    expect(f.ofType("session.closed")).toMatchObject([
      { resolution: "notResolved", by: ann, agentIds: [ann] },
    ]);
    expect(f.floor.agent(ann)!.active).toBe(0);
    expect(f.floor.session(f.sessionId)).toBeUndefined();
    expect(
      f.floor.dispatch({
        type: "session.chat",
        sessionId: f.sessionId,
        from: { kind: "customer" },
        text: "?",
      }),
    ).toMatchObject({ ok: false, rejection: { reason: "unknownSession" } });
  });

  test("R-S4: where configured, the extra field (a ticket number) is required", () => {
    const f = sessionFloor({ resolutionExtraField: "Ticket" });
    const refused = f.floor.dispatch({
      type: "session.close",
      sessionId: f.sessionId,
      agentId: ann,
      resolution: "resolved",
    });
    expect(refused).toMatchObject({ ok: false, rejection: { reason: "extraFieldRequired" } });
    f.floor.dispatch({
      type: "session.close",
      sessionId: f.sessionId,
      agentId: ann,
      resolution: "resolved",
      extra: "T-42",
    });
    expect(f.ofType("session.closed")).toMatchObject([{ extra: "T-42" }]);
  });

  test("R-S4: Close all sessions closes every session the agent owns", () => {
    const f = sessionFloor();
    for (let i = 0; i < 2; i++) {
      const p = f.floor.dispatch({ type: "request.post", portalId: help, customer: customer(`c${i}`) });
      const requestId = p.events.find((e) => e.type === "request.posted")!.requestId as RequestId;
      f.floor.dispatch({ type: "request.answer", agentId: ann, requestId });
    }
    expect(f.floor.agent(ann)!.active).toBe(3);
    f.floor.dispatch({ type: "session.closeAll", agentId: ann, resolution: "unknown" });
    expect(f.ofType("session.closed")).toHaveLength(3);
    expect(f.floor.agent(ann)!.active).toBe(0);
    // Finished requests and sessions leave the floor: only the 4 agents and 2 portals remain.
    expect(f.floor.childCount()).toBe(6);
  });

  test("R-S4: only the owner may close", () => {
    const f = sessionFloor();
    const r = f.floor.dispatch({
      type: "session.close",
      sessionId: f.sessionId,
      agentId: bob,
      resolution: "resolved",
    });
    expect(r).toMatchObject({ ok: false, rejection: { reason: "notOwner" } });
  });
});

describe("R-S7 invitations and R-S5 leave", () => {
  test("R-S7: a hidden invitee joins after a blue alert and is never listed for the customer", () => {
    const f = sessionFloor();
    f.floor.dispatch({
      type: "session.invite",
      sessionId: f.sessionId,
      agentId: ann,
      to: { agentId: bob },
      hidden: true,
    });
    expect(f.ofType("alert.raised").at(-1)).toMatchObject({
      colour: "blue",
      agentIds: [bob],
      sessionId: f.sessionId,
    });
    expect(f.ofType("invitation.sent")).toMatchObject([{ hidden: true, comments: "My printer is offline" }]);
    expect(f.floor.dispatch({ type: "session.acceptInvite", sessionId: f.sessionId, agentId: bob }).ok).toBe(
      true,
    );
    const ctx = f.floor.session(f.sessionId)!;
    expect(ctx.invitees).toEqual([{ agentId: bob, hidden: true }]);
    expect(customerVisibleAgents(ctx)).toEqual([ann]);
    expect(f.floor.agent(bob)!.active).toBe(1);
  });

  test("R-S7: a broadcast invitation to a portal goes to its available agents; the first to accept joins", () => {
    const f = sessionFloor();
    f.floor.dispatch({
      type: "session.invite",
      sessionId: f.sessionId,
      agentId: ann,
      to: { portalId: PortalId("tier2") },
      hidden: false,
      comments: "need a hand",
    });
    expect(f.ofType("invitation.sent")).toMatchObject([
      { agentIds: [bob, cat, dan], comments: "need a hand" },
    ]);
    f.floor.dispatch({ type: "session.acceptInvite", sessionId: f.sessionId, agentId: cat });
    expect(f.floor.dispatch({ type: "session.acceptInvite", sessionId: f.sessionId, agentId: bob }).ok).toBe(
      false,
    );
    expect(f.ofType("alert.withdrawn").at(-1)).toMatchObject({ agentIds: [bob, dan], reason: "accepted" });
    expect(customerVisibleAgents(f.floor.session(f.sessionId)!)).toEqual([ann, cat]);
  });

  test("R-S7: invitations can be switched off in configuration", () => {
    const f = sessionFloor({ inviteEnabled: false });
    const r = f.floor.dispatch({
      type: "session.invite",
      sessionId: f.sessionId,
      agentId: ann,
      to: { agentId: bob },
      hidden: false,
    });
    expect(r).toMatchObject({ ok: false, rejection: { reason: "featureDisabled" } });
  });

  test("R-S5: leave is refused to the last agent, and allowed when an invitee stays and keeps the session", () => {
    const f = sessionFloor();
    expect(f.floor.dispatch({ type: "session.leave", sessionId: f.sessionId, agentId: ann })).toMatchObject({
      ok: false,
      rejection: { reason: "lastAgent" },
    });
    f.floor.dispatch({
      type: "session.invite",
      sessionId: f.sessionId,
      agentId: ann,
      to: { agentId: bob },
      hidden: false,
    });
    f.floor.dispatch({ type: "session.acceptInvite", sessionId: f.sessionId, agentId: bob });
    expect(f.floor.dispatch({ type: "session.leave", sessionId: f.sessionId, agentId: ann }).ok).toBe(true);
    expect(f.ofType("session.ownerChanged")).toMatchObject([{ from: ann, to: bob, reason: "leave" }]);
    expect(f.floor.session(f.sessionId)!.owner).toBe(bob);
    expect(f.floor.agent(ann)!.active).toBe(0);
  });
});

describe("R-S6 transfer", () => {
  test("R-S6: transfer to a portal raises orange alerts with the question as comments; the taker owns the same session", () => {
    const f = sessionFloor();
    f.floor.dispatch({
      type: "session.transfer",
      sessionId: f.sessionId,
      agentId: ann,
      to: { portalId: PortalId("tier2") },
    });
    // dan may not receive transfers (R-M1)
    expect(f.ofType("alert.raised").at(-1)).toMatchObject({ colour: "orange", agentIds: [bob, cat] });
    expect(f.ofType("transfer.requested")).toMatchObject([{ comments: "My printer is offline", from: ann }]);
    expect(
      f.floor.dispatch({ type: "session.acceptTransfer", sessionId: f.sessionId, agentId: cat }).ok,
    ).toBe(true);
    expect(
      f.floor.dispatch({ type: "session.acceptTransfer", sessionId: f.sessionId, agentId: bob }).ok,
    ).toBe(false);
    expect(f.ofType("session.ownerChanged")).toMatchObject([{ from: ann, to: cat, reason: "transfer" }]);
    expect(f.floor.session(f.sessionId)).toMatchObject({ owner: cat, invitees: [], customerPresent: true });
    expect(f.floor.agent(ann)!.active).toBe(0);
    expect(f.floor.agent(cat)!.active).toBe(1);
    expect(f.ofType("session.started")).toHaveLength(1);
  });

  test("R-S6: transfer to one agent, with edited comments, and cancel before anyone takes it", () => {
    const f = sessionFloor();
    f.floor.dispatch({
      type: "session.transfer",
      sessionId: f.sessionId,
      agentId: ann,
      to: { agentId: bob },
      comments: "VIP",
    });
    expect(f.ofType("transfer.requested")).toMatchObject([{ agentIds: [bob], comments: "VIP" }]);
    f.floor.dispatch({ type: "session.cancelTransfer", sessionId: f.sessionId, agentId: ann });
    expect(f.ofType("alert.withdrawn").at(-1)).toMatchObject({ agentIds: [bob], reason: "cancelled" });
    expect(
      f.floor.dispatch({ type: "session.acceptTransfer", sessionId: f.sessionId, agentId: bob }).ok,
    ).toBe(false);
  });

  test("R-S6: transfer can be switched off, and only the owner transfers", () => {
    const f = sessionFloor({ transferEnabled: false });
    const r = f.floor.dispatch({
      type: "session.transfer",
      sessionId: f.sessionId,
      agentId: ann,
      to: { agentId: bob },
    });
    expect(r).toMatchObject({ ok: false, rejection: { reason: "featureDisabled" } });
    const g = sessionFloor();
    expect(
      g.floor.dispatch({
        type: "session.transfer",
        sessionId: g.sessionId,
        agentId: bob,
        to: { agentId: cat },
      }),
    ).toMatchObject({
      ok: false,
      rejection: { reason: "notOwner" },
    });
  });
});

describe("R-L4 and R-L2", () => {
  test("R-L4: the current-sessions clock follows the host: downloading, connecting, chat only, sharing", () => {
    const f = sessionFloor();
    for (const state of ["connecting", "chatOnly", "sharingCustomerScreen", "sharingAgentScreen"] as const) {
      f.floor.dispatch({ type: "session.screen", sessionId: f.sessionId, state });
    }
    expect(f.ofType("session.stateChanged").map((e) => e.state)).toEqual([
      "connecting",
      "chatOnly",
      "sharingCustomerScreen",
      "sharingAgentScreen",
    ]);
  });

  test("R-L2: session ids are unique 9-digit numbers", () => {
    const f = testFloor({
      agents: [{ id: "ann" }],
      portals: [{ id: "help", type: "smartButton", mode: "standard", members: ["ann"] }],
    });
    const ids = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const p = f.floor.dispatch({ type: "request.post", portalId: help, customer: customer(`c${i}`) });
      const requestId = p.events.find((e) => e.type === "request.posted")!.requestId as RequestId;
      const a = f.floor.dispatch({ type: "request.answer", agentId: ann, requestId });
      const started = a.events.find((e) => e.type === "session.started");
      if (started) {
        ids.add(started.sessionId);
        f.floor.dispatch({
          type: "session.close",
          sessionId: started.sessionId,
          agentId: ann,
          resolution: "resolved",
        });
      }
    }
    expect(ids.size).toBe(300);
    expect([...ids].every((id) => /^[1-9]\d{8}$/.test(id))).toBe(true);
  });
});
