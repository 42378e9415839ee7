// Every example scenario runs clean: no violation, no request lost, for a few seeds each.
import { readdirSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { runSeed } from "./run.ts";
import { loadScenario } from "./scenario.ts";

const files = readdirSync("sim/scenarios").filter((f) => f.endsWith(".json"));

test("there is an example for every mode", () => {
  const modes = new Set(
    files.flatMap((f) => loadScenario(`sim/scenarios/${f}`).portals.map((p) => `${p.mode}/${p.type}`)),
  );
  for (const m of [
    "standard/smartBox",
    "standard/smartButton",
    "standard/smartMatch",
    "queue/smartBox",
    "phone/smartCode",
  ])
    expect(modes).toContain(m);
});

describe.each(files)("%s", (file) => {
  const scenario = loadScenario(`sim/scenarios/${file}`);
  test.each([1, 2])("R-D2: seed %i passes every checker and loses no request", (seed) => {
    const r = runSeed(scenario, seed);
    expect(r.violations).toEqual([]);
    expect(r.requests.posted).toBeGreaterThan(0);
    expect(r.requests.lost).toBe(0);
    expect(r.requests.started + r.requests.abandoned + r.requests.expired).toBe(r.requests.posted);
  });
});
