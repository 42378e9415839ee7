// Settings the management center changes (R-M1): floor switches and timings, SmartCode lifetime and limit,
// password expiry, quick phrases and URLs. Validated with a Schema; floor timings take effect at the next start.
import * as Result from "effect/Result";
import * as Schema from "effect/Schema";
import { defaultFloorOptions, type FloorOptions } from "../actors/index.ts";

const Ms = Schema.Number.check(
  Schema.isInt(),
  Schema.isGreaterThanOrEqualTo(100),
  Schema.isLessThanOrEqualTo(86_400_000),
);

export const ManagedSettings = Schema.Struct({
  alertDisplayMs: Ms,
  alertReminderMs: Ms,
  queueOfferTimeoutMs: Ms,
  requestExpiryMs: Ms,
  requestAttentionMs: Ms,
  requestWarningMs: Ms,
  smartCodeTtlMs: Ms,
  smartCodesPerAgentMax: Schema.Number.check(
    Schema.isInt(),
    Schema.isGreaterThanOrEqualTo(1),
    Schema.isLessThanOrEqualTo(100),
  ),
  agentReconnectGraceMs: Ms,
  transferEnabled: Schema.Boolean,
  inviteEnabled: Schema.Boolean,
  /** R-T4, R-M1: agents may ask to run the customer's host as a service with administrator rights. */
  runAsServiceEnabled: Schema.Boolean,
  /** R-S8: the owner may switch view only / shared control during a session (the customer confirms each switch). */
  screenLevelSwitchEnabled: Schema.Boolean,
  resolutionExtraField: Schema.NullOr(Schema.String.check(Schema.isMaxLength(60))),
  /** R-A3: days before a password must be changed; null = never. */
  passwordExpiryDays: Schema.NullOr(Schema.Number.check(Schema.isInt(), Schema.isGreaterThanOrEqualTo(1))),
  /** R-S3: quick phrases by category and quick URLs for the console. */
  quickPhrases: Schema.Array(Schema.Struct({ category: Schema.String, text: Schema.String })),
  quickUrls: Schema.Array(Schema.Struct({ label: Schema.String, url: Schema.String })),
});
export type ManagedSettings = typeof ManagedSettings.Type;

export const defaultSettings: ManagedSettings = {
  alertDisplayMs: defaultFloorOptions.alertDisplayMs,
  alertReminderMs: defaultFloorOptions.alertReminderMs,
  queueOfferTimeoutMs: defaultFloorOptions.queueOfferTimeoutMs,
  requestExpiryMs: defaultFloorOptions.requestExpiryMs,
  requestAttentionMs: defaultFloorOptions.requestAttentionMs,
  requestWarningMs: defaultFloorOptions.requestWarningMs,
  smartCodeTtlMs: defaultFloorOptions.smartCodeTtlMs,
  smartCodesPerAgentMax: defaultFloorOptions.smartCodesPerAgentMax,
  agentReconnectGraceMs: defaultFloorOptions.agentReconnectGraceMs,
  transferEnabled: defaultFloorOptions.transferEnabled,
  inviteEnabled: defaultFloorOptions.inviteEnabled,
  runAsServiceEnabled: true,
  screenLevelSwitchEnabled: true,
  resolutionExtraField: defaultFloorOptions.resolutionExtraField,
  passwordExpiryDays: 90,
  quickPhrases: [
    { category: "Greeting", text: "Hello, I am looking at your question now." },
    { category: "Closing", text: "Is there anything else I can help you with?" },
  ],
  quickUrls: [{ label: "Help center", url: "https://example.com/help" }],
};

const decodeSettings = Schema.decodeUnknownResult(ManagedSettings);

/** Merges a partial change into the current settings; a bad value is an error naming the field. */
export function mergeSettings(
  current: ManagedSettings,
  patch: unknown,
): { ok: true; value: ManagedSettings } | { ok: false; error: string } {
  if (typeof patch !== "object" || patch === null) return { ok: false, error: "expected an object" };
  const r = decodeSettings({ ...current, ...patch });
  return Result.isSuccess(r)
    ? { ok: true, value: r.success }
    : { ok: false, error: String(r.failure.message) };
}

export function floorOptionsOf(s: ManagedSettings, publicUrl: string): Partial<FloorOptions> {
  const {
    passwordExpiryDays: _p,
    quickPhrases: _q,
    quickUrls: _u,
    runAsServiceEnabled: _r,
    screenLevelSwitchEnabled: _l,
    ...floor
  } = s;
  return { ...floor, publicUrl };
}
