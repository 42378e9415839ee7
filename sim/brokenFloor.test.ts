// Whole runs against deliberately broken floors: the checkers catch each break and hand back the seed and the command
// that reproduces it.
import { expect, test } from "vitest";
import { type AgentId, Floor, type FloorListener } from "../actors/index.ts";
import { reproduceCommand, runSeed } from "./run.ts";
import { loadScenario } from "./scenario.ts";

const file = "sim/scenarios/standard.json";
const scenario = loadScenario(file);
const reproduce = (seed: number) => reproduceCommand(file, seed, false);

/** Loses the "answered" withdrawals on the way out: the other agents' pop-ups stay up. */
class DropsWithdrawals extends Floor {
  override subscribe(listener: FloorListener): () => void {
    return super.subscribe((e) => {
      if (e.type === "alert.withdrawn" && e.reason === "answered") return;
      listener(e);
    });
  }
}

/** Tells the world that a second alerted agent answered too: two owners of one request. */
class AnswersTwice extends Floor {
  private readonly alerted = new Map<string, AgentId[]>();
  override subscribe(listener: FloorListener): () => void {
    return super.subscribe((e) => {
      listener(e);
      if (e.type === "alert.raised" && e.requestId) this.alerted.set(e.requestId, e.agentIds);
      if (e.type === "request.answered" && e.via === "alert") {
        const other = this.alerted.get(e.requestId)?.find((a) => a !== e.agentId);
        if (other) listener({ ...e, agentId: other });
      }
    });
  }
}

/** Forgets to report freed slots: the events then say agents hold more than they do. */
class KeepsSlots extends Floor {
  override subscribe(listener: FloorListener): () => void {
    return super.subscribe((e) => {
      if (e.type !== "agent.slotReleased") listener(e);
    });
  }
}

test("R-P3: a floor that drops the withdrawal after first-answer-wins is caught, with a reproducing seed", () => {
  const r = runSeed(scenario, 5, { makeFloor: (s) => new DropsWithdrawals(s), reproduce });
  const found = r.violations.filter((v) => v.checker === "withdrawal");
  expect(found.length).toBeGreaterThan(0);
  expect(found[0]).toMatchObject({
    rule: "R-P3",
    seed: 5,
    reproduce: "npm run sim -- sim/scenarios/standard.json --seed 5",
  });
  expect(found[0]!.message).toMatch(/was answered by .*, the alert of .* was not withdrawn/);
  expect(found[0]!.seq).toBeGreaterThan(0);
});

test("R-P3: a floor that answers a request twice is caught as two owners", () => {
  const r = runSeed(scenario, 6, { makeFloor: (s) => new AnswersTwice(s), reproduce });
  const found = r.violations.filter((v) => v.checker === "singleOwner");
  expect(found.length).toBeGreaterThan(0);
  expect(found[0]).toMatchObject({ rule: "R-P3", seed: 6, reproduce: reproduce(6) });
  expect(found[0]!.message).toMatch(/answered by .* while .* already owns it/);
});

test("R-A7: a floor whose slot events disagree with its agents is caught", () => {
  const r = runSeed(scenario, 7, { makeFloor: (s) => new KeepsSlots(s), reproduce });
  const found = r.violations.filter((v) => v.checker === "capacity");
  expect(found.length).toBeGreaterThan(0);
  expect(found[0]).toMatchObject({ rule: "R-A7", seed: 7 });
});

test("an honest floor on the same seeds passes", () => {
  for (const seed of [5, 6, 7]) expect(runSeed(scenario, seed).violations).toEqual([]);
});
