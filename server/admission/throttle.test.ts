// The throttle (R-D2): multiplicative decrease after a saturated window, additive increase otherwise, bounded.
import { describe, expect, test } from "vitest";
import { Throttle } from "./throttle.ts";

const options = {
  busyMax: 0.9,
  lagMinMs: 20,
  smoothingMs: 250,
  decrease: 0.5,
  increasePerS: 0.2,
  shareMin: 0.1,
  windowMs: 250,
};

describe("R-D2: the admission throttle", () => {
  test("a saturated window cuts the share by its factor, once per window, never below shareMin", () => {
    let busy = 0.95;
    const lag = 50;
    let now = 0;
    const t = new Throttle(options, { busy: () => busy, lagMs: () => lag }, () => now);
    expect(t.share()).toBe(1);
    now += 250;
    expect(t.share()).toBe(0.5);
    now += 100; // the same window: no second cut
    expect(t.share()).toBe(0.5);
    for (let i = 0; i < 10; i++) {
      now += 250;
      t.share();
    }
    expect(t.share()).toBe(0.1);
    busy = 0.5;
    now += 1_000; // a second of room gives back increasePerS
    expect(t.share()).toBeCloseTo(0.3);
    now += 10_000;
    expect(t.share()).toBe(1);
  });

  test("one busy window (a collection) among quiet ones is not saturation once the busy share is smoothed", () => {
    let busy = 0.3;
    const lag = 50;
    let now = 0;
    const t = new Throttle(
      { ...options, smoothingMs: 1_000 },
      { busy: () => busy, lagMs: () => lag },
      () => now,
    );
    for (let i = 0; i < 8; i++) {
      now += 250;
      busy = i === 4 ? 1 : 0.3;
      expect(t.share()).toBe(1);
    }
    busy = 1; // sustained: the smoothed share passes 0.9 within a few windows
    const windows = [1, 2, 3, 4, 5, 6, 7, 8].findIndex(() => {
      now += 250;
      return t.share() < 1;
    });
    expect(windows).toBeGreaterThan(0);
    expect(windows).toBeLessThan(8);
  });

  test("a loop at the ceiling exactly is not saturated", () => {
    let now = 0;
    const t = new Throttle(options, { busy: () => 0.9, lagMs: () => 100 }, () => now);
    now += 250;
    expect(t.share()).toBe(1);
  });

  test("a loop busy all the time but serving what waits within lagMinMs keeps the full share", () => {
    let lag = 12;
    let now = 0;
    const t = new Throttle(options, { busy: () => 0.99, lagMs: () => lag }, () => now);
    for (let i = 0; i < 20; i++) {
      now += 250;
      expect(t.share()).toBe(1);
    }
    lag = 80; // late as well: now it is saturated, once the smoothed lag passes lagMinMs
    now += 250;
    expect(t.share()).toBe(0.5);
  });
});
