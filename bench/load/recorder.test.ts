// The load run's checks: a failure keeps what it saw, so a single failed check in a long run can be explained (R-D2).
import { expect, test } from "vitest";
import { Recorder } from "./recorder.ts";

test("R-D2: a failed check keeps the first failures' reasons, across the workers' recorders", () => {
  const worker = new Recorder();
  worker.check("agent command acknowledged", true);
  for (let i = 0; i < 7; i++)
    worker.check("agent command acknowledged", false, `close: Rejected notOwner #${i}`);
  const coordinator = new Recorder();
  coordinator.check("agent command acknowledged", false, "chat: RateLimited");
  coordinator.merge(worker.export());
  const t = coordinator.tally().byName["agent command acknowledged"]!;
  expect(t).toMatchObject({ passed: 1, failed: 8 });
  expect(t.failures).toEqual([
    "chat: RateLimited",
    "close: Rejected notOwner #0",
    "close: Rejected notOwner #1",
    "close: Rejected notOwner #2",
    "close: Rejected notOwner #3",
  ]);
});
