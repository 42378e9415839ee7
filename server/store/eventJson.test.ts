// An event's JSON is made once and kept out of sight: the event reads, copies and serialises as it did (R-D2).
import { describe, expect, it } from "vitest";
import { type RecordedEvent, SessionId } from "../../actors/index.ts";
import { eventJson } from "./eventJson.ts";

const chatLine = (): RecordedEvent =>
  ({
    type: "chat.posted",
    sessionId: SessionId("123456789"),
    from: { kind: "customer" },
    text: "hello",
    lineNo: 1,
    seq: 7,
    at: 1_000,
  }) as unknown as RecordedEvent;

describe("eventJson (R-D2)", () => {
  it("is JSON.stringify of the event, the same text at every call", () => {
    const e = chatLine();
    const first = eventJson(e);
    expect(first).toBe(JSON.stringify(chatLine()));
    expect(eventJson(e)).toBe(first);
  });

  it("leaves the event's keys, copies and own JSON as they were", () => {
    const e = chatLine();
    eventJson(e);
    expect(Object.keys(e)).toEqual(Object.keys(chatLine()));
    expect({ ...e }).toStrictEqual(chatLine());
    expect(JSON.stringify(e)).toBe(JSON.stringify(chatLine()));
  });
});
