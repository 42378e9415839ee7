// Named limits and timings of the support floor, each with its default and its unit last (ARCHITECTURE.md).

export interface FloorOptions {
  /** How long an alert pop-up stays on screen (R-P9). */
  alertDisplayMs: number;
  /** Interval of reminder alerts while a request stays unanswered (R-P9). */
  alertReminderMs: number;
  /** How long a Queue-mode offer waits for an answer before moving on (R-P5). */
  queueOfferTimeoutMs: number;
  /** A request nobody answers expires after this, with notice to the customer. */
  requestExpiryMs: number;
  /** Incoming clock thresholds: New → Attention → Warning (R-L3). */
  requestAttentionMs: number;
  requestWarningMs: number;
  /** SmartCode lifetime (R-P6). */
  smartCodeTtlMs: number;
  /** Active SmartCodes one agent may hold at once (R-P6). */
  smartCodesPerAgentMax: number;
  /** An agent whose connection dropped is logged out if not back within this (their sessions are handed on or closed). */
  agentReconnectGraceMs: number;
  /** Configuration switches (R-M1). */
  transferEnabled: boolean;
  inviteEnabled: boolean;
  /** When set, closing a session requires this extra field, e.g. a ticket number (R-S4). */
  resolutionExtraField: string | null;
  /** Base of quick URLs (R-P6). */
  publicUrl: string;
}

/** The hard ceiling of simultaneous sessions per agent (R-A7). */
export const maxSessionsPerAgentLimit = 8;

export const defaultFloorOptions: FloorOptions = {
  alertDisplayMs: 30_000,
  alertReminderMs: 60_000,
  queueOfferTimeoutMs: 30_000,
  requestExpiryMs: 900_000,
  requestAttentionMs: 60_000,
  requestWarningMs: 180_000,
  smartCodeTtlMs: 1_200_000,
  smartCodesPerAgentMax: 10,
  agentReconnectGraceMs: 120_000,
  transferEnabled: true,
  inviteEnabled: true,
  resolutionExtraField: null,
  publicUrl: "http://localhost:8080",
};
