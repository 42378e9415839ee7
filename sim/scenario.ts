// A scenario as the simulator uses it: the decoded file with every default filled in, groups expanded, and references checked.
import { readFileSync } from "node:fs";
import * as Result from "effect/Result";
import * as Schema from "effect/Schema";
import {
  type AgentId,
  AgentId as agentId,
  type FloorOptions,
  type Mode,
  type PortalId,
  type PortalType,
  PortalId as portalId,
  validatePortal,
} from "../actors/index.ts";
import type { Dist } from "./dist.ts";
import { type AgentGroupFile, type ArrivalFile, type ScenarioFile, ScenarioSchema } from "./schema.ts";

export interface PortalSpec {
  id: PortalId;
  type: PortalType;
  mode: Mode;
  tier: boolean;
  members: AgentId[];
}

export interface AgentSpec {
  id: AgentId;
  portals: PortalId[];
  maxSessions: number;
  shifts: Array<{ loginMs: number; logoutMs: number }>;
  answerDelaySec: Dist;
  ignoreAlertP: number;
  atMaximumAnswerP: number;
  declineOfferP: number;
  ignoreOfferP: number;
  incomingP: number;
  breaks: { everyMin: Dist; lengthMin: Dist; remindAfterSec: number | null; backOnReminderP: number } | null;
  unavailableAfterSession: boolean;
  wrapUpSec: Dist;
  sessionLengthSec: Dist;
  resolutions: { resolved: number; notResolved: number; unknown: number };
  handover: {
    transferP: number;
    inviteP: number;
    hiddenP: number;
    toAgentP: number;
    acceptP: number;
    leaveP: number;
    staySec: Dist;
    timeoutSec: number;
  };
  mayReceiveTransfers: boolean;
  mayReceiveInvitations: boolean;
}

export interface ArrivalSpec {
  portal: PortalId;
  ratePerMin: number;
  atSec: number[];
  fromMs: number;
  untilMs: number;
  patienceSec: Dist;
  questionP: number;
  language: "en" | "fr" | "mixed";
  pick: "available" | "any";
  leaveP: number;
  code: { redeemDelaySec: Dist; lateP: number; mistypeP: number; namedP: number };
}

export interface FaultSpec {
  disconnectPerHour: number;
  reconnectSec: Dist;
  beyondGraceP: number;
  duplicateP: number;
  reorderP: number;
  reorderWindowMs: number;
  simultaneousP: number;
  expiryRaceP: number;
  churnP: number;
}

export interface SwarmBounds {
  agents: readonly [number, number];
  portals: readonly [number, number];
  durationMin: readonly [number, number];
  ratePerMin: readonly [number, number];
}

export interface Scenario {
  name: string;
  description: string;
  durationMs: number;
  drainMs: number;
  floor: Partial<FloorOptions>;
  portals: PortalSpec[];
  agents: AgentSpec[];
  arrivals: ArrivalSpec[];
  faults: FaultSpec;
  swarm: SwarmBounds;
}

export const noFaults: FaultSpec = {
  disconnectPerHour: 0,
  reconnectSec: { uniform: [5, 60] },
  beyondGraceP: 0,
  duplicateP: 0,
  reorderP: 0,
  reorderWindowMs: 1500,
  simultaneousP: 0,
  expiryRaceP: 0,
  churnP: 0,
};

export const defaultSwarm: SwarmBounds = {
  agents: [1, 24],
  portals: [1, 5],
  durationMin: [20, 120],
  ratePerMin: [0.1, 3],
};

/** A scenario file that cannot be used: every problem, each with where it is. */
export class ScenarioError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source}: invalid scenario\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ScenarioError";
  }
}

export function loadScenario(path: string): Scenario {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new ScenarioError(path, [err instanceof Error ? err.message : String(err)]);
  }
  return decodeScenario(raw, path);
}

/** Decodes and checks a scenario; throws ScenarioError listing every problem found. */
export function decodeScenario(raw: unknown, source = "scenario"): Scenario {
  const decoded = Schema.decodeUnknownResult(ScenarioSchema)(raw, {
    errors: "all",
    onExcessProperty: "error",
  });
  if (Result.isFailure(decoded))
    throw new ScenarioError(source, decoded.failure.message.split("\n").reduce(pairLines, []));
  const file = decoded.success;
  const scenario = normalise(file, source);
  const problems = crossCheck(file, scenario);
  if (problems.length > 0) throw new ScenarioError(source, problems);
  return scenario;
}

/** Effect prints "message\n  at path": keep each message with its path on one line. */
function pairLines(acc: string[], line: string): string[] {
  if (line.trimStart().startsWith("at ") && acc.length > 0) acc[acc.length - 1] += ` (${line.trim()})`;
  else if (line.trim()) acc.push(line.trim());
  return acc;
}

