// Queue mode is first in, first out (R-P5), exactly as queueMachine plans it: every waiting request older than an offered
// one already holds an offer; an offer goes to a free member holding no other offer of that queue — one not yet tried for
// that request if any is left, the longest idle first; an unanswered offer ends exactly at its timeout; and no free member
// idles while a request waits with no offer.
import type { AgentId, PortalId } from "../../actors/index.ts";
import type { AgentModel, Model, RequestModel } from "../model.ts";
import type { Checker } from "./types.ts";

export function queueFifo(): Checker {
  /** Requests already reported idle-stuck, so one episode is one finding. */
  const reported = new Set<string>();
  return {
    name: "queueFifo",
    onEvent(e, { model, options, report }) {
      if (e.type === "request.answered" && e.via === "offer") {
        const r = model.requests.get(e.requestId);
        if (r && r.offeredTo !== e.agentId)
          report(
            "R-P5",
            `queue request ${r.id} answered by ${e.agentId}, but the offer was with ${r.offeredTo}`,
          );
        return;
      }
      if (e.type === "offer.ended") {
        const r = model.requests.get(e.requestId);
        if (r?.offeredTo !== e.agentId)
          return report("R-P5", `offer of ${e.requestId} to ${e.agentId} ended, but it was not open`);
        const due = r.offeredAt + options.queueOfferTimeoutMs;
        if (e.reason === "timeout" && e.at !== due)
          report("R-P5", `offer of ${r.id} to ${e.agentId} timed out at ${e.at}, due at ${due}`);
        return;
      }
      if (e.type !== "offer.made") return;
      const queue = model.queues.get(e.portalId);
      const r = model.requests.get(e.requestId);
      if (!queue || !r || !queue.includes(r))
        return report("R-P5", `offer of ${e.requestId} made, but it is not waiting in queue ${e.portalId}`);
      if (r.offeredTo)
        report("R-P5", `request ${r.id} offered to ${e.agentId} while ${r.offeredTo} holds its offer`);
      const skipped = queue.find((w) => w.order < r.order && !w.offeredTo);
      if (skipped)
        report(
          "R-P5",
          `request ${r.id} offered before the older ${skipped.id}, which waits in ${e.portalId} with no offer`,
        );
      const a = model.agents.get(e.agentId);
      if (!a || !model.portals.get(e.portalId)?.members.includes(e.agentId))
        return report(
          "R-P5",
          `request ${r.id} offered to ${e.agentId}, who is not a member of ${e.portalId}`,
        );
      if (!model.free(a))
        report("R-P5", `request ${r.id} offered to ${a.id}, who is not free (${describe(model, a.id)})`);
      const other = queue.find((w) => w.offeredTo === a.id);
      if (other)
        report("R-P5", `request ${r.id} offered to ${a.id}, who already holds the offer of ${other.id}`);
      const next = nextAgent(model, e.portalId, queue, r);
      if (next && next.id !== a.id && model.free(a) && !other)
        report("R-P5", `request ${r.id} offered to ${a.id}, but ${next.id} is next (${why(r, a.id, next)})`);
    },
    onQuiet({ model, report }) {
      for (const [portalId, queue] of model.queues) {
        const stuck = queue.find((w) => !w.offeredTo);
        if (!stuck) continue;
        const idle = idleMember(model, portalId, queue);
        if (idle && !reported.has(stuck.id)) {
          reported.add(stuck.id);
          report(
            "R-P5",
            `request ${stuck.id} waits in ${portalId} with no offer while ${idle} is free and holds no offer`,
          );
        }
      }
    },
  };
}

/** The agent planOffers would pick for `r`: untried first, then the longest idle (oldest last release), then by id. */
function nextAgent(
  model: Model,
  portalId: PortalId,
  queue: RequestModel[],
  r: RequestModel,
): AgentModel | undefined {
  const holding = new Set(queue.map((w) => w.offeredTo));
  const candidates = model.members(portalId).filter((m) => model.free(m) && !holding.has(m.id));
  const untried = candidates.filter((m) => !r.tried.has(m.id));
  const pool = untried.length > 0 ? untried : candidates;
  return pool.sort((x, y) => x.freedSeq - y.freedSeq || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))[0];
}

function why(r: RequestModel, chosen: AgentId, next: AgentModel): string {
  if (r.tried.has(chosen) && !r.tried.has(next.id))
    return `${chosen} already let it go and ${next.id} was not asked yet`;
  return `${next.id} has been free longer`;
}

function idleMember(model: Model, portalId: PortalId, queue: RequestModel[]): AgentId | undefined {
  const holding = new Set(queue.map((w) => w.offeredTo));
  return model.members(portalId).find((a) => model.free(a) && !holding.has(a.id))?.id;
}

function describe(model: Model, id: AgentId): string {
  const a = model.agents.get(id)!;
  return `logged in ${a.loggedIn}, connected ${a.connected}, available ${a.available}, ${a.active}/${a.max} sessions`;
}
