// The clients' side of the checks, across clients: what agents were acknowledged and shown, and what every customer
// was told, compared with each other and with the server's event log.
import type { Loose, Note } from "./clients.ts";

export interface ClientSide {
  doubleAssignments: number;
  agentsAboveMax: number;
  alertsSeen: number;
  answersAcknowledged: number;
  customerOutcomes: Record<string, number>;
  violations: Array<{ rule: string; detail: string }>;
}

/**
 * `notes` are every client's observations; alerts may come pre-filtered (a worker keeps only the alerts it never
 * saw withdrawn, since a withdrawn alert can break no rule): then `alertsSeen` gives how many alerts were seen.
 */
export function crossCheck(notes: Note[], log: Loose[], alertsSeen?: number): ClientSide {
  const violations: ClientSide["violations"] = [];
  const counts: Record<string, number> = {};
  const violate = (rule: string, detail: string) => {
    counts[rule] = (counts[rule] ?? 0) + 1;
    if (counts[rule] <= 5) violations.push({ rule: `client: ${rule}`, detail });
  };
  const maxOf = new Map<string, number>();
  const ended = new Map<string, string>();
  for (const e of log) {
    if (e.type === "agent.registered") maxOf.set(e.agentId, e.maxSessions);
    if (e.type === "request.started") ended.set(e.requestId, "answered");
    if ((e.type === "request.abandoned" || e.type === "request.expired") && !ended.has(e.requestId))
      ended.set(e.requestId, e.type.slice(8));
  }
  const answeredBy = new Map<string, Set<string>>();
  const alertedTo = new Map<string, Set<string>>();
  const withdrawnFrom = new Map<string, Set<string>>();
  const told = new Map<string, string>();
  const above = new Set<string>();
  let alertNotes = 0;
  let acks = 0;
  const add = (m: Map<string, Set<string>>, k: string, v: string) => {
    const s = m.get(k) ?? new Set();
    s.add(v);
    m.set(k, s);
  };
  for (const { kind, data } of notes) {
    const requestId = data.requestId as string;
    const agentId = data.agentId as string;
    if (kind === "answered") {
      acks += 1;
      add(answeredBy, requestId, agentId);
    } else if (kind === "alert") {
      alertNotes += 1;
      add(alertedTo, requestId, agentId);
      if (data.mode === "phone") violate("Phone mode raises no alert", `${requestId} alerted ${agentId}`);
    } else if (kind === "withdrawn") add(withdrawnFrom, requestId, agentId);
    else if (kind === "session") {
      const max = maxOf.get(agentId) ?? 8;
      if ((data.open as number) > Math.min(max, 8) && !above.has(agentId)) {
        above.add(agentId);
        violate("no agent above its maximum", `${agentId} saw ${data.open} sessions, max ${max}`);
      }
    } else if (kind === "joined") told.set(requestId, "answered");
    else if (kind === "ended" && requestId) {
      const o = data.outcome as string;
      if (!told.has(requestId) || o === "lost")
        told.set(requestId, o === "ended" || o === "left" ? "answered" : o);
    }
  }
  let doubles = 0;
  for (const [requestId, by] of answeredBy) {
    if (by.size > 1) {
      doubles += 1;
      violate("no request answered by two agents", `${requestId} acknowledged to ${[...by].join(" and ")}`);
    }
    const winner = [...by][0]!;
    for (const a of alertedTo.get(requestId) ?? [])
      if (a !== winner && !withdrawnFrom.get(requestId)?.has(a))
        violate("the first answer withdraws every other alert", `${requestId}: ${a} was never told`);
  }
  const outcomes: Record<string, number> = {};
  for (const [requestId, o] of told) {
    outcomes[o] = (outcomes[o] ?? 0) + 1;
    if (o === "lost") violate("every request ends with notice", `${requestId}: the customer was never told`);
    else if (o !== "refused" && ended.get(requestId) !== o)
      violate(
        "the customer is told what the log says",
        `${requestId}: told ${o}, log says ${ended.get(requestId)}`,
      );
  }
  return {
    doubleAssignments: doubles,
    agentsAboveMax: above.size,
    alertsSeen: alertsSeen ?? alertNotes,
    answersAcknowledged: acks,
    customerOutcomes: outcomes,
    violations,
  };
}
