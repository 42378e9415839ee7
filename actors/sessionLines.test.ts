// Lines of a session (R-S1, R-S2), taken by the floor beside the session's state machine: numbering per session,
// refusals that cost no number, the end of a session's numbering, and the order of lines written by listeners.
import { describe, expect, test } from "vitest";
import { AgentId, PortalId, type RequestId, type SessionId } from "./ids.ts";
import { customer, testFloor } from "./testing.ts";

const ann = AgentId("ann");
const help = PortalId("help");

function floorWithSessions(count: number) {
  const f = testFloor({
    agents: [{ id: "ann" }],
    portals: [{ id: "help", type: "smartBox", mode: "standard", members: ["ann"] }],
    options: { alertReminderMs: 1_000 },
  });
  const sessionIds: SessionId[] = [];
  for (let i = 0; i < count; i++) {
    const posted = f.floor.dispatch({ type: "request.post", portalId: help, customer: customer(`c${i}`) });
    const requestId = posted.events.find((e) => e.type === "request.posted")!.requestId as RequestId;
    const answered = f.floor.dispatch({ type: "request.answer", agentId: ann, requestId });
    sessionIds.push(answered.events.find((e) => e.type === "session.started")!.sessionId as SessionId);
  }
  const chat = (sessionId: SessionId, text: string) =>
    f.floor.dispatch({ type: "session.chat", sessionId, from: { kind: "customer" }, text });
  return { ...f, sessionIds, chat };
}

describe("R-S2 session lines", () => {
  test("R-S2: each session numbers its own lines; notes take no number", () => {
    const f = floorWithSessions(2);
    const [one, two] = f.sessionIds as [SessionId, SessionId];
    f.chat(one, "a");
    f.chat(two, "b");
    f.floor.dispatch({ type: "session.note", sessionId: one, agentId: ann, text: "private" });
    f.floor.dispatch({ type: "session.pushUrl", sessionId: one, agentId: ann, url: "https://example.test" });
    f.chat(two, "c");
    expect(f.ofType("chat.posted").map((e) => [e.sessionId, e.lineNo])).toEqual([
      [one, 1],
      [two, 1],
      [two, 2],
    ]);
    expect(f.ofType("url.pushed")).toMatchObject([{ sessionId: one, lineNo: 2 }]);
    expect(f.ofType("note.added")).toMatchObject([{ sessionId: one, text: "private" }]);
  });

  test("R-S1: a refused line takes no number, and its rejection names the session and the reason", () => {
    const f = floorWithSessions(1);
    const [one] = f.sessionIds as [SessionId];
    const refused = f.floor.dispatch({
      type: "session.chat",
      sessionId: one,
      from: { kind: "agent", agentId: AgentId("bob") },
      text: "not mine",
      commandId: "c-1",
    });
    expect(refused).toMatchObject({
      ok: false,
      rejection: {
        command: "session.chat",
        commandId: "c-1",
        reason: "notParticipant",
        detail: `session ${one}: agent bob is not in the session`,
      },
    });
    f.floor.dispatch({ type: "session.customerLeft", sessionId: one });
    expect(f.chat(one, "still here?")).toMatchObject({ ok: false, rejection: { reason: "notParticipant" } });
    f.floor.dispatch({
      type: "session.chat",
      sessionId: one,
      from: { kind: "agent", agentId: ann },
      text: "bye",
    });
    expect(f.ofType("chat.posted").map((e) => e.lineNo)).toEqual([1]);
  });

  test("R-S2: a closed session takes no more lines; the floor keeps no numbering for it", () => {
    const f = floorWithSessions(1);
    const [one] = f.sessionIds as [SessionId];
    f.chat(one, "a");
    f.floor.dispatch({ type: "session.close", sessionId: one, agentId: ann, resolution: "resolved" });
    expect(f.chat(one, "late")).toMatchObject({
      ok: false,
      rejection: { reason: "unknownSession", detail: `no open session ${one}` },
    });
    const lines = (f.floor as unknown as { lines: { open: Map<SessionId, unknown> } }).lines;
    expect(lines.open.size).toBe(0);
  });

  test("R-S2: a line written while a timer's event is told follows that event, numbered and in seq order", () => {
    const f = floorWithSessions(1);
    const [one] = f.sessionIds as [SessionId];
    // A second request alerts ann; its reminder is an event no command caused.
    f.floor.dispatch({ type: "request.post", portalId: help, customer: customer("waiting") });
    f.floor.subscribe((e) => {
      if (e.type === "alert.reminded") f.chat(one, "one moment please");
    });
    f.clock.increment(1_000);
    const reminded = f.log.findIndex((e) => e.type === "alert.reminded");
    expect(reminded).toBeGreaterThan(-1);
    const line = f.log.findIndex((e) => e.type === "chat.posted");
    expect(line).toBeGreaterThan(reminded);
    expect(f.log[line]).toMatchObject({ sessionId: one, lineNo: 1, text: "one moment please" });
    const seqs = f.log.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });
});
