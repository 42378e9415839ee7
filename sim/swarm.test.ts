// A swarm of seeds, each drawing its own floor and faults within swarm.json's bounds, passes every checker.
import { expect, test } from "vitest";
import { runJobSeed } from "./pool.ts";
import { loadScenario } from "./scenario.ts";

test("R-D2: 50 swarm seeds pass with zero violations", () => {
  const job = {
    scenario: loadScenario("sim/scenarios/swarm.json"),
    file: "sim/scenarios/swarm.json",
    swarm: true,
  };
  const failures = [];
  for (let seed = 1000; seed < 1050; seed++) {
    const r = runJobSeed(job, seed, false);
    if (r.violations.length > 0) failures.push(r.violations[0]);
  }
  expect(failures).toEqual([]);
});
