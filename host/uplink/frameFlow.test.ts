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
