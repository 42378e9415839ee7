import { createHash, randomBytes } from "node:crypto";
import { expect, test } from "vitest";
import { Sha256 } from "./sha256.ts";

test("incremental SHA-256 matches node:crypto for every length around the block edges and odd splits", () => {
  for (const len of [0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 1000, 100_003]) {
    const data = randomBytes(len);
    const want = createHash("sha256").update(data).digest("hex");
    expect(new Sha256().update(data).hex()).toBe(want);
    const h = new Sha256();
    for (let at = 0; at < len; at += 37) h.update(data.subarray(at, Math.min(len, at + 37)));
    expect(h.hex()).toBe(want);
  }
});
