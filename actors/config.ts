// Portal and agent configuration (R-M1) and its validation: a bad pairing is a typed error naming the subject and the rule.
import * as Data from "effect/Data";
import type { AgentId, PortalId } from "./ids.ts";
import { maxSessionsPerAgentLimit } from "./options.ts";

export type PortalType = "smartButton" | "smartBox" | "smartMatch" | "smartCode";
export type Mode = "standard" | "phone" | "queue";
export type Language = "en" | "fr";

export interface PortalConfig {
  id: PortalId;
  name: string;
  type: PortalType;
  mode: Mode;
  language: Language;
  members: AgentId[];
  /** A tier portal receives transfers (R-P1, R-P7). */
  tier: boolean;
}

export interface AgentPreferences {
  /** Switch to Not available when each session closes (R-A6). */
  unavailableAfterSession: boolean;
  /** Remind after this long Not available; null = never (R-A6). */
  unavailableReminderMs: number | null;
  /** Reminder alerts while unanswered, by the agent's situation (R-P9). */
  remindWhen: { idle: boolean; inSession: boolean; atMaximum: boolean };
}

export interface AgentConfig {
  id: AgentId;
  name: string;
  email: string;
  maxSessions: number;
  mayReceiveTransfers: boolean;
  mayReceiveInvitations: boolean;
  preferences: AgentPreferences;
}

export const defaultAgentPreferences: AgentPreferences = {
  unavailableAfterSession: false,
  unavailableReminderMs: null,
  remindWhen: { idle: true, inSession: true, atMaximum: false },
};

export type ConfigRule = "R-P2" | "R-A7" | "R-P1" | "R-M1";

export class ConfigError extends Data.TaggedError("ConfigError")<{
  reason: "ModeMismatch" | "BadMaximum" | "UnknownMember" | "DuplicateId" | "Empty";
  subject: string;
  rule: ConfigRule;
  message: string;
}> {}

/** Which portal types each mode accepts (R-P2). */
const typesByMode: Record<Mode, readonly PortalType[]> = {
  standard: ["smartButton", "smartBox", "smartMatch"],
  phone: ["smartCode"],
  queue: ["smartBox"],
};

export function validatePortal(portal: PortalConfig, knownAgents?: ReadonlySet<string>): ConfigError | null {
  if (!portal.id) {
    return new ConfigError({
      reason: "Empty",
      subject: "portal",
      rule: "R-M1",
      message: "a portal needs an id",
    });
  }
  if (!typesByMode[portal.mode]?.includes(portal.type)) {
    return new ConfigError({
      reason: "ModeMismatch",
      subject: `portal ${portal.id}`,
      rule: "R-P2",
      message: `portal ${portal.id}: mode ${portal.mode} accepts only ${typesByMode[portal.mode]?.join(", ") ?? "no type"}, not ${portal.type}`,
    });
  }
  const unknown = knownAgents ? portal.members.find((m) => !knownAgents.has(m)) : undefined;
  if (unknown) {
    return new ConfigError({
      reason: "UnknownMember",
      subject: `portal ${portal.id}`,
      rule: "R-M1",
      message: `portal ${portal.id}: member ${unknown} is not an agent`,
    });
  }
  return null;
}

export function validateAgent(agent: AgentConfig): ConfigError | null {
  if (!agent.id) {
    return new ConfigError({
      reason: "Empty",
      subject: "agent",
      rule: "R-M1",
      message: "an agent needs an id",
    });
  }
  if (
    !Number.isInteger(agent.maxSessions) ||
    agent.maxSessions < 1 ||
    agent.maxSessions > maxSessionsPerAgentLimit
  ) {
    return new ConfigError({
      reason: "BadMaximum",
      subject: `agent ${agent.id}`,
      rule: "R-A7",
      message: `agent ${agent.id}: maximum sessions must be a whole number from 1 to ${maxSessionsPerAgentLimit}, not ${agent.maxSessions}`,
    });
  }
  return null;
}
