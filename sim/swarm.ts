// Swarm testing: one seed draws a whole floor — agent count, maxima, portals and modes, rates, habits, floor options
// and which faults are on and how hard — within the bounds of the scenario file's `swarm` section.
import {
  type AgentId,
  AgentId as agentId,
  type FloorOptions,
  type Mode,
  type PortalType,
  PortalId as portalId,
  SeededRandom,
} from "../actors/index.ts";
import type { AgentSpec, ArrivalSpec, FaultSpec, PortalSpec, Scenario } from "./scenario.ts";

const kinds: Array<[PortalType, Mode]> = [
  ["smartButton", "standard"],
  ["smartBox", "standard"],
  ["smartMatch", "standard"],
  ["smartBox", "queue"],
  ["smartCode", "phone"],
];

/** Draws a scenario from the seed; the world then runs it with the same seed. */
export function swarmScenario(base: Scenario, seed: number): Scenario {
  // A different stream from the world's, so the scenario and the run do not mirror each other's draws.
  const rng = new SeededRandom((seed ^ 0x5eed5a11) >>> 0);
  const b = base.swarm;
  const durationMin = between(rng, b.durationMin);
  const durationMs = Math.round(durationMin * 60_000);
  const ids = Array.from({ length: rng.int(b.agents[0], Math.max(b.agents[0], b.agents[1])) }, (_, i) =>
    agentId(`s${i + 1}`),
  );
  const portals = drawPortals(rng, ids, rng.int(b.portals[0], Math.max(b.portals[0], b.portals[1])));
  const agents = ids.map((id) => drawAgent(rng, id, portals, durationMs));
  return {
    name: `${base.name}#${seed}`,
    description: `swarm draw of seed ${seed}`,
    durationMs,
    drainMs: 30 * 60_000,
    floor: drawFloor(rng),
    portals,
    agents,
    arrivals: portals.map((p) => drawArrival(rng, p, durationMs, b.ratePerMin)),
    faults: drawFaults(rng),
    swarm: b,
  };
}

const between = (rng: SeededRandom, [lo, hi]: readonly [number, number]) => lo + rng.next() * (hi - lo);
/** Swarm testing's key move: each knob is either off or drawn somewhere in its range. */
const maybe = (rng: SeededRandom, max: number) => (rng.chance(0.5) ? rng.next() * max : 0);

function drawPortals(rng: SeededRandom, ids: AgentId[], n: number): PortalSpec[] {
  return Array.from({ length: n }, (_, i) => {
    const [type, mode] = rng.pick(kinds);
    const share = 0.3 + 0.7 * rng.next();
    const members = ids.filter(() => rng.chance(share));
    if (members.length === 0) members.push(rng.pick(ids));
    return { id: portalId(`p${i + 1}`), type, mode, tier: rng.chance(0.3), members };
  });
}

function drawAgent(rng: SeededRandom, id: AgentId, portals: PortalSpec[], durationMs: number): AgentSpec {
  const day = durationMs + 30 * 60_000;
  const start = rng.chance(0.7) ? 0 : rng.next() * durationMs * 0.5;
  const end = rng.chance(0.7) ? day : start + (0.2 + 0.8 * rng.next()) * (day - start);
  return {
    id,
    portals: portals.filter((p) => p.members.includes(id)).map((p) => p.id),
    maxSessions: rng.int(1, 8),
    shifts: [{ loginMs: Math.round(start), logoutMs: Math.round(Math.max(end, start + 60_000)) }],
    answerDelaySec: { exp: 2 + rng.next() * 40, max: 180 },
    ignoreAlertP: maybe(rng, 0.4),
    atMaximumAnswerP: rng.next(),
    declineOfferP: maybe(rng, 0.4),
    ignoreOfferP: maybe(rng, 0.4),
    incomingP: rng.next(),
    breaks: rng.chance(0.5)
      ? {
          everyMin: { exp: 10 + rng.next() * 60 },
          lengthMin: { uniform: [1, 1 + rng.next() * 15] },
          remindAfterSec: rng.chance(0.5) ? 30 + rng.next() * 300 : null,
          backOnReminderP: rng.next(),
        }
      : null,
    unavailableAfterSession: rng.chance(0.3),
    wrapUpSec: { uniform: [5, 5 + rng.next() * 180] },
    sessionLengthSec: { lognormal: [30 + rng.next() * 900, 0.2 + rng.next() * 0.8], max: 3600 },
    resolutions: { resolved: rng.next(), notResolved: rng.next(), unknown: rng.next() + 0.01 },
    handover: {
      transferP: maybe(rng, 0.4),
      inviteP: maybe(rng, 0.4),
      hiddenP: rng.next(),
      toAgentP: rng.next(),
      acceptP: 0.2 + 0.8 * rng.next(),
      leaveP: maybe(rng, 0.6),
      staySec: { uniform: [5, 5 + rng.next() * 400] },
      timeoutSec: 10 + rng.next() * 120,
    },
    mayReceiveTransfers: rng.chance(0.9),
    mayReceiveInvitations: rng.chance(0.9),
  };
}

function drawArrival(
  rng: SeededRandom,
  p: PortalSpec,
  durationMs: number,
  rate: readonly [number, number],
): ArrivalSpec {
  const burst = rng.chance(0.2)
    ? Array.from({ length: rng.int(2, 6) }, () => Math.round(rng.next() * 60))
    : [];
  const t = rng.next() * (durationMs / 1000);
  return {
    portal: p.id,
    ratePerMin: between(rng, rate),
    // A burst of customers in the same second or two: simultaneous posts, reordered answers.
    atSec: burst.map((dt) => t + dt).sort((a, b) => a - b),
    fromMs: 0,
    untilMs: durationMs,
    patienceSec: { exp: 20 + rng.next() * 1200, max: 7200 },
    questionP: rng.next(),
    language: "mixed",
    pick: rng.chance(0.8) ? "available" : "any",
    leaveP: maybe(rng, 0.3),
    code: {
      redeemDelaySec: { uniform: [1, 1 + rng.next() * 600] },
      lateP: maybe(rng, 0.3),
      mistypeP: maybe(rng, 0.4),
      namedP: rng.next(),
    },
  };
}

function drawFloor(rng: SeededRandom): Partial<FloorOptions> {
  return {
    alertReminderMs: rng.int(10_000, 120_000),
    queueOfferTimeoutMs: rng.int(3_000, 60_000),
    requestExpiryMs: rng.int(60_000, 1_200_000),
    smartCodeTtlMs: rng.int(30_000, 1_200_000),
    smartCodesPerAgentMax: rng.int(1, 5),
    agentReconnectGraceMs: rng.int(5_000, 180_000),
    transferEnabled: rng.chance(0.8),
    inviteEnabled: rng.chance(0.8),
    resolutionExtraField: rng.chance(0.2) ? "ticket" : null,
  };
}

function drawFaults(rng: SeededRandom): FaultSpec {
  return {
    disconnectPerHour: maybe(rng, 4),
    reconnectSec: { uniform: [1, 1 + rng.next() * 120] },
    beyondGraceP: maybe(rng, 0.6),
    duplicateP: maybe(rng, 0.3),
    reorderP: maybe(rng, 0.6),
    reorderWindowMs: 100 + rng.next() * 3000,
    simultaneousP: maybe(rng, 0.6),
    expiryRaceP: maybe(rng, 0.6),
    churnP: maybe(rng, 0.6),
  };
}
