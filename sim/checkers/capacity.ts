// No agent above the maximum (R-A7, R-A8): slots taken and given back, counted from the events, never exceed the agent's maximum nor 8.
import { type AgentId, maxSessionsPerAgentLimit } from "../../actors/index.ts";
import type { Checker } from "./types.ts";

export function capacity(): Checker {
  const touched = new Set<AgentId>();
  return {
    name: "capacity",
    onEvent(e, { model, report }) {
      if (
        e.type !== "agent.slotGranted" &&
        e.type !== "agent.joinedSession" &&
        e.type !== "agent.slotReleased"
      )
        return;
      const a = model.agents.get(e.agentId);
      if (!a) return report("R-A7", `${e.type} for unknown agent ${e.agentId}`);
      touched.add(a.id);
      const next = a.active + (e.type === "agent.slotReleased" ? -1 : 1);
      if (next > a.max) report("R-A7", `agent ${a.id} holds ${next} sessions, above its maximum of ${a.max}`);
      if (next > maxSessionsPerAgentLimit)
        report(
          "R-A7",
          `agent ${a.id} holds ${next} sessions, above the limit of ${maxSessionsPerAgentLimit}`,
        );
      if (next < 0) report("R-A7", `agent ${a.id} released a slot it did not hold`);
      if (e.active !== next)
        report("R-A7", `agent ${a.id}: ${e.type} says ${e.active} active, the events add up to ${next}`);
    },
    onQuiet({ model, floor, report }) {
      for (const id of touched) {
        const live = floor?.agent(id);
        const a = model.agents.get(id)!;
        if (live && live.active !== a.active)
          report(
            "R-A7",
            `agent ${id}: the floor says ${live.active} active, the events add up to ${a.active}`,
          );
      }
      touched.clear();
    },
  };
}
