// The command line end to end: seed first, a readable summary or one JSON document, a plot, and exit codes.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";

const dir = mkdtempSync(join(tmpdir(), "sim-cli-"));
const sim = (...args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", "sim/cli.ts", ...args], {
    encoding: "utf8",
    timeout: 60_000,
  });

test("a human run prints seed= first, a summary, the trace hash, PASS, and writes the plot", () => {
  const plot = join(dir, "phone.svg");
  const r = sim("sim/scenarios/phone.json", "--seed", "3", "--plot", plot);
  expect(r.status).toBe(0);
  const lines = r.stdout.trim().split("\n");
  expect(lines[0]).toBe("seed=3");
  expect(r.stdout).toMatch(/requests {2}posted \d+ {2}answered \d+ .* lost 0/);
  expect(r.stdout).toMatch(/waits {5}p50 [\d.]+ s {2}p95 [\d.]+ s {2}max [\d.]+ s/);
  expect(r.stdout).toMatch(/traceHash=[0-9a-f]{64}/);
  expect(r.stdout).toMatch(/PASS: 1 seed, 0 violations/);
  expect(readFileSync(plot, "utf8")).toMatch(
    /^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"[\s\S]*<\/svg>$/,
  );
});

test("--json prints one JSON document on stdout (seed= on stderr) with the documented fields", () => {
  const r = sim("sim/scenarios/phone.json", "--seed", "3", "--json");
  expect(r.status).toBe(0);
  expect(r.stderr).toMatch(/^seed=3\n/);
  const doc = JSON.parse(r.stdout);
  expect(doc).toMatchObject({
    seeds: [3],
    passed: true,
    violations: [],
    requests: { lost: 0 },
    agents: { maxConcurrentPeak: expect.any(Number) },
    waitSeconds: { p50: expect.any(Number), p95: expect.any(Number), max: expect.any(Number) },
    traceHash: expect.stringMatching(/^[0-9a-f]{64}$/),
  });
  for (const k of ["posted", "answered", "abandoned", "expired"])
    expect(doc.requests[k]).toEqual(expect.any(Number));
});

test("a bad scenario file exits 2 naming each problem", () => {
  const bad = join(dir, "bad.json");
  writeFileSync(
    bad,
    JSON.stringify({
      durationMin: 10,
      portals: [{ id: "q", type: "smartButton", mode: "queue" }],
      agents: [],
      arrivals: [],
    }),
  );
  const r = sim(bad, "--seed", "1");
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/bad\.json: invalid scenario/);
  expect(r.stderr).toMatch(/mode queue accepts only smartBox, not smartButton \(R-P2\)/);
});
