// Alerts reach exactly the eligible agents: yellow to every member logged in, connected and Available when posted (R-P3),
// green to the one picked (R-P4), orange to the reachable agents allowed transfers (R-P7), blue to the invited (R-P8).
import type { AgentId, RequestId, TransferTarget } from "../../actors/index.ts";
import type { AgentModel, Model, SessionModel } from "../model.ts";
import type { Checker } from "./types.ts";

export function broadcast(): Checker {
  /** Posted requests whose yellow or green alert is still to come in the same step. */
  const expected = new Map<RequestId, AgentId[]>();
  return {
    name: "broadcast",
    onEvent(e, ctx) {
      const { model, report } = ctx;
      switch (e.type) {
        case "request.posted": {
          const portal = model.portals.get(e.portalId);
          if (!portal || e.mode !== "standard") return;
          const who =
            portal.type === "smartMatch"
              ? [e.matchAgentId!]
              : model
                  .members(portal.id)
                  .filter((a) => model.reachable(a))
                  .map((a) => a.id);
          if (who.length > 0) expected.set(e.requestId, who);
          return;
        }
        case "alert.raised": {
          if (e.requestId)
            return checkRequestAlert(model, e.requestId, e.colour, e.agentIds, report, expected);
          const s = e.sessionId ? model.sessions.get(e.sessionId) : undefined;
          const pending = e.colour === "orange" ? s?.pendingTransfer : s?.pendingInvite?.agentIds;
          if (!s || !pending)
            return report("R-P7", `${e.colour} alert for session ${e.sessionId} with nothing pending`);
          const diff = setDiff(e.agentIds, pending);
          if (diff)
            report(e.colour === "orange" ? "R-P7" : "R-P8", `${e.colour} alert of session ${s.id}: ${diff}`);
          return;
        }
        case "alert.reminded": {
          // R-P9: reminders only while the request still waits, and only to agents whose alert is still up.
          const r = model.requests.get(e.requestId);
          if (r?.phase !== "waiting")
            return report("R-P9", `reminder for request ${e.requestId}, which no longer waits`);
          const stray = e.agentIds.filter((a) => !r.alerted.has(a) || !model.agents.get(a)?.loggedIn);
          if (stray.length)
            report("R-P9", `reminder of ${r.id} to ${stray.join(", ")}, whose alert is not up or who left`);
          return;
        }
        case "transfer.requested": {
          const s = model.sessions.get(e.sessionId);
          if (!s) return;
          const want = recipients(model, s, e.to, "transfer");
          const diff = setDiff(e.agentIds, want);
          if (diff) report("R-P7", `transfer of session ${s.id} to ${target(e.to)}: ${diff}`);
          return;
        }
        case "invitation.sent": {
          const s = model.sessions.get(e.sessionId);
          const cause = ctx.cause;
          if (!s || cause?.type !== "session.invite") return;
          const diff = setDiff(e.agentIds, recipients(model, s, cause.to, "invite"));
          if (diff) report("R-P8", `invitation to session ${s.id} for ${target(cause.to)}: ${diff}`);
          return;
        }
      }
    },
    onQuiet({ report }) {
      for (const [requestId, who] of expected)
        report(
          "R-P3",
          `request ${requestId} was posted while ${who.join(", ")} could be alerted, but no alert was raised`,
        );
      expected.clear();
    },
  };
}

function checkRequestAlert(
  model: Model,
  requestId: RequestId,
  colour: string,
  agentIds: AgentId[],
  report: (rule: string, message: string) => void,
  expected: Map<RequestId, AgentId[]>,
): void {
  const r = model.requests.get(requestId);
  if (!r) return report("R-P3", `${colour} alert for unknown request ${requestId}`);
  expected.delete(requestId);
  if (r.mode === "phone") return; // the phone checker owns this (R-P6)
  const portal = model.portals.get(r.portalId)!;
  if (r.mode === "queue")
    return report(
      "R-P5",
      `${colour} alert raised for queue request ${r.id}: queues offer, they do not alert`,
    );
  if (portal.type === "smartMatch") {
    if (colour !== "green") return report("R-P4", `SmartMatch request ${r.id} raised a ${colour} alert`);
    const diff = setDiff(agentIds, r.matchAgentId ? [r.matchAgentId] : []);
    if (diff) report("R-P4", `green alert of ${r.id}: ${diff}`);
    return;
  }
  if (colour !== "yellow")
    return report("R-P3", `request ${r.id} of ${portal.type} raised a ${colour} alert`);
  const want = model
    .members(portal.id)
    .filter((a) => model.reachable(a))
    .map((a) => a.id);
  const diff = setDiff(agentIds, want);
  if (diff) report("R-P3", `yellow alert of ${r.id} on ${portal.id}: ${diff}`);
}

/** Who may receive a transfer or an invitation, as eligibility.ts decides it (R-S6, R-S7, R-P7, R-P8). */
function recipients(
  model: Model,
  s: SessionModel,
  to: TransferTarget,
  kind: "transfer" | "invite",
): AgentId[] {
  const inSession = new Set([s.owner, ...s.invitees.keys()]);
  const allowed = (a: AgentModel) =>
    !inSession.has(a.id) && (kind === "transfer" ? a.mayReceiveTransfers : a.mayReceiveInvitations);
  if ("agentId" in to) {
    const a = model.agents.get(to.agentId);
    const ok = a && allowed(a) && (kind === "invite" ? a.loggedIn && a.connected : model.reachable(a));
    return ok ? [a.id] : [];
  }
  return model
    .members(to.portalId)
    .filter((a) => allowed(a) && model.reachable(a))
    .map((a) => a.id);
}

const target = (to: TransferTarget) => ("agentId" in to ? `agent ${to.agentId}` : `portal ${to.portalId}`);

/** Describes how `got` differs from `want`, or null when they hold the same agents. */
export function setDiff(got: readonly AgentId[], want: readonly AgentId[]): string | null {
  const g = new Set(got);
  const w = new Set(want);
  const extra = [...g].filter((a) => !w.has(a));
  const missing = [...w].filter((a) => !g.has(a));
  if (extra.length === 0 && missing.length === 0 && g.size === got.length) return null;
  const parts = [];
  if (missing.length) parts.push(`missing ${missing.join(", ")}`);
  if (extra.length) parts.push(`not eligible ${extra.join(", ")}`);
  if (g.size !== got.length) parts.push("an agent listed twice");
  return parts.join("; ");
}
