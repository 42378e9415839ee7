// R-D3 flow control on the host: bounded frames in flight, cumulative acknowledgements, key frames on request.
import { expect, test } from "vitest";
import { FrameFlow } from "./frameFlow.ts";

test("R-D3: the host keeps at most the configured frames in flight and starts with a key frame", () => {
  const flow = new FrameFlow({ framesInFlightMax: 2 });
  expect(flow.wantsKeyFrame()).toBe(true);
  flow.sent(1, true);
  expect(flow.wantsKeyFrame()).toBe(false);
  flow.sent(2, false);
  expect(flow.canSend()).toBe(false);
  flow.acked(2);
  expect(flow.framesInFlight()).toBe(0);
  expect(flow.canSend()).toBe(true);
  flow.requestKeyFrame();
  expect(flow.wantsKeyFrame()).toBe(true);
  flow.acked(99);
  expect(flow.framesInFlight()).toBe(0);
});

test("R-D3: large frames' acknowledgements, less the round trip, estimate the link; stalls do not lower it", () => {
  const flow = new FrameFlow({ framesInFlightMax: 4 });
  expect(flow.linkBitsPerSecond()).toBeUndefined();
  flow.sent(1, true, 1000, 0);
  flow.acked(1, 20); // small: a 20 ms round trip, no rate
  expect(flow.linkBitsPerSecond()).toBeUndefined();
  flow.sent(2, false, 1_000_000, 1000);
  flow.acked(2, 1120); // 8 Mbit in 120 − 20 ms
  expect(flow.linkBitsPerSecond()).toBe(80_000_000);
  flow.sent(3, false, 500_000, 2000);
  flow.acked(3, 2420); // a stall: 4 Mbit in 400 ms
  expect(flow.linkBitsPerSecond()).toBe(80_000_000);
  flow.acked(3, 9999); // already acknowledged
  for (let seq = 4; seq < 12; seq++) {
    flow.sent(seq, false, 250_000, seq * 1000);
    flow.acked(seq, seq * 1000 + 220); // the link slowed to 10 Mbit/s: the old fast samples age out
  }
  expect(flow.linkBitsPerSecond()).toBe(10_000_000);
});
