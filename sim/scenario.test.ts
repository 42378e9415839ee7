// Scenario files are decoded with Effect Schema and checked across sections; a bad file names every problem and where.
import { expect, test } from "vitest";
import { decodeScenario, ScenarioError } from "./scenario.ts";

const good = {
  durationMin: 30,
  portals: [{ id: "desk", type: "smartBox", mode: "standard" }],
  agents: [{ id: "a", count: 2, portals: ["desk"], maxSessions: 2 }],
  arrivals: [{ portal: "desk", ratePerMin: 1 }],
};

const problems = (raw: unknown): string[] => {
  try {
    decodeScenario(raw, "bad.json");
  } catch (err) {
    expect(err).toBeInstanceOf(ScenarioError);
    expect((err as Error).message).toMatch(/^bad\.json: invalid scenario/);
    return (err as ScenarioError).problems;
  }
  throw new Error("expected the scenario to be refused");
};

test("a good file decodes with its defaults filled in and groups expanded", () => {
  const s = decodeScenario(good, "good.json");
  expect(s.name).toBe("good");
  expect(s.agents.map((a) => a.id)).toEqual(["a1", "a2"]);
  expect(s.portals[0]!.members).toEqual(["a1", "a2"]);
  expect(s.durationMs).toBe(1_800_000);
  expect(s.faults.duplicateP).toBe(0);
});

test("R-A7: a maximum outside 1–8 is refused", () => {
  const found = problems({ ...good, agents: [{ id: "a", maxSessions: 9 }] });
  expect(found.join("\n")).toMatch(/between 1 and 8.*\["agents"\]\[0\]\["maxSessions"\]/);
});

test("R-P2: a mode paired with another portal type is refused with the floor's own message", () => {
  const found = problems({ ...good, portals: [{ id: "desk", type: "smartButton", mode: "queue" }] });
  expect(found).toEqual([
    expect.stringMatching(/mode queue accepts only smartBox, not smartButton \(R-P2\)/),
  ]);
});

test("every problem is listed: unknown references, typos, bad probabilities, shifts backwards", () => {
  const found = problems({
    ...good,
    agents: [
      { id: "a", portals: ["nowhere"], shifts: [{ loginMin: 10, logoutMin: 5 }], offers: { declineP: 2 } },
    ],
    arrivals: [{ portal: "desk", ratPerMin: 1 }],
  });
  const text = found.join("\n");
  expect(text).toMatch(/declineP/);
  expect(text).toMatch(/ratPerMin/);
  expect(found.length).toBeGreaterThanOrEqual(2);
  const semantic = problems({
    ...good,
    agents: [{ id: "a", portals: ["nowhere"], shifts: [{ loginMin: 10, logoutMin: 5 }] }],
  });
  expect(semantic).toEqual(
    expect.arrayContaining([
      "agents[0].portals: no portal nowhere",
      "agents[0].shifts[0]: logoutMin must be after loginMin",
    ]),
  );
});

test("a distribution must be one of the named shapes", () => {
  const found = problems({ ...good, agents: [{ id: "a", answerDelaySec: { gauss: 3 } }] });
  expect(found.join("\n")).toMatch(/answerDelaySec/);
});
