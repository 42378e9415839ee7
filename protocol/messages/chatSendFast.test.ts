import * as Result from "effect/Result";
import * as Schema from "effect/Schema";
import { describe, expect, it } from "vitest";
import { chatSendFast } from "./chatSendFast.ts";
import { clientMessages } from "./client.ts";

const schema = Schema.decodeUnknownResult(clientMessages["chat.send"]);
const base = { type: "chat.send", sessionId: "123456789", text: "hello" };
const cases: Record<string, unknown>[] = [
  base,
  { ...base, ref: "r1" },
  { ...base, ref: "x".repeat(64) },
  { ...base, ref: "x".repeat(65) },
  { ...base, ref: 7 },
  { ...base, ref: null },
  { ...base, text: "" },
  { ...base, text: "é".repeat(4000) },
  { ...base, text: "x".repeat(4001) },
  { ...base, text: "😀".repeat(2000) },
  { ...base, text: "😀".repeat(2001) },
  { ...base, text: 5 },
  { ...base, sessionId: "12345678" },
  { ...base, sessionId: "1234567890" },
  { ...base, sessionId: "12345678a" },
  { ...base, sessionId: "123456789\n" },
  { ...base, sessionId: 123456789 },
  { ...base, extra: 1 },
  JSON.parse('{"type":"chat.send","sessionId":"123456789","text":"hi","__proto__":{"x":1}}'),
  { type: "chat.send", sessionId: "123456789" },
  { type: "chat.send", text: "hi" },
  { ...base, type: "note.add" },
];

describe("chatSendFast", () => {
  it("takes only what the schema takes, and as the schema gives it", () => {
    for (const raw of cases) {
      const fast = chatSendFast(raw);
      if (fast === undefined) continue;
      const decoded = schema(raw);
      expect(Result.isSuccess(decoded), JSON.stringify(raw)).toBe(true);
      expect(fast).toEqual((decoded as Result.Success<unknown, unknown>).success);
    }
  });

  it("takes the well-formed messages the clients send", () => {
    expect(chatSendFast(base)).toBe(base);
    expect(chatSendFast({ ...base, ref: "r1" })).toBeDefined();
    expect(chatSendFast({ ...base, text: "😀".repeat(2000) })).toBeDefined();
  });
});
