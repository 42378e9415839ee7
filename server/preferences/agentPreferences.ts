// The agent console's preferences as they cross the HTTP boundary: any console settings (kept as sent, bounded), of
// which the viewer's (R-V3, R-V5, R-V6) are checked for their kind, and the floor's own — after-session availability,
// the Not-available reminder and reminder alerts (R-A6, R-P9) — are validated and applied to the agent's actor.
import * as Result from "effect/Result";
import * as Schema from "effect/Schema";
import type { AgentPreferences } from "../../actors/index.ts";
import { HostColours } from "../../protocol/screen/index.ts";

/** Largest preferences document accepted. */
export const preferencesMaxBytes = 8 * 1024;

const FloorPart = Schema.Struct({
  unavailableAfterSession: Schema.optional(Schema.Boolean),
  unavailableReminderSeconds: Schema.optional(
    Schema.Number.check(Schema.isInt(), Schema.isGreaterThanOrEqualTo(0), Schema.isLessThanOrEqualTo(86_400)),
  ),
  remindWhen: Schema.optional(
    Schema.Struct({ idle: Schema.Boolean, inSession: Schema.Boolean, atMaximum: Schema.Boolean }),
  ),
});

/** The viewer's (R-V3, R-V5, R-V6): kept as sent, but only of these kinds, so every console reads back what it wrote. */
const ViewerPart = Schema.Struct({
  greyOutUnfocused: Schema.optional(Schema.Boolean),
  multiMonitorNotice: Schema.optional(Schema.Boolean),
  hostColours: Schema.optional(HostColours),
  hotkeys: Schema.optional(Schema.Boolean),
  forwardSystemKeys: Schema.optional(Schema.Boolean),
  screenOpensIn: Schema.optional(Schema.Literals(["tab", "window"])),
});

export type PreferencesCheck =
  | { ok: true; document: Record<string, unknown>; floor: Partial<AgentPreferences> }
  | { ok: false; reason: "TooLarge" | "Malformed"; message: string };

export function checkPreferences(body: unknown): PreferencesCheck {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { ok: false, reason: "Malformed", message: "preferences are a JSON object" };
  }
  if (JSON.stringify(body).length > preferencesMaxBytes) {
    return { ok: false, reason: "TooLarge", message: `preferences are at most ${preferencesMaxBytes} bytes` };
  }
  const viewer = Schema.decodeUnknownResult(ViewerPart)(body);
  if (Result.isFailure(viewer)) return { ok: false, reason: "Malformed", message: String(viewer.failure) };
  const decoded = Schema.decodeUnknownResult(FloorPart)(body);
  if (Result.isFailure(decoded)) return { ok: false, reason: "Malformed", message: String(decoded.failure) };
  const p = decoded.success;
  const floor: Partial<AgentPreferences> = {};
  if (p.unavailableAfterSession !== undefined) floor.unavailableAfterSession = p.unavailableAfterSession;
  if (p.unavailableReminderSeconds !== undefined) {
    floor.unavailableReminderMs =
      p.unavailableReminderSeconds > 0 ? p.unavailableReminderSeconds * 1000 : null;
  }
  if (p.remindWhen) floor.remindWhen = { ...p.remindWhen };
  return { ok: true, document: body as Record<string, unknown>, floor };
}
