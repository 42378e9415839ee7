// No request lost (R-D2, R-A8): each posted request ends exactly once — started after an answer, abandoned, or expired.
import type { RequestId } from "../../actors/index.ts";
import { isOver } from "../model.ts";
import type { Checker } from "./types.ts";

export function requestLifecycle(): Checker {
  const startedThisBatch: RequestId[] = [];
  return {
    name: "requestLifecycle",
    onEvent(e, { model, report }) {
      if (!e.type.startsWith("request.") || e.type === "request.clock" || !("requestId" in e) || !e.requestId)
        return;
      const r = model.requests.get(e.requestId);
      if (e.type === "request.posted") {
        if (r) report("R-D2", `request ${e.requestId} was posted twice`);
        return;
      }
      if (!r) return report("R-D2", `${e.type} for request ${e.requestId}, which was never posted`);
      if (isOver(r.phase))
        return report("R-D2", `${e.type} for request ${r.id}, which already ended (${r.phase})`);
      if (e.type === "request.started") {
        if (r.phase !== "answered" && r.phase !== "held")
          report("R-D2", `request ${r.id} started without being answered (was ${r.phase})`);
        startedThisBatch.push(r.id);
      }
      if (e.type === "request.expired" && r.phase !== "waiting")
        report("R-D2", `request ${r.id} expired after it was answered (was ${r.phase})`);
      if (e.type === "request.queuedForAgent" && r.phase !== "answered")
        report("R-A8", `request ${r.id} queued for ${e.agentId} while ${r.phase}`);
    },
    onQuiet({ model, report }) {
      for (const id of startedThisBatch.splice(0)) {
        const r = model.requests.get(id)!;
        const s = r.sessionId ? model.sessions.get(r.sessionId) : undefined;
        if (!s || s.requestId !== id)
          report("R-D2", `request ${id} started but no session ${r.sessionId} started for it`);
      }
    },
    finish({ model, report }) {
      for (const r of model.open) {
        report(
          "R-D2",
          `request ${r.id} (${r.mode}, portal ${r.portalId}) was lost: still ${r.phase} at the end, never started, abandoned nor expired`,
        );
      }
    },
  };
}
