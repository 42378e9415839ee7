// The gateway's pre-built text frames read back by ws's own receiver, at every length encoding (R-D2, issue 6).
import type { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import * as ws from "ws";
import { textFrame } from "./textFrame.ts";

// ws exports its frame parser, but its type declarations do not.
const { Receiver } = ws as unknown as { Receiver: new (options: { isServer: boolean }) => Writable };

function readBack(frame: Buffer): Promise<{ text: string; isBinary: boolean }> {
  return new Promise((resolve, reject) => {
    const receiver = new Receiver({ isServer: false });
    receiver.on("message", (data: Buffer, isBinary: boolean) => resolve({ text: data.toString(), isBinary }));
    receiver.on("error", reject);
    receiver.write(frame);
  });
}

describe("textFrame (R-D2)", () => {
  for (const length of [0, 1, 125, 126, 127, 65_535, 65_536, 200_000]) {
    it(`frames ${length} bytes of text as ws reads them`, async () => {
      const text = "x".repeat(length);
      expect(await readBack(textFrame(text))).toEqual({ text, isBinary: false });
    });
  }

  it("counts UTF-8 bytes, not characters, in the length", async () => {
    const text = "é".repeat(100); // 100 characters, 200 bytes: the 16-bit length form
    const frame = textFrame(text);
    expect(frame.length).toBe(4 + 200);
    expect(await readBack(frame)).toEqual({ text, isBinary: false });
  });
});
