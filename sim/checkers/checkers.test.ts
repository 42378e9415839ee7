// Each checker catches its rule broken in a hand-made event stream, and stays quiet on the same story told right.
import { describe, expect, test } from "vitest";
import type { SessionContext } from "../../actors/index.ts";
import { A, P, R, S, Stream } from "../testkit.ts";
import { broadcast } from "./broadcast.ts";
import { capacity } from "./capacity.ts";
import { endOfDay } from "./endOfDay.ts";
import { queueFifo } from "./fifo.ts";
import { handover } from "./handover.ts";
import { hiddenInvitee } from "./hidden.ts";
import { requestLifecycle } from "./lifecycle.ts";
import { singleOwner } from "./owners.ts";
import { phoneNoAlert } from "./phone.ts";
import { smartCode } from "./smartCode.ts";
import type { FloorProbe } from "./types.ts";
import { withdrawal } from "./withdrawal.ts";

const desk = () =>
  new Stream().agents(3, "ann", "bob", "cy").portal("desk", "smartBox", "standard", ["ann", "bob", "cy"]);
const messages = (findings: Array<{ message: string }>) => findings.map((f) => f.message);

describe("requestLifecycle", () => {
  test("R-D2: a posted request that never starts, is abandoned nor expires is reported lost", () => {
    const found = desk()
      .login("ann")
      .post("r1", "desk", "standard")
      .check({ checkers: [requestLifecycle()] });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ checker: "requestLifecycle", rule: "R-D2" });
    expect(found[0]!.message).toMatch(/r1 .*was lost/);
  });

  test("R-D2: answered then started with its session is a whole life", () => {
    const found = desk()
      .login("ann")
      .post("r1", "desk", "standard")
      .add(
        { type: "request.answered", requestId: R("r1"), agentId: A("ann"), via: "alert" },
        { type: "agent.slotGranted", agentId: A("ann"), requestId: R("r1"), active: 1, max: 3 },
        {
          type: "session.started",
          sessionId: S("s1"),
          requestId: R("r1"),
          portalId: P("desk"),
          agentId: A("ann"),
          customer: { name: "C", language: "en" },
        },
        { type: "request.started", requestId: R("r1"), sessionId: S("s1"), agentId: A("ann") },
      )
      .check({ checkers: [requestLifecycle()] });
    expect(found).toEqual([]);
  });

  test("R-D2: a request that starts without an answer, or ends twice, is flagged", () => {
    const found = desk()
      .post("r1", "desk", "standard")
      .add({ type: "request.started", requestId: R("r1"), sessionId: S("s1"), agentId: A("ann") })
      .add({ type: "request.abandoned", requestId: R("r1") })
      .check({ checkers: [requestLifecycle()] });
    expect(messages(found).join("\n")).toMatch(/started without being answered/);
    expect(messages(found).join("\n")).toMatch(/already ended/);
  });
});

describe("singleOwner", () => {
  test("R-P3: a second request.answered for the same request is two owners", () => {
    const found = desk()
      .login("ann", "bob")
      .post("r1", "desk", "standard")
      .add({ type: "request.answered", requestId: R("r1"), agentId: A("ann"), via: "alert" })
      .add({ type: "request.answered", requestId: R("r1"), agentId: A("bob"), via: "alert" })
      .check({ checkers: [singleOwner()] });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ rule: "R-P3" });
    expect(found[0]!.message).toMatch(/answered by bob while ann already owns it/);
  });

  test("R-S6: ownership may move only from the current owner", () => {
    const found = desk()
      .add({
        type: "session.started",
        sessionId: S("s1"),
        requestId: R("r1"),
        portalId: P("desk"),
        agentId: A("ann"),
        customer: { name: "C", language: "en" },
      })
      .add({
        type: "session.ownerChanged",
        sessionId: S("s1"),
        from: A("bob"),
        to: A("cy"),
        reason: "transfer",
      })
      .check({ checkers: [singleOwner()] });
    expect(found.map((f) => f.rule)).toEqual(["R-S6"]);
    expect(found[0]!.message).toMatch(/moved from bob, but ann owns it/);
  });
});

