// Phone mode raises no alert (R-P6, R-P9): a SmartCode request is never alerted, reminded nor offered to anyone.
import type { Checker } from "./types.ts";

export function phoneNoAlert(): Checker {
  return {
    name: "phoneNoAlert",
    onEvent(e, { model, report }) {
      if (e.type !== "alert.raised" && e.type !== "alert.reminded" && e.type !== "offer.made") return;
      const r = e.requestId ? model.requests.get(e.requestId) : undefined;
      if (r?.mode === "phone")
        report("R-P6", `${e.type} for phone request ${r.id}: Phone mode has no alerts`);
    },
  };
}
