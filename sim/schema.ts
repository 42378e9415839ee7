// The scenario file's shape as an Effect Schema: what `npm run sim -- <file>` accepts, decoded once at the edge.
import * as Schema from "effect/Schema";

const Prob = Schema.Finite.pipe(Schema.check(Schema.isBetween({ minimum: 0, maximum: 1 })));
const NonNeg = Schema.Finite.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(0)));
const Positive = Schema.Finite.pipe(Schema.check(Schema.isGreaterThan(0)));
const Count = (max: number) =>
  Schema.Finite.pipe(Schema.check(Schema.isInt(), Schema.isBetween({ minimum: 1, maximum: max })));
const Id = Schema.String.pipe(Schema.check(Schema.isMinLength(1)));
const Range = Schema.Tuple([NonNeg, NonNeg]);

/** A delay: a fixed number, or { exp: mean }, { uniform: [min, max] }, { lognormal: [median, sigma] }. */
export const DistSchema = Schema.Union([
  NonNeg,
  Schema.Struct({ exp: NonNeg, max: Schema.optional(NonNeg) }),
  Schema.Struct({ uniform: Range }),
  Schema.Struct({ lognormal: Schema.Tuple([Positive, NonNeg]), max: Schema.optional(NonNeg) }),
]);

const FloorSchema = Schema.Struct({
  alertDisplayMs: Schema.optional(NonNeg),
  alertReminderMs: Schema.optional(Positive),
  queueOfferTimeoutMs: Schema.optional(Positive),
  requestExpiryMs: Schema.optional(Positive),
  requestAttentionMs: Schema.optional(Positive),
  requestWarningMs: Schema.optional(Positive),
  smartCodeTtlMs: Schema.optional(Positive),
  smartCodesPerAgentMax: Schema.optional(Count(1000)),
  agentReconnectGraceMs: Schema.optional(Positive),
  transferEnabled: Schema.optional(Schema.Boolean),
  inviteEnabled: Schema.optional(Schema.Boolean),
  resolutionExtraField: Schema.optional(Schema.NullOr(Schema.String)),
});

const PortalSchema = Schema.Struct({
  id: Id,
  type: Schema.Literals(["smartButton", "smartBox", "smartMatch", "smartCode"]),
  mode: Schema.Literals(["standard", "phone", "queue"]),
  members: Schema.optional(Schema.Array(Id)),
  tier: Schema.optional(Schema.Boolean),
});

const ShiftSchema = Schema.Struct({ loginMin: NonNeg, logoutMin: NonNeg });

const AgentSchema = Schema.Struct({
  id: Id,
  count: Schema.optional(Count(1000)),
  portals: Schema.optional(Schema.Array(Id)),
  maxSessions: Schema.optional(Count(8)),
  shifts: Schema.optional(Schema.Array(ShiftSchema)),
  answerDelaySec: Schema.optional(DistSchema),
  alerts: Schema.optional(
    Schema.Struct({ ignoreP: Schema.optional(Prob), atMaximumAnswerP: Schema.optional(Prob) }),
  ),
  offers: Schema.optional(Schema.Struct({ declineP: Schema.optional(Prob), ignoreP: Schema.optional(Prob) })),
  incomingP: Schema.optional(Prob),
  breaks: Schema.optional(
    Schema.Struct({
      everyMin: DistSchema,
      lengthMin: DistSchema,
      remindAfterSec: Schema.optional(Positive),
      backOnReminderP: Schema.optional(Prob),
    }),
  ),
  unavailableAfterSession: Schema.optional(Schema.Boolean),
  wrapUpSec: Schema.optional(DistSchema),
  sessionLengthSec: Schema.optional(DistSchema),
  resolutions: Schema.optional(
    Schema.Struct({
      resolved: Schema.optional(NonNeg),
      notResolved: Schema.optional(NonNeg),
      unknown: Schema.optional(NonNeg),
    }),
  ),
  handover: Schema.optional(
    Schema.Struct({
      transferP: Schema.optional(Prob),
      inviteP: Schema.optional(Prob),
      hiddenP: Schema.optional(Prob),
      toAgentP: Schema.optional(Prob),
      acceptP: Schema.optional(Prob),
      leaveP: Schema.optional(Prob),
      staySec: Schema.optional(DistSchema),
      timeoutSec: Schema.optional(Positive),
    }),
  ),
  mayReceiveTransfers: Schema.optional(Schema.Boolean),
  mayReceiveInvitations: Schema.optional(Schema.Boolean),
});

const ArrivalSchema = Schema.Struct({
  portal: Id,
  ratePerMin: Schema.optional(NonNeg),
  atSec: Schema.optional(Schema.Array(NonNeg)),
  fromMin: Schema.optional(NonNeg),
  untilMin: Schema.optional(NonNeg),
  patienceSec: Schema.optional(DistSchema),
  questionP: Schema.optional(Prob),
  language: Schema.optional(Schema.Literals(["en", "fr", "mixed"])),
  pick: Schema.optional(Schema.Literals(["available", "any"])),
  leaveP: Schema.optional(Prob),
  code: Schema.optional(
    Schema.Struct({
      redeemDelaySec: Schema.optional(DistSchema),
      lateP: Schema.optional(Prob),
      mistypeP: Schema.optional(Prob),
      namedP: Schema.optional(Prob),
    }),
  ),
});

const FaultSchema = Schema.Struct({
  disconnectPerHour: Schema.optional(NonNeg),
  reconnectSec: Schema.optional(DistSchema),
  beyondGraceP: Schema.optional(Prob),
  duplicateP: Schema.optional(Prob),
  reorderP: Schema.optional(Prob),
  reorderWindowMs: Schema.optional(Positive),
  simultaneousP: Schema.optional(Prob),
  expiryRaceP: Schema.optional(Prob),
  churnP: Schema.optional(Prob),
});

const SwarmSchema = Schema.Struct({
  agents: Schema.optional(Range),
  portals: Schema.optional(Range),
  durationMin: Schema.optional(Range),
  ratePerMin: Schema.optional(Range),
});

export const ScenarioSchema = Schema.Struct({
  name: Schema.optional(Schema.String),
  description: Schema.optional(Schema.String),
  durationMin: Positive,
  drainMin: Schema.optional(NonNeg),
  floor: Schema.optional(FloorSchema),
  portals: Schema.Array(PortalSchema),
  agents: Schema.Array(AgentSchema),
  arrivals: Schema.Array(ArrivalSchema),
  faults: Schema.optional(FaultSchema),
  swarm: Schema.optional(SwarmSchema),
});

export type ScenarioFile = typeof ScenarioSchema.Type;
export type AgentGroupFile = typeof AgentSchema.Type;
export type ArrivalFile = typeof ArrivalSchema.Type;
export type FaultFile = typeof FaultSchema.Type;
export type SwarmFile = typeof SwarmSchema.Type;