describe("capacity", () => {
  test("R-A7: an agent granted a slot above its maximum is caught", () => {
    const found = new Stream()
      .agents(1, "ann")
      .login("ann")
      .add({ type: "agent.slotGranted", agentId: A("ann"), requestId: R("r1"), active: 1, max: 1 })
      .add({ type: "agent.slotGranted", agentId: A("ann"), requestId: R("r2"), active: 2, max: 1 })
      .check({ checkers: [capacity()] });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ rule: "R-A7" });
    expect(found[0]!.message).toMatch(/holds 2 sessions, above its maximum of 1/);
  });

  test("R-A7: a slot count that disagrees with the events is caught", () => {
    const found = new Stream()
      .agents(2, "ann")
      .add({ type: "agent.slotGranted", agentId: A("ann"), requestId: R("r1"), active: 2, max: 2 })
      .check({ checkers: [capacity()] });
    expect(messages(found)).toEqual([expect.stringMatching(/says 2 active, the events add up to 1/)]);
  });
});

describe("queueFifo", () => {
  const offer = (requestId: string, agentId: string) =>
    ({
      type: "offer.made",
      requestId: R(requestId),
      agentId: A(agentId),
      portalId: P("line"),
      timeoutMs: 30_000,
    }) as const;
  /** Two customers post in one step, and the queue makes the given offers in that same step, as the floor does. */
  const queue = (
    before: Stream = new Stream().agents(1, "ann", "bob"),
    ...offers: ReturnType<typeof offer>[]
  ) =>
    before
      .portal("line", "smartBox", "queue", ["ann", "bob"])
      .login("ann", "bob")
      .add(
        {
          type: "request.posted",
          requestId: R("r1"),
          portalId: P("line"),
          mode: "queue",
          customer: { name: "C1", language: "en" },
        },
        { type: "queue.enqueued", portalId: P("line"), requestId: R("r1"), length: 1 },
        {
          type: "request.posted",
          requestId: R("r2"),
          portalId: P("line"),
          mode: "queue",
          customer: { name: "C2", language: "en" },
        },
        { type: "queue.enqueued", portalId: P("line"), requestId: R("r2"), length: 2 },
        ...offers,
      );

  test("R-P5: FIFO checker flags an out-of-order offer", () => {
    const found = queue(undefined, offer("r2", "ann")).check({ checkers: [queueFifo()] });
    expect(messages(found).join("\n")).toMatch(
      /r2 offered before the older r1, which waits in line with no offer/,
    );
  });

  test("R-P5: a free agent left idle while a request waits with no offer is flagged", () => {
    const found = queue(undefined, offer("r1", "ann")).check({ checkers: [queueFifo()] });
    expect(messages(found)).toEqual([
      expect.stringMatching(/r2 waits in line with no offer while bob is free/),
    ]);
  });

  test("R-P5: an offer to an agent at the maximum is flagged", () => {
    const busy = new Stream()
      .agents(1, "ann", "bob")
      .add({ type: "agent.slotGranted", agentId: A("ann"), requestId: R("r0"), active: 1, max: 1 });
    const found = queue(busy, offer("r1", "ann"), offer("r2", "bob")).check({ checkers: [queueFifo()] });
    expect(messages(found)).toEqual([
      expect.stringMatching(/r1 offered to ann, who is not free \(.*1\/1 sessions\)/),
    ]);
  });

  test("R-P5: an offer not answered moves on to an agent not yet asked", () => {
    const found = queue(undefined, offer("r1", "ann"), offer("r2", "bob"))
      .at(30_000)
      .add(
        { type: "offer.ended", requestId: R("r1"), agentId: A("ann"), reason: "timeout" },
        offer("r1", "ann"),
      )
      .check({ checkers: [queueFifo()] });
    expect(messages(found)).toEqual([]);
    // cy, a member free all along, was never asked: going back to ann is wrong.
    const wrong = new Stream()
      .agents(1, "ann", "bob", "cy")
      .portal("line", "smartBox", "queue", ["ann", "bob", "cy"])
      .login("ann", "bob")
      .add(
        {
          type: "request.posted",
          requestId: R("r1"),
          portalId: P("line"),
          mode: "queue",
          customer: { name: "C1", language: "en" },
        },
        { type: "queue.enqueued", portalId: P("line"), requestId: R("r1"), length: 1 },
        offer("r1", "ann"),
      )
      .login("cy")
      .at(30_000)
      .add(
        { type: "offer.ended", requestId: R("r1"), agentId: A("ann"), reason: "timeout" },
        offer("r1", "ann"),
      )
      .check({ checkers: [queueFifo()] });
    expect(messages(wrong)).toEqual([
      expect.stringMatching(/r1 offered to ann, but .* is next \(ann already let it go/),
    ]);
  });

  test("R-P5: the longest-idle free agent is offered first, and an offer times out exactly on time", () => {
    const found = new Stream()
      .agents(1, "ann", "bob")
      .add({ type: "agent.slotReleased", agentId: A("ann"), sessionId: S("s0"), active: -1 })
      .pipe((s) => queue(s, offer("r1", "ann"), offer("r2", "bob")))
      .at(29_000)
      .add(
        { type: "offer.ended", requestId: R("r2"), agentId: A("bob"), reason: "timeout" },
        offer("r2", "bob"),
      )
      .check({ checkers: [queueFifo()] });
    expect(messages(found)).toEqual([
      expect.stringMatching(/r1 offered to ann, but bob is next \(bob has been free longer\)/),
      "offer of r2 to bob timed out at 29000, due at 30000",
    ]);
  });

  test("R-P5: oldest first, one offer per free agent, is FIFO", () => {
    const found = queue(undefined, offer("r1", "ann"), offer("r2", "bob")).check({ checkers: [queueFifo()] });
    expect(found).toEqual([]);
  });
});

describe("broadcast", () => {
  test("R-P3: a yellow alert must reach every member logged in, connected and Available — no more, no less", () => {
    const found = desk()
      .login("ann", "bob", "cy")
      .add({ type: "agent.availabilityChanged", agentId: A("cy"), available: false, reason: "requested" })
      .add(
        {
          type: "request.posted",
          requestId: R("r1"),
          portalId: P("desk"),
          mode: "standard",
          customer: { name: "C", language: "en" },
        },
        {
          type: "alert.raised",
          colour: "yellow",
          agentIds: [A("ann"), A("cy")],
          requestId: R("r1"),
          displayMs: 30_000,
        },
      )
      .check({ checkers: [broadcast()] });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ rule: "R-P3" });
    expect(found[0]!.message).toMatch(/missing bob; not eligible cy/);
  });

  test("R-P3: a request posted while members are reachable must raise an alert", () => {
    const found = desk()
      .login("ann")
      .post("r1", "desk", "standard")
      .check({ checkers: [broadcast()] });
    expect(messages(found)).toEqual([
      expect.stringMatching(/r1 was posted while ann could be alerted, but no alert was raised/),
    ]);
  });

  test("R-P9: a reminder for a request already answered is flagged", () => {
    const found = desk()
      .login("ann", "bob", "cy")
      .add(
        {
          type: "request.posted",
          requestId: R("r1"),
          portalId: P("desk"),
          mode: "standard",
          customer: { name: "C", language: "en" },
        },
        {
          type: "alert.raised",
          colour: "yellow",
          agentIds: [A("ann"), A("bob"), A("cy")],
          requestId: R("r1"),
          displayMs: 30_000,
        },
      )
      .add({ type: "request.answered", requestId: R("r1"), agentId: A("ann"), via: "alert" })
      .add({ type: "alert.reminded", requestId: R("r1"), agentIds: [A("bob")] })
      .check({ checkers: [broadcast()] });
    expect(found.map((f) => [f.rule, f.message])).toEqual([
      ["R-P9", "reminder for request r1, which no longer waits"],
    ]);
  });

  test("R-P4: a green alert goes only to the agent the customer picked", () => {
    const found = new Stream()
      .agents(2, "ann", "bob")
      .portal("pick", "smartMatch", "standard", ["ann", "bob"])
      .login("ann", "bob")
      .add(
        {
          type: "request.posted",
          requestId: R("r1"),
          portalId: P("pick"),
          mode: "standard",
          customer: { name: "C", language: "en" },
          matchAgentId: A("ann"),
        },
        {
          type: "alert.raised",
          colour: "green",
          agentIds: [A("ann"), A("bob")],
          requestId: R("r1"),
          displayMs: 30_000,
        },
      )
      .check({ checkers: [broadcast()] });
    expect(found.map((f) => f.rule)).toEqual(["R-P4"]);
  });

  test("R-P7: an orange transfer alert must match the reachable members of the tier portal", () => {
    const found = desk()
      .portal("tier", "smartButton", "standard", ["bob", "cy"])
      .login("ann", "bob")
      .add({
        type: "session.started",
        sessionId: S("s1"),
        requestId: R("r1"),
        portalId: P("desk"),
        agentId: A("ann"),
        customer: { name: "C", language: "en" },
      })
      .add({
        type: "transfer.requested",
        sessionId: S("s1"),
        from: A("ann"),
        to: { portalId: P("tier") },
        agentIds: [A("bob"), A("cy")],
        comments: "",
      })
      .check({ checkers: [broadcast()] });
    expect(found.map((f) => f.rule)).toEqual(["R-P7"]);
    expect(found[0]!.message).toMatch(/not eligible cy/);
  });
});

