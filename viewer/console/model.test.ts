// The console's read model, fed the events the gateway forwards, checked rule by rule.
import { describe, expect, it } from "vitest";
import { type ConsoleEvent, ConsoleModel, defaultTimings } from "./model.ts";

const me = "a-me";
const other = "a-other";
const customer = { name: "Chloé", language: "fr" as const, question: "Printer offline", os: "Windows 11" };
const request = { requestId: "r1", portalId: "help", mode: "standard", customer };

function fresh(now = 0): ConsoleModel {
  const m = new ConsoleModel({ ...defaultTimings });
  m.applyState(
    { agent: { id: me, name: "Me", available: true, active: 0, max: 2 }, incoming: [], sessions: [] },
    now,
  );
  return m;
}

const ev = (e: Record<string, unknown>, at: number): ConsoleEvent =>
  ({ ...e, at }) as unknown as ConsoleEvent;

const raise = (m: ConsoleModel, at = 0, colour = "yellow", requestId = "r1") =>
  m.apply(
    ev(
      {
        type: "alert.raised",
        colour,
        agentIds: [me, other],
        requestId,
        displayMs: 30_000,
        request: { ...request, requestId },
      },
      at,
    ),
    at,
  );

const start = (m: ConsoleModel, at = 0, sessionId = "123456789") =>
  m.apply(
    ev({ type: "session.started", sessionId, requestId: "r1", portalId: "help", agentId: me, customer }, at),
    at,
  );

