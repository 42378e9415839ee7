// The summary a person reads ends with PASS or with the violations and the command that reproduces the first one.
import { expect, test } from "vitest";
import { humanReport, summarise } from "./report.ts";
import type { RunResult } from "./run.ts";

const result = (seed: number, violations: RunResult["violations"] = []): RunResult => ({
  seed,
  scenario: "queue",
  traceHash: `${seed}`.padStart(64, "0"),
  events: 100,
  violations,
  requests: { posted: 10, answered: 9, started: 8, abandoned: 1, expired: 1, lost: 0 },
  waitsSec: [1, 2, 3, 4, 100],
  agents: [{ agentId: "ann", max: 2, peak: 2, utilisation: 0.5, loggedInMin: 60 }],
  counts: {},
  rejections: {},
  simulatedMs: 3_600_000,
  arrivalsEndMs: 3_000_000,
  endOfDayMs: 3_600_000,
  realMs: 10,
});

test("a failing seed is reported with its rule, event, time and the command that reproduces it", () => {
  const violation = {
    checker: "queueFifo",
    rule: "R-P5",
    message: "request r7 offered before the older r3",
    seq: 42,
    at: 61_500,
    seed: 8,
    reproduce: "npm run sim -- sim/scenarios/queue.json --seed 8",
  };
  const s = summarise([result(7), result(8, [violation])], {
    file: "sim/scenarios/queue.json",
    swarm: false,
    wallMs: 20,
  });
  expect(s).toMatchObject({
    seeds: [7, 8],
    passed: false,
    requests: { posted: 20, lost: 0 },
    agents: { maxConcurrentPeak: 2 },
  });
  expect(s.waitSeconds).toEqual({ p50: 3, p95: 100, max: 100 });
  expect(s.traceHash).toMatch(/^[0-9a-f]{64}$/);
  const text = humanReport(s);
  expect(text).toContain("seed=8 traceHash=");
  expect(text).toContain(
    "[R-P5 queueFifo] seed 8 event #42 at 0:01:01.500: request r7 offered before the older r3",
  );
  expect(text.trimEnd().split("\n").at(-1)).toBe(
    "reproduce: npm run sim -- sim/scenarios/queue.json --seed 8",
  );
});

test("a passing run ends with PASS and prints its trace hash", () => {
  const text = humanReport(summarise([result(3)], { file: "f.json", swarm: false, wallMs: 5 }));
  expect(text).toContain(`traceHash=${"3".padStart(64, "0")}`);
  expect(text.split("\n").at(-1)).toBe("PASS: 1 seed, 0 violations");
});