describe("phoneNoAlert", () => {
  test("R-P6: an alert for a Phone-mode request is flagged", () => {
    const found = new Stream()
      .agents(2, "ann")
      .portal("tel", "smartCode", "phone", ["ann"])
      .login("ann")
      .post("r1", "tel", "phone")
      .add({
        type: "alert.raised",
        colour: "yellow",
        agentIds: [A("ann")],
        requestId: R("r1"),
        displayMs: 30_000,
      })
      .check({ checkers: [phoneNoAlert()] });
    expect(found.map((f) => [f.checker, f.rule])).toEqual([["phoneNoAlert", "R-P6"]]);
  });
});

describe("smartCode", () => {
  const code = (expiresAt: number) =>
    new Stream()
      .agents(2, "ann", "bob")
      .portal("tel", "smartCode", "phone", ["ann", "bob"])
      .login("ann", "bob")
      .add({
        type: "code.created",
        code: "0480290" as never,
        display: "048-0290",
        name: null,
        portalId: P("tel"),
        issuerId: A("ann"),
        quickUrl: "",
        expiresAt,
      });

  test("R-P6: a code converted at its expiresAt millisecond is flagged", () => {
    const found = code(1_000)
      .at(1_000)
      .add({ type: "code.converted", code: "0480290" as never, requestId: R("r1"), issuerId: A("ann") })
      .check({ checkers: [smartCode()] });
    expect(messages(found)).toEqual([
      expect.stringMatching(/converted at 1000, at or after its expiry 1000/),
    ]);
  });

  test("R-P6: a code converted twice, or answered by someone else than its issuer, is flagged", () => {
    const found = code(60_000)
      .add({ type: "code.converted", code: "0480290" as never, requestId: R("r1"), issuerId: A("ann") })
      .post("r1", "tel", "phone", { code: "0480290" as never })
      .add({ type: "request.answered", requestId: R("r1"), agentId: A("bob"), via: "code" })
      .add({ type: "code.converted", code: "0480290" as never, requestId: R("r2"), issuerId: A("ann") })
      .check({ checkers: [smartCode()] });
    const text = messages(found).join("\n");
    expect(text).toMatch(/went to bob, not the issuer ann/);
    expect(text).toMatch(/converted while converted/);
  });
});