describe("incoming requests", () => {
  it("R-P3: a yellow alert adds the request to Incoming and pops up with Yes", () => {
    const m = fresh();
    const c = raise(m);
    expect(c.incoming && c.alerts).toBe(true);
    expect(m.incomingRows().map((r) => r.customer.name)).toEqual(["Chloé"]);
    const [alert] = m.visibleAlerts(1);
    expect(alert).toMatchObject({ key: "r1", colour: "yellow", action: "answer" });
  });

  it("R-P3: another agent's Yes withdraws the alert and the row at once", () => {
    const m = fresh();
    raise(m);
    m.apply(ev({ type: "request.answered", requestId: "r1", agentId: other, via: "alert" }, 5), 5);
    m.apply(ev({ type: "alert.withdrawn", agentIds: [me], requestId: "r1", reason: "answered" }, 5), 5);
    expect(m.visibleAlerts(6)).toEqual([]);
    expect(m.incoming.size).toBe(0);
  });

  it("R-P4: a SmartMatch request raises a green alert", () => {
    const m = fresh();
    raise(m, 0, "green");
    expect(m.visibleAlerts(0)[0]?.colour).toBe("green");
  });

  it("R-L3: an incoming request turns Attention then Warning", () => {
    const m = fresh();
    raise(m, 1_000);
    const row = m.incoming.get("r1")!;
    expect(m.clockOf(row, 1_000 + 59_999)).toBe("new");
    expect(m.clockOf(row, 1_000 + 60_000)).toBe("attention");
    expect(m.clockOf(row, 1_000 + 180_000)).toBe("warning");
  });

  it("R-L3: the clock counts down to the request's expiry, and thresholds come from preferences", () => {
    const m = fresh();
    m.timings = { ...m.timings, attentionMs: 10_000, warningMs: 20_000 };
    raise(m, 0);
    const row = m.incoming.get("r1")!;
    expect(m.countdownMs(row, 100_000)).toBe(900_000 - 100_000);
    expect(m.clockOf(row, 10_000)).toBe("attention");
    expect(m.clockOf(row, 20_000)).toBe("warning");
  });

  it("R-L3: the server's clock event is honoured when it is ahead of the local thresholds", () => {
    const m = fresh();
    raise(m, 0);
    m.apply(ev({ type: "request.clock", requestId: "r1", clock: "warning" }, 10), 10);
    expect(m.clockOf(m.incoming.get("r1")!, 10)).toBe("warning");
  });

  it("R-A8/R-L3: answering at the maximum leaves the row Queued until a slot frees", () => {
    const m = fresh();
    raise(m);
    m.apply(ev({ type: "request.answered", requestId: "r1", agentId: me, via: "alert", request }, 1), 1);
    m.apply(ev({ type: "request.queuedForAgent", requestId: "r1", agentId: me, position: 1 }, 1), 1);
    const row = m.incoming.get("r1")!;
    expect(m.clockOf(row, 500_000)).toBe("queued");
    expect(row.customer.name).toBe("Chloé");
    expect(m.visibleAlerts(2)).toEqual([]);
    m.apply(ev({ type: "request.started", requestId: "r1", sessionId: "123456789", agentId: me }, 9), 9);
    start(m, 9);
    expect(m.incoming.size).toBe(0);
    expect(m.sessions.size).toBe(1);
  });

  it("R-P5: a Queue offer shows with its own countdown and leaves when it moves on", () => {
    const m = fresh();
    m.apply(
      ev({ type: "offer.made", requestId: "r1", agentId: me, portalId: "q", timeoutMs: 30_000, request }, 0),
      0,
    );
    expect(m.visibleAlerts(1)[0]?.action).toBe("acceptOffer");
    expect(m.countdownMs(m.incoming.get("r1")!, 10_000)).toBe(20_000);
    m.apply(ev({ type: "offer.ended", requestId: "r1", agentId: me, reason: "timeout" }, 30_000), 30_000);
    expect(m.incoming.size).toBe(0);
    expect(m.alerts.size).toBe(0);
  });

  it("R-P9: the pop-up hides after the display time and a reminder shows it again", () => {
    const m = fresh();
    m.timings.alertDisplayMs = 30_000;
    raise(m, 0);
    expect(m.visibleAlerts(29_999)).toHaveLength(1);
    expect(m.visibleAlerts(30_000)).toHaveLength(0);
    expect(m.incoming.has("r1")).toBe(true);
    m.apply(ev({ type: "alert.reminded", requestId: "r1", agentIds: [me] }, 60_000), 60_000);
    const [a] = m.visibleAlerts(60_001);
    expect(a?.reminders).toBe(1);
  });

  it("R-L6: double-click in Incoming raises the alert again", () => {
    const m = fresh();
    raise(m, 0);
    expect(m.visibleAlerts(40_000)).toHaveLength(0);
    m.reraise("r1", 40_000);
    expect(m.visibleAlerts(40_001)).toHaveLength(1);
    expect(m.visibleAlerts(70_001)).toHaveLength(0);
  });

  it("R-P3: a request abandoned by the customer or expired leaves Incoming and its alert", () => {
    const m = fresh();
    raise(m, 0, "yellow", "r1");
    raise(m, 0, "yellow", "r2");
    m.select({ list: "incoming", key: "r1" });
    m.apply(ev({ type: "request.abandoned", requestId: "r1" }, 5), 5);
    m.apply(ev({ type: "request.expired", requestId: "r2" }, 6), 6);
    expect(m.incoming.size).toBe(0);
    expect(m.alerts.size).toBe(0);
    expect(m.selection).toBeNull();
  });

  it("R-L2: agent.state on connect fills Incoming with the server's clock and Queued position", () => {
    const m = new ConsoleModel();
    m.applyState(
      {
        agent: { id: me, name: "Me", available: true, active: 2, max: 2 },
        incoming: [{ ...request, postedAt: 100, clock: "attention", queuedPosition: 1 }],
        sessions: [],
      },
      1_000,
    );
    const row = m.incoming.get("r1")!;
    expect(row.postedAt).toBe(100);
    expect(m.clockOf(row, 1_000)).toBe("queued");
  });

  it("R-L1: hundreds of incoming requests stay ordered oldest first", () => {
    const m = fresh();
    for (let i = 0; i < 500; i++) raise(m, 1_000 - i, "yellow", `r${i}`);
    const rows = m.incomingRows();
    expect(rows).toHaveLength(500);
    expect(rows[0]?.key).toBe("r499");
  });
});

describe("current sessions and history", () => {
  it("R-L4: a started session shows its state and duration", () => {
    const m = fresh();
    start(m, 1_000);
    const s = m.sessions.get("123456789")!;
    expect(s.state).toBe("downloading");
    m.apply(
      ev({ type: "session.stateChanged", sessionId: s.sessionId, state: "sharingCustomerScreen" }, 2_000),
      2_000,
    );
    expect(s.state).toBe("sharingCustomerScreen");
    expect(m.durationMs(s, 61_000)).toBe(60_000);
  });

  it("R-L5: closing moves the session to history with its resolution; Details shows the whole record", () => {
    const m = fresh();
    start(m, 1_000);
    m.apply(
      ev(
        {
          type: "session.closed",
          sessionId: "123456789",
          by: me,
          resolution: "resolved",
          extra: "T-42",
          agentIds: [me],
          reason: "closed",
        },
        9_000,
      ),
      9_000,
    );
    expect(m.sessions.size).toBe(0);
    expect(m.history[0]).toMatchObject({
      sessionId: "123456789",
      resolution: "resolved",
      extra: "T-42",
      endedAt: 9_000,
    });
    m.select({ list: "history", key: "123456789" });
    expect(m.details()).toMatchObject({ resolution: "resolved", extra: "T-42", question: "Printer offline" });
  });
});

