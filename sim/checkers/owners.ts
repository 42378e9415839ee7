// Never two owners (R-P3, R-S6): one answer per request, the session goes to whoever answered, and ownership moves only from the current owner.
import type { SessionId } from "../../actors/index.ts";
import type { Checker } from "./types.ts";

export function singleOwner(): Checker {
  const touched = new Set<SessionId>();
  const sessionOfRequest = new Map<string, SessionId>();
  return {
    name: "singleOwner",
    onEvent(e, { model, report }) {
      switch (e.type) {
        case "request.answered": {
          const r = model.requests.get(e.requestId);
          if (r && (r.phase === "answered" || r.phase === "held" || r.phase === "started"))
            report("R-P3", `request ${r.id} answered by ${e.agentId} while ${r.answeredBy} already owns it`);
          return;
        }
        case "request.started": {
          const r = model.requests.get(e.requestId);
          if (r && r.answeredBy !== e.agentId)
            report("R-P3", `request ${r.id} started for ${e.agentId} but was answered by ${r.answeredBy}`);
          return;
        }
        case "session.started": {
          const r = model.requests.get(e.requestId);
          const before = sessionOfRequest.get(e.requestId);
          if (before)
            report("R-P3", `request ${e.requestId} got a second session ${e.sessionId} (first ${before})`);
          sessionOfRequest.set(e.requestId, e.sessionId);
          if (r && r.answeredBy !== e.agentId)
            report(
              "R-P3",
              `session ${e.sessionId} given to ${e.agentId} but ${r.answeredBy} answered ${r.id}`,
            );
          return;
        }
        case "session.ownerChanged": {
          const s = model.sessions.get(e.sessionId);
          touched.add(e.sessionId);
          if (!s) return report("R-S6", `owner of unknown session ${e.sessionId} changed`);
          if (s.closed) report("R-S6", `owner of closed session ${s.id} changed`);
          if (s.owner !== e.from)
            report("R-S6", `session ${s.id} ownership moved from ${e.from}, but ${s.owner} owns it`);
          if (e.to === e.from) report("R-S6", `session ${s.id} ownership moved from ${e.from} to itself`);
          return;
        }
        case "session.closed": {
          const s = model.sessions.get(e.sessionId);
          if (s && e.by !== null && e.by !== s.owner)
            report("R-S4", `session ${s.id} closed by ${e.by}, who does not own it (${s.owner} does)`);
          if (s?.closed) report("R-S4", `session ${s.id} closed twice`);
          return;
        }
      }
    },
    onQuiet({ model, floor, report }) {
      for (const id of touched) {
        const s = model.sessions.get(id);
        const live = floor?.session(id);
        if (s && live && live.owner !== s.owner)
          report("R-S6", `session ${id}: the floor says ${live.owner} owns it, the events say ${s.owner}`);
      }
      touched.clear();
    },
  };
}