describe("handover", () => {
  const session = () =>
    desk()
      .login("ann", "bob", "cy")
      .add(
        { type: "agent.slotGranted", agentId: A("ann"), requestId: R("r1"), active: 1, max: 3 },
        {
          type: "session.started",
          sessionId: S("s1"),
          requestId: R("r1"),
          portalId: P("desk"),
          agentId: A("ann"),
          customer: { name: "C", language: "en" },
        },
      );

  test("R-S6: ownership moving to an agent who was not offered the transfer is flagged", () => {
    const found = session()
      .add({
        type: "transfer.requested",
        sessionId: S("s1"),
        from: A("ann"),
        to: { agentId: A("bob") },
        agentIds: [A("bob")],
        comments: "",
      })
      .add(
        { type: "session.ownerChanged", sessionId: S("s1"), from: A("ann"), to: A("cy"), reason: "transfer" },
        { type: "participant.left", sessionId: S("s1"), agentId: A("ann") },
        { type: "agent.slotReleased", agentId: A("ann"), sessionId: S("s1"), active: 0 },
      )
      .check({ checkers: [handover()] });
    expect(messages(found)).toEqual([expect.stringMatching(/moved to cy, who was not offered the transfer/)]);
  });

  test("R-S6: a former owner still holding the session after a transfer is two owners", () => {
    const found = session()
      .add({
        type: "transfer.requested",
        sessionId: S("s1"),
        from: A("ann"),
        to: { agentId: A("bob") },
        agentIds: [A("bob")],
        comments: "",
      })
      .add(
        { type: "agent.joinedSession", agentId: A("bob"), sessionId: S("s1"), active: 1, max: 3 },
        {
          type: "session.ownerChanged",
          sessionId: S("s1"),
          from: A("ann"),
          to: A("bob"),
          reason: "transfer",
        },
        { type: "participant.left", sessionId: S("s1"), agentId: A("ann") },
      )
      .check({ checkers: [handover()] });
    expect(messages(found)).toEqual([expect.stringMatching(/former owner ann still holds a slot/)]);
  });

  test("R-S7: an invitee joining with another visibility than invited is flagged", () => {
    const found = session()
      .add({
        type: "invitation.sent",
        sessionId: S("s1"),
        by: A("ann"),
        agentIds: [A("bob")],
        hidden: true,
        comments: "",
      })
      .add({ type: "participant.joined", sessionId: S("s1"), agentId: A("bob"), hidden: false })
      .check({ checkers: [handover()] });
    expect(messages(found)).toEqual([
      expect.stringMatching(/joined session s1 hidden=false, invited hidden=true/),
    ]);
  });
});

