// First answer wins and the rest are told at once (R-P3): when a request is answered, abandoned or expired, or a transfer
// or invitation is taken, cancelled or closed, every other alert still up for it is withdrawn in the same step.
import type { AgentId } from "../../actors/index.ts";
import type { Checker } from "./types.ts";

export function withdrawal(): Checker {
  /** Alerts that must come down before the floor goes quiet, keyed by request or session, with why. */
  const owed = new Map<string, { agents: Set<AgentId>; why: string }>();
  /** Withdrawals already made in this step: the machines withdraw first and announce the end right after. */
  const withdrawn = new Map<string, Set<AgentId>>();
  const owe = (key: string, agents: Iterable<AgentId>, why: string) => {
    const done = withdrawn.get(key);
    const set = new Set([...agents].filter((a) => !done?.has(a)));
    if (set.size > 0) owed.set(key, { agents: set, why });
  };
  return {
    name: "withdrawal",
    onEvent(e, { model }) {
      switch (e.type) {
        case "request.answered": {
          const r = model.requests.get(e.requestId);
          if (r)
            owe(
              r.id,
              [...r.alerted].filter((a) => a !== e.agentId),
              `${r.id} was answered by ${e.agentId}`,
            );
          return;
        }
        case "request.abandoned":
        case "request.expired": {
          const r = model.requests.get(e.requestId);
          const up = r ? [...r.alerted, ...(r.offeredTo ? [r.offeredTo] : [])] : [];
          owe(
            e.requestId,
            up,
            `${e.requestId} ${e.type === "request.expired" ? "expired" : "was abandoned"}`,
          );
          return;
        }
        case "session.ownerChanged":
        case "participant.joined":
        case "transfer.cancelled":
        case "invitation.cancelled":
        case "session.closed": {
          const s = model.sessions.get(e.sessionId);
          if (!s) return;
          const taker =
            e.type === "session.ownerChanged" ? e.to : e.type === "participant.joined" ? e.agentId : null;
          const transfer =
            e.type === "participant.joined" || e.type === "invitation.cancelled" ? [] : s.pendingTransfer;
          const invite =
            e.type === "session.ownerChanged" || e.type === "transfer.cancelled"
              ? []
              : s.pendingInvite?.agentIds;
          const up = [...(transfer ?? []), ...(invite ?? [])].filter((a) => a !== taker);
          if (e.type === "session.ownerChanged" && e.reason !== "transfer") return;
          const prior = owed.get(s.id)?.agents ?? [];
          owe(s.id, [...prior, ...up], `${e.type} in session ${s.id}`);
          return;
        }
        case "alert.withdrawn": {
          const key = e.requestId ?? e.sessionId;
          if (!key) return;
          withdrawn.set(key, new Set([...(withdrawn.get(key) ?? []), ...e.agentIds]));
          const debt = owed.get(key);
          if (!debt) return;
          for (const a of e.agentIds) debt.agents.delete(a);
          if (debt.agents.size === 0) owed.delete(key!);
          return;
        }
      }
    },
    onQuiet({ report }) {
      for (const [, debt] of owed)
        report("R-P3", `after ${debt.why}, the alert of ${[...debt.agents].join(", ")} was not withdrawn`);
      owed.clear();
      withdrawn.clear();
    },
  };
}
