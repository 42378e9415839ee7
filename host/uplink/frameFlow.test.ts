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

test("R-D3: large frames' acknowledgements estimate the link; small ones and stale acks do not", () => {
  const flow = new FrameFlow({ framesInFlightMax: 4 });
  expect(flow.linkBitsPerSecond()).toBeUndefined();
  flow.sent(1, true, 1000, 0);
  flow.acked(1, 500); // small: round trip, not rate
  expect(flow.linkBitsPerSecond()).toBeUndefined();
  flow.sent(2, false, 1_000_000, 1000);
  flow.acked(2, 1100); // 8 Mbit in 100 ms
  expect(flow.linkBitsPerSecond()).toBe(80_000_000);
  flow.sent(3, false, 500_000, 2000);
  flow.acked(3, 2400); // 4 Mbit in 400 ms: 10 Mbit/s, averaged in
  expect(flow.linkBitsPerSecond()).toBe(45_000_000);
  flow.acked(3, 9999); // already acknowledged
  expect(flow.linkBitsPerSecond()).toBe(45_000_000);
});