describe("hiddenInvitee", () => {
  test("R-S7: a hidden invitee in the customer's participant list is caught", () => {
    const leaky: FloorProbe = {
      session: () =>
        ({ owner: A("ann"), invitees: [{ agentId: A("bob"), hidden: false }] }) as unknown as SessionContext,
      agent: () => undefined,
      request: () => undefined,
      childCount: () => 0,
    };
    const found = desk()
      .add({
        type: "session.started",
        sessionId: S("s1"),
        requestId: R("r1"),
        portalId: P("desk"),
        agentId: A("ann"),
        customer: { name: "C", language: "en" },
      })
      .add({
        type: "invitation.sent",
        sessionId: S("s1"),
        by: A("ann"),
        agentIds: [A("bob")],
        hidden: true,
        comments: "",
      })
      .add({ type: "participant.joined", sessionId: S("s1"), agentId: A("bob"), hidden: true })
      .check({ checkers: [hiddenInvitee()], floor: leaky });
    expect(found.map((f) => [f.rule, f.message])).toEqual([
      ["R-S7", "session s1: hidden invitee bob is in the customer's participant list"],
    ]);
  });
});

describe("withdrawal", () => {
  const alerted = () =>
    desk()
      .login("ann", "bob", "cy")
      .add(
        {
          type: "request.posted",
          requestId: R("r1"),
          portalId: P("desk"),
          mode: "standard",
          customer: { name: "C", language: "en" },
        },
        {
          type: "alert.raised",
          colour: "yellow",
          agentIds: [A("ann"), A("bob"), A("cy")],
          requestId: R("r1"),
          displayMs: 30_000,
        },
      );

  test("R-P3: a withdrawal after the first answer that leaves one alert up is caught", () => {
    const found = alerted()
      .add(
        { type: "request.answered", requestId: R("r1"), agentId: A("ann"), via: "alert" },
        { type: "alert.withdrawn", agentIds: [A("bob")], requestId: R("r1"), reason: "answered" },
      )
      .check({ checkers: [withdrawal()] });
    expect(messages(found)).toEqual(["after r1 was answered by ann, the alert of cy was not withdrawn"]);
  });

  test("R-P3: withdrawing every other alert in the same step passes, whatever the order of the end event", () => {
    const found = alerted()
      .add(
        { type: "request.answered", requestId: R("r1"), agentId: A("ann"), via: "alert" },
        { type: "alert.withdrawn", agentIds: [A("bob"), A("cy")], requestId: R("r1"), reason: "answered" },
      )
      .post("r2", "desk", "standard")
      .add({
        type: "alert.raised",
        colour: "yellow",
        agentIds: [A("bob")],
        requestId: R("r2"),
        displayMs: 30_000,
      })
      .add(
        { type: "alert.withdrawn", agentIds: [A("bob")], requestId: R("r2"), reason: "abandoned" },
        { type: "request.abandoned", requestId: R("r2") },
      )
      .check({ checkers: [withdrawal()] });
    expect(found).toEqual([]);
  });
});

describe("endOfDay", () => {
  test("R-D2: a session left open after everyone went home, or a floor that never went quiet, is caught", () => {
    const found = desk()
      .add({
        type: "session.started",
        sessionId: S("s1"),
        requestId: R("r1"),
        portalId: P("desk"),
        agentId: A("ann"),
        customer: { name: "C", language: "en" },
      })
      .check({ checkers: [endOfDay()], drained: false });
    const text = messages(found).join("\n");
    expect(text).toMatch(/still had timers or actions pending/);
    expect(text).toMatch(/session s1 \(owner ann\) was never closed/);
  });
});
