// The control policy on a fake clock: view-only blocks, pause blocks, and the owner's own motion blocks until it has been quiet (R-S8).
import { describe, expect, it } from "vitest";
import { ControlPolicy } from "./controlPolicy.ts";

const clock = () => {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
};

describe("ControlPolicy", () => {
  it("R-S8: view only never applies remote input; shared control does", () => {
    const policy = new ControlPolicy({ now: clock().now });
    expect(policy.decide()).toEqual({ apply: false, reason: "view-only" });
    policy.setLevel("shared-control");
    expect(policy.decide()).toEqual({ apply: true });
    policy.setLevel("view-only");
    expect(policy.decide()).toEqual({ apply: false, reason: "view-only" });
  });

  it("R-S8: either side's pause holds remote input until resumed", () => {
    const policy = new ControlPolicy({ level: "shared-control", now: clock().now });
    policy.pause();
    expect(policy.decide()).toEqual({ apply: false, reason: "paused" });
    policy.resume();
    expect(policy.decide().apply).toBe(true);
  });

  it("R-S8: the owner's mouse wins until it has been still for localInputQuietMs", () => {
    const c = clock();
    const policy = new ControlPolicy({ level: "shared-control", localInputQuietMs: 500, now: c.now });
    policy.noteLocalInput();
    expect(policy.decide()).toEqual({ apply: false, reason: "owner-active" });
    c.advance(300);
    policy.noteLocalInput(); // still moving: the quiet period starts again
    c.advance(499);
    expect(policy.decide().apply).toBe(false);
    c.advance(1);
    expect(policy.decide()).toEqual({ apply: true });
  });
});