describe("chat tabs", () => {
  it("R-S1: the transcript lists chat both ways and the timer restarts at the agent's message", () => {
    const m = fresh();
    start(m, 0);
    const sid = "123456789";
    m.apply(
      ev({ type: "chat.posted", sessionId: sid, from: { kind: "customer" }, text: "hi", lineNo: 1 }, 1_000),
      1_000,
    );
    const s = m.sessions.get(sid)!;
    expect(m.replyTimer(s, 1_000)).toEqual({ ms: 1_000, colour: "green" });
    expect(m.replyTimer(s, 130_000).colour).toBe("amber");
    expect(m.replyTimer(s, 310_000).colour).toBe("red");
    m.apply(
      ev(
        {
          type: "chat.posted",
          sessionId: sid,
          from: { kind: "agent", agentId: me },
          text: "hello",
          lineNo: 2,
        },
        310_000,
      ),
      310_000,
    );
    expect(m.replyTimer(s, 311_000)).toEqual({ ms: 1_000, colour: "green" });
    expect(s.lines.map((l) => l.text)).toEqual(["hi", "hello"]);
  });

  it("R-S1: private notes are kept apart from the chat lines", () => {
    const m = fresh();
    start(m, 0);
    m.apply(ev({ type: "note.added", sessionId: "123456789", agentId: me, text: "VIP" }, 5), 5);
    const s = m.sessions.get("123456789")!;
    expect(s.notes.map((n) => n.text)).toEqual(["VIP"]);
    expect(s.lines).toEqual([]);
  });

  it("R-S3: a pushed URL is a line of the transcript", () => {
    const m = fresh();
    start(m, 0);
    m.apply(
      ev(
        { type: "url.pushed", sessionId: "123456789", agentId: me, url: "https://example.com", lineNo: 1 },
        5,
      ),
      5,
    );
    expect(m.sessions.get("123456789")!.lines[0]).toMatchObject({ kind: "url", text: "https://example.com" });
  });

  it("R-S6: a transfer is in the transcript; the taker gets the tab with the comments, the giver loses it", () => {
    const giver = fresh();
    start(giver, 0);
    const taker = new ConsoleModel();
    taker.applyState({ agent: { id: other, name: "Other" }, incoming: [], sessions: [] }, 0);
    const session = {
      sessionId: "123456789",
      portalId: "help",
      owner: me,
      customer,
      comments: "Printer offline",
    };
    const requested = ev(
      {
        type: "transfer.requested",
        sessionId: "123456789",
        from: me,
        to: { agentId: other },
        agentIds: [other],
        comments: "Printer offline — tried reboot",
      },
      10,
    );
    const alert = ev(
      {
        type: "alert.raised",
        colour: "orange",
        agentIds: [other],
        sessionId: "123456789",
        displayMs: 0,
        session,
      },
      10,
    );
    for (const m of [giver, taker]) {
      m.apply(requested, 10);
      m.apply(alert, 10);
    }
    expect(giver.sessions.get("123456789")!.lines.at(-1)).toMatchObject({ kind: "transfer" });
    expect(taker.incoming.get("s:123456789")).toMatchObject({ kind: "transfer", colour: "orange" });
    expect(taker.visibleAlerts(11)[0]).toMatchObject({ colour: "orange", action: "acceptTransfer" });
    const changed = ev(
      { type: "session.ownerChanged", sessionId: "123456789", from: me, to: other, reason: "transfer" },
      20,
    );
    giver.apply(changed, 20);
    taker.apply(changed, 20);
    expect(giver.sessions.size).toBe(0);
    expect(taker.sessions.get("123456789")?.owner).toBe(other);
    expect(taker.incoming.size).toBe(0);
  });

  it("R-S7/R-P8: a hidden invitation raises a blue alert; the invitee joins hidden and may leave (R-S5)", () => {
    const owner = fresh();
    start(owner, 0);
    const invitee = new ConsoleModel();
    invitee.applyState({ agent: { id: other, name: "Other" }, incoming: [], sessions: [] }, 0);
    const session = {
      sessionId: "123456789",
      portalId: "help",
      owner: me,
      customer,
      comments: "Printer offline",
    };
    invitee.apply(
      ev(
        {
          type: "alert.raised",
          colour: "blue",
          agentIds: [other],
          sessionId: "123456789",
          displayMs: 0,
          session,
        },
        5,
      ),
      5,
    );
    expect(invitee.visibleAlerts(6)[0]).toMatchObject({ colour: "blue", action: "acceptInvite" });
    expect(invitee.incoming.get("s:123456789")?.comments).toBe("Printer offline");
    const joined = ev(
      { type: "participant.joined", sessionId: "123456789", agentId: other, hidden: true },
      8,
    );
    owner.apply(joined, 8);
    invitee.apply(joined, 8);
    expect(owner.sessions.get("123456789")!.participants).toContainEqual({ agentId: other, hidden: true });
    const s = invitee.sessions.get("123456789")!;
    expect(invitee.mayLeave(s)).toBe(true);
    expect(owner.mayLeave(owner.sessions.get("123456789")!)).toBe(true);
    invitee.apply(ev({ type: "participant.left", sessionId: "123456789", agentId: other }, 9), 9);
    expect(invitee.sessions.size).toBe(0);
  });

  it("R-S7: a cancelled invitation leaves the invitee's Incoming at once", () => {
    const m = new ConsoleModel();
    m.applyState({ agent: { id: other, name: "Other" }, incoming: [], sessions: [] }, 0);
    const session = { sessionId: "123456789", portalId: "help", owner: me, customer, comments: "" };
    m.apply(
      ev(
        {
          type: "alert.raised",
          colour: "blue",
          agentIds: [other],
          sessionId: "123456789",
          displayMs: 0,
          session,
        },
        1,
      ),
      1,
    );
    m.apply(
      ev({ type: "alert.withdrawn", agentIds: [other], sessionId: "123456789", reason: "cancelled" }, 2),
      2,
    );
    expect(m.incoming.size).toBe(0);
    expect(m.visibleAlerts(3)).toEqual([]);
  });

  it("R-L1: a reconnect's agent.state keeps the open tabs' transcripts and start times", () => {
    const m = fresh();
    start(m, 1_000);
    m.apply(
      ev(
        { type: "chat.posted", sessionId: "123456789", from: { kind: "customer" }, text: "hi", lineNo: 1 },
        2_000,
      ),
      2_000,
    );
    m.applyState(
      {
        agent: { id: me, name: "Me", available: true, active: 1, max: 2 },
        incoming: [],
        sessions: [{ sessionId: "123456789", portalId: "help", owner: me, customer }],
      },
      90_000,
    );
    const s = m.sessions.get("123456789")!;
    expect(s.startedAt).toBe(1_000);
    expect(s.lines.map((l) => l.text)).toEqual(["hi"]);
  });

  it("R-S5: leave is not offered to an agent alone in the session", () => {
    const m = fresh();
    start(m, 0);
    expect(m.mayLeave(m.sessions.get("123456789")!)).toBe(false);
  });

  it("R-S2: a server transcript rebuilds the tab after a reconnect", () => {
    const m = fresh();
    m.names.set(me, "Me");
    start(m, 0);
    m.applyTranscript("123456789", [
      { lineNo: 1, at: 1, kind: "chat", author: "customer", text: "hi" },
      { lineNo: 2, at: 2, kind: "chat", author: "Me", text: "hello" },
      { lineNo: 0, at: 3, kind: "note", author: "Me", text: "secret" },
    ]);
    const s = m.sessions.get("123456789")!;
    expect(s.lines.map((l) => l.text)).toEqual(["hi", "hello"]);
    expect(s.notes.map((l) => l.text)).toEqual(["secret"]);
    expect(s.lastAgentMessageAt).toBe(2);
  });
});

