// At the end of the day, with everyone logged out and the clock drained (R-D2), nothing is left behind: no open
// session, no slot held, no live code, no leaked actor, and the floor really went quiet.
import type { Checker } from "./types.ts";

export function endOfDay(): Checker {
  return {
    name: "endOfDay",
    finish({ model, floor, drained, report }) {
      if (!drained) report("R-D2", "the floor still had timers or actions pending when the run was cut off");
      for (const s of model.sessions.values())
        if (!s.closed)
          report("R-D2", `session ${s.id} (owner ${s.owner}) was never closed after everyone logged out`);
      for (const a of model.agents.values()) {
        if (a.loggedIn) report("R-D2", `agent ${a.id} is still logged in at the end of the day`);
        if (a.active !== 0 || a.sessions.size !== 0)
          report(
            "R-A7",
            `agent ${a.id} still holds ${a.active} slots (${[...a.sessions].join(", ")}) after logging out`,
          );
      }
      for (const c of model.codes.values())
        if (c.state === "active") report("R-P6", `code ${c.code} is still active`);
      if (!floor) return;
      const expected = model.agents.size + model.portals.size + model.queues.size;
      const live = floor.childCount();
      if (live !== expected)
        report(
          "R-D2",
          `the floor holds ${live} actors, expected ${expected} (agents, portals, queues): something leaked`,
        );
    },
  };
}
