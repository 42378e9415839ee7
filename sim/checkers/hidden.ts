// Hidden invitees stay hidden (R-S7): the session's customer-visible participant list never names an agent invited hidden.

import type { SessionId } from "../../actors/index.ts";
import { customerVisibleAgents } from "../../actors/index.ts";
import type { Checker } from "./types.ts";

export function hiddenInvitee(): Checker {
  const touched = new Set<SessionId>();
  return {
    name: "hiddenInvitee",
    onEvent(e) {
      if ("sessionId" in e && e.sessionId) touched.add(e.sessionId);
    },
    onQuiet({ model, floor, report }) {
      for (const id of touched) {
        const s = model.sessions.get(id);
        const live = floor?.session(id);
        if (!s || !live) continue;
        const visible = new Set(customerVisibleAgents(live));
        for (const [agentId, hidden] of s.invitees)
          if (hidden && visible.has(agentId))
            report("R-S7", `session ${id}: hidden invitee ${agentId} is in the customer's participant list`);
      }
      touched.clear();
    },
  };
}
