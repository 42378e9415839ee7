// Transfer, invitation and leave move people atomically (R-S5, R-S6, R-S7): after each step a session has exactly one
// owner, the previous owner is gone from it, joiners were invited, and the floor's session agrees with the events.
import type { AgentId, SessionId } from "../../actors/index.ts";
import type { Checker } from "./types.ts";

export function handover(): Checker {
  const touched = new Set<SessionId>();
  const formerOwners = new Map<SessionId, AgentId[]>();
  return {
    name: "handover",
    onEvent(e, { model, report }) {
      if (!("sessionId" in e) || !e.sessionId) return;
      const s = model.sessions.get(e.sessionId);
      if (!s) return;
      touched.add(s.id);
      switch (e.type) {
        case "session.ownerChanged":
          if (e.reason === "transfer" && !s.pendingTransfer?.includes(e.to))
            report("R-S6", `session ${s.id} moved to ${e.to}, who was not offered the transfer`);
          if (e.reason === "leave" && !s.invitees.has(e.to))
            report("R-S5", `session ${s.id} left to ${e.to}, who is not an invitee in it`);
          formerOwners.set(s.id, [...(formerOwners.get(s.id) ?? []), e.from]);
          return;
        case "participant.joined":
          if (!s.pendingInvite?.agentIds.includes(e.agentId))
            report("R-S7", `${e.agentId} joined session ${s.id} without a pending invitation`);
          else if (s.pendingInvite.hidden !== e.hidden)
            report(
              "R-S7",
              `${e.agentId} joined session ${s.id} hidden=${e.hidden}, invited hidden=${s.pendingInvite.hidden}`,
            );
          if (e.agentId === s.owner || s.invitees.has(e.agentId))
            report("R-S7", `${e.agentId} joined session ${s.id} twice`);
          return;
        case "participant.left": {
          const former = formerOwners.get(s.id) ?? [];
          if (!s.invitees.has(e.agentId) && !former.includes(e.agentId))
            report("R-S5", `${e.agentId} left session ${s.id} without being in it`);
          return;
        }
      }
    },
    onQuiet({ model, floor, report }) {
      for (const id of touched) {
        const s = model.sessions.get(id)!;
        for (const old of formerOwners.get(id) ?? []) {
          if (old === s.owner || s.invitees.has(old)) continue;
          if (model.agents.get(old)?.sessions.has(id))
            report(
              "R-S6",
              `session ${id}: former owner ${old} still holds a slot for it after ownership moved`,
            );
        }
        if (s.invitees.has(s.owner))
          report("R-S6", `session ${id}: owner ${s.owner} is also listed as an invitee`);
        const live = floor?.session(id);
        if (s.closed || !live) continue;
        const liveInvitees = live.invitees.map((p) => p.agentId).sort();
        const modelInvitees = [...s.invitees.keys()].sort();
        if (liveInvitees.join() !== modelInvitees.join())
          report(
            "R-S7",
            `session ${id}: the floor lists invitees ${liveInvitees}, the events ${modelInvitees}`,
          );
      }
      touched.clear();
      formerOwners.clear();
    },
  };
}
