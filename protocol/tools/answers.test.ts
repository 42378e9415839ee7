// The asking side of the tools protocol's refs (R-T1–T5 run over it): each request settles once, with the ack's data
// or a ToolRefused; a dropped connection fails whatever still waits; refusal closes are final.
import { describe, expect, test } from "vitest";
import { isFinalToolClose, PendingAnswers, ToolRefused } from "./answers.ts";
import { toolCloseCodes } from "./errors.ts";

describe("R-T1–T5: the tools protocol's answers to refs", () => {
  test("an ack settles its own request with its data, an error rejects with the server's reason", async () => {
    const pending = new PendingAnswers("t");
    const a = pending.open();
    const b = pending.open();
    expect(a.ref).not.toBe(b.ref);
    expect(pending.settle({ type: "tools.error", ref: b.ref, reason: "NotGranted", message: "no" })).toBe(
      true,
    );
    expect(pending.settle({ type: "tools.ack", ref: a.ref, data: { id: 7 } })).toBe(true);
    expect(await a.answer).toEqual({ id: 7 });
    const refusal = await b.answer.catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(ToolRefused);
    expect((refusal as ToolRefused).reason).toBe("NotGranted");
    // Answered once: a repeated or unknown ref, or any other message, is not ours to settle.
    expect(pending.settle({ type: "tools.ack", ref: a.ref })).toBe(false);
    expect(pending.settle({ type: "tools.ack", ref: "t99" })).toBe(false);
    expect(pending.settle({ type: "tools.ack" })).toBe(false);
  });

  test("a dropped connection rejects every request still waiting with Disconnected, and only those", async () => {
    const pending = new PendingAnswers("c");
    const done = pending.open();
    pending.settle({ type: "tools.ack", ref: done.ref });
    const waiting = [pending.open(), pending.open()];
    pending.dropAll();
    for (const w of waiting)
      expect(((await w.answer.catch((e: unknown) => e)) as ToolRefused).reason).toBe("Disconnected");
    expect(await done.answer).toEqual({});
    expect(pending.settle({ type: "tools.ack", ref: waiting[0]!.ref })).toBe(false);
  });

  test("the closes the server uses for refusals and the session's end are final, others are not", () => {
    for (const code of Object.values(toolCloseCodes))
      if (code !== null) expect(isFinalToolClose(code)).toBe(true);
    for (const code of [1000, 1001, 1006, 1011, 1013]) expect(isFinalToolClose(code)).toBe(false);
  });
});