function normalise(file: ScenarioFile, source: string): Scenario {
  const durationMs = file.durationMin * 60_000;
  const expanded = file.agents.map((g) => expandGroup(g, durationMs));
  const agents = expanded.flat();
  const groups = new Map(file.agents.map((g, i) => [g.id, expanded[i]!.map((a) => a.id)]));
  const portals: PortalSpec[] = file.portals.map((p) => {
    const members = new Set<AgentId>();
    for (const m of p.members ?? []) for (const id of groups.get(m) ?? [agentId(m)]) members.add(id);
    for (const a of agents) if (a.portals.includes(portalId(p.id))) members.add(a.id);
    return { id: portalId(p.id), type: p.type, mode: p.mode, tier: p.tier ?? false, members: [...members] };
  });
  return {
    name: file.name ?? source.replace(/^.*\//, "").replace(/\.json$/, ""),
    description: file.description ?? "",
    durationMs,
    drainMs: (file.drainMin ?? 30) * 60_000,
    floor: { ...file.floor },
    portals,
    agents,
    arrivals: file.arrivals.map((a) => arrival(a, durationMs)),
    faults: { ...noFaults, ...file.faults },
    swarm: { ...defaultSwarm, ...file.swarm },
  };
}

function expandGroup(g: AgentGroupFile, durationMs: number): AgentSpec[] {
  const ids = g.count === undefined ? [g.id] : Array.from({ length: g.count }, (_, i) => `${g.id}${i + 1}`);
  const h = g.handover ?? {};
  const r = g.resolutions ?? {};
  const spec: Omit<AgentSpec, "id"> = {
    portals: (g.portals ?? []).map(portalId),
    maxSessions: g.maxSessions ?? 2,
    shifts: (g.shifts ?? [{ loginMin: 0, logoutMin: durationMs / 60_000 }]).map((s) => ({
      loginMs: s.loginMin * 60_000,
      logoutMs: s.logoutMin * 60_000,
    })),
    answerDelaySec: g.answerDelaySec ?? { exp: 10, max: 120 },
    ignoreAlertP: g.alerts?.ignoreP ?? 0.05,
    atMaximumAnswerP: g.alerts?.atMaximumAnswerP ?? 0.3,
    declineOfferP: g.offers?.declineP ?? 0.05,
    ignoreOfferP: g.offers?.ignoreP ?? 0.05,
    incomingP: g.incomingP ?? 0.5,
    breaks: g.breaks
      ? {
          everyMin: g.breaks.everyMin,
          lengthMin: g.breaks.lengthMin,
          remindAfterSec: g.breaks.remindAfterSec ?? null,
          backOnReminderP: g.breaks.backOnReminderP ?? 0.3,
        }
      : null,
    unavailableAfterSession: g.unavailableAfterSession ?? false,
    wrapUpSec: g.wrapUpSec ?? { uniform: [10, 90] },
    sessionLengthSec: g.sessionLengthSec ?? { lognormal: [300, 0.6], max: 3600 },
    resolutions: { resolved: r.resolved ?? 7, notResolved: r.notResolved ?? 2, unknown: r.unknown ?? 1 },
    handover: {
      transferP: h.transferP ?? 0,
      inviteP: h.inviteP ?? 0,
      hiddenP: h.hiddenP ?? 0.5,
      toAgentP: h.toAgentP ?? 0.5,
      acceptP: h.acceptP ?? 0.8,
      leaveP: h.leaveP ?? 0.2,
      staySec: h.staySec ?? { uniform: [30, 240] },
      timeoutSec: h.timeoutSec ?? 60,
    },
    mayReceiveTransfers: g.mayReceiveTransfers ?? true,
    mayReceiveInvitations: g.mayReceiveInvitations ?? true,
  };
  return ids.map((id) => ({ ...spec, id: agentId(id) }));
}

function arrival(a: ArrivalFile, durationMs: number): ArrivalSpec {
  return {
    portal: portalId(a.portal),
    ratePerMin: a.ratePerMin ?? 0,
    atSec: [...(a.atSec ?? [])].sort((x, y) => x - y),
    fromMs: (a.fromMin ?? 0) * 60_000,
    untilMs: a.untilMin === undefined ? durationMs : a.untilMin * 60_000,
    patienceSec: a.patienceSec ?? { exp: 600, max: 3600 },
    questionP: a.questionP ?? 1,
    language: a.language ?? "mixed",
    pick: a.pick ?? "available",
    leaveP: a.leaveP ?? 0.02,
    code: {
      redeemDelaySec: a.code?.redeemDelaySec ?? { uniform: [10, 120] },
      lateP: a.code?.lateP ?? 0.05,
      mistypeP: a.code?.mistypeP ?? 0.1,
      namedP: a.code?.namedP ?? 0.2,
    },
  };
}

/** What the schema cannot see: references between sections, unique ids, mode/type pairs (R-P2), shift order. */
function crossCheck(file: ScenarioFile, s: Scenario): string[] {
  const problems: string[] = [];
  const portalIds = new Set(s.portals.map((p) => p.id as string));
  const agentIds = new Set(s.agents.map((a) => a.id as string));
  const groupIds = new Set(file.agents.map((g) => g.id));
  for (const id of dupes(s.agents.map((a) => a.id))) problems.push(`agents: id ${id} is used twice`);
  for (const id of dupes(s.portals.map((p) => p.id))) problems.push(`portals: id ${id} is used twice`);
  file.portals.forEach((p, i) => {
    for (const m of p.members ?? [])
      if (!agentIds.has(m) && !groupIds.has(m))
        problems.push(`portals[${i}].members: no agent or group ${m}`);
  });
  for (const p of s.portals) {
    const error = validatePortal({ ...p, name: p.id, language: "en" });
    if (error) problems.push(`portals: ${error.message} (${error.rule})`);
  }
  file.agents.forEach((g, i) => {
    for (const p of g.portals ?? [])
      if (!portalIds.has(p)) problems.push(`agents[${i}].portals: no portal ${p}`);
    (g.shifts ?? []).forEach((sh, j) => {
      if (sh.logoutMin <= sh.loginMin)
        problems.push(`agents[${i}].shifts[${j}]: logoutMin must be after loginMin`);
    });
  });
  file.arrivals.forEach((a, i) => {
    if (!portalIds.has(a.portal)) problems.push(`arrivals[${i}].portal: no portal ${a.portal}`);
    if (a.ratePerMin === undefined && a.atSec === undefined)
      problems.push(`arrivals[${i}]: give ratePerMin or atSec`);
  });
  return problems;
}

function dupes<T>(xs: T[]): T[] {
  const seen = new Set<T>();
  return [...new Set(xs.filter((x) => seen.has(x) || !seen.add(x)))];
}
