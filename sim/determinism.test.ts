// Same seed, same commit, same trace hash — in this thread or on worker threads; another seed, another trace.
import { expect, test } from "vitest";
import { runMany } from "./pool.ts";
import { runSeed } from "./run.ts";
import { loadScenario } from "./scenario.ts";
import { swarmScenario } from "./swarm.ts";

const scenario = loadScenario("sim/scenarios/phone.json");

test("R-D1: the same seed gives the same trace hash and the same figures", () => {
  const a = runSeed(scenario, 42);
  const b = runSeed(scenario, 42);
  expect(a.traceHash).toMatch(/^[0-9a-f]{64}$/);
  expect(b.traceHash).toBe(a.traceHash);
  expect(b.events).toBe(a.events);
  expect(b.requests).toEqual(a.requests);
  expect(runSeed(scenario, 43).traceHash).not.toBe(a.traceHash);
});

test("R-D1: a swarm seed draws the same floor every time", () => {
  const base = loadScenario("sim/scenarios/swarm.json");
  expect(swarmScenario(base, 9)).toEqual(swarmScenario(base, 9));
  expect(swarmScenario(base, 10)).not.toEqual(swarmScenario(base, 9));
});

test("R-D1: worker threads give the same hashes as this thread", async () => {
  const job = { scenario, file: "sim/scenarios/phone.json", swarm: false, seeds: [3, 4] };
  const here = await runMany(job, () => {}, 1);
  const there = await runMany(job, () => {}, 2);
  const hashes = (rs: typeof here) => Object.fromEntries(rs.map((r) => [r.seed, r.traceHash]));
  expect(hashes(there)).toEqual(hashes(here));
});
