// The Incoming clock (R-L3): how a waiting request is shown — New, Attention, Warning from two thresholds, or Queued (R-A8).
import type { RequestClockState } from "./events.ts";
import type { FloorOptions } from "./options.ts";

export function requestClock(
  waitedMs: number,
  queued: boolean,
  options: Pick<FloorOptions, "requestAttentionMs" | "requestWarningMs">,
): RequestClockState {
  if (queued) return "queued";
  if (waitedMs >= options.requestWarningMs) return "warning";
  if (waitedMs >= options.requestAttentionMs) return "attention";
  return "new";
}
