// One portal: its type, mode, language and member agents (R-P1, R-P2, R-M1). Reconfiguration is validated by the floor first.
import { assign, setup } from "xstate";
import type { PortalConfig } from "./config.ts";

export type PortalEvent = { type: "portal.configure"; config: PortalConfig };

export const portalMachine = setup({
  types: {
    context: {} as { config: PortalConfig },
    events: {} as PortalEvent,
    input: {} as { config: PortalConfig },
  },
}).createMachine({
  id: "portal",
  context: ({ input }) => ({ config: input.config }),
  on: { "portal.configure": { actions: assign({ config: ({ event }) => event.config }) } },
});
