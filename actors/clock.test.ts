// The simulated clock fires timers in (time, creation) order and skips cancelled ones.
import { expect, test } from "vitest";
import { SimClock } from "./clock.ts";
import { requestClock } from "./requestClock.ts";

test("SimClock fires due timers in order, skips cancelled ones, and reports the next due time", () => {
  const clock = new SimClock(0);
  const fired: string[] = [];
  clock.setTimeout(() => fired.push("b"), 20);
  const cancelled = clock.setTimeout(() => fired.push("x"), 10);
  clock.setTimeout(() => fired.push("a"), 10);
  clock.setTimeout(() => fired.push("c"), 20);
  clock.clearTimeout(cancelled);
  expect(clock.nextDueAt()).toBe(10);
  clock.advanceTo(15);
  expect(fired).toEqual(["a"]);
  clock.advanceTo(100);
  expect(fired).toEqual(["a", "b", "c"]);
  expect(clock.now()).toBe(100);
  expect(clock.pendingTimers()).toBe(0);
  expect(clock.nextDueAt()).toBeUndefined();
});

test("R-L3: the Incoming clock state from the two thresholds, and Queued first", () => {
  const o = { requestAttentionMs: 60_000, requestWarningMs: 180_000 };
  expect(requestClock(59_999, false, o)).toBe("new");
  expect(requestClock(60_000, false, o)).toBe("attention");
  expect(requestClock(180_000, false, o)).toBe("warning");
  expect(requestClock(1, true, o)).toBe("queued");
});