describe("SmartCodes and the agent", () => {
  it("R-P6: a created code is listed with its remaining time until it is used, expires or is cancelled", () => {
    const m = fresh();
    m.apply(
      ev(
        {
          type: "code.created",
          code: "0480290",
          display: "048-0290",
          name: null,
          portalId: "phone",
          issuerId: me,
          quickUrl: "http://x/h/phone?Question=DR0480290",
          expiresAt: 1_200_000,
        },
        0,
      ),
      0,
    );
    const [code] = m.activeCodes(200_000);
    expect(code?.display).toBe("048-0290");
    expect(m.codeRemainingMs(code!, 200_000)).toBe(1_000_000);
    expect(m.activeCodes(1_200_000)).toEqual([]);
    m.apply(ev({ type: "code.converted", code: "0480290", requestId: "r9", issuerId: me }, 5), 5);
    expect(m.codes.size).toBe(0);
  });

  it("R-A6: availability and the not-available reminder reach the agent", () => {
    const m = fresh();
    m.apply(
      ev({ type: "agent.availabilityChanged", agentId: me, available: false, reason: "afterSession" }, 1),
      1,
    );
    expect(m.me.available).toBe(false);
    m.apply(ev({ type: "agent.reminded", agentId: me }, 2), 2);
    expect(m.me.remindedAt).toBe(2);
  });

  it("R-A7: the slot counters follow the floor", () => {
    const m = fresh();
    m.apply(ev({ type: "agent.slotGranted", agentId: me, requestId: "r1", active: 1, max: 8 }, 1), 1);
    expect(m.me).toMatchObject({ active: 1, max: 8 });
  });
});
