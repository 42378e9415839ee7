// The support floor: spawns one actor per agent, portal, queue, request, session and SmartCode under a systemId,
// routes commands to them, wires their published events to each other, and re-emits every event as the one domain stream.
import { enqueueActions, setup } from "xstate";
import type { MachineCommand } from "./commands.ts";
import type { DomainEvent, Publish } from "./events.ts";
import { handleCommand } from "./floorCommands.ts";
import { react, remindable } from "./floorReactions.ts";
import type { FloorContext, FloorInput, Scope } from "./floorScope.ts";

type FloorEvent =
  | MachineCommand
  | Publish
  | { type: `xstate.done.actor.${string}`; actorId: string }
  | { type: `xstate.error.actor.${string}`; actorId: string; error: unknown };

export const floorMachine = setup({
  types: {
    context: {} as FloorContext,
    events: {} as FloorEvent,
    input: {} as FloorInput,
    emitted: {} as DomainEvent,
  },
  actions: {
    handleCommand: enqueueActions(({ context, event, enqueue, system }) => {
      const s: Scope = { context, system, enqueue };
      handleCommand(s, event as MachineCommand);
    }),
    handlePublish: enqueueActions(({ context, event, enqueue, system }) => {
      const s: Scope = { context, system, enqueue };
      const e = (event as Publish).event;
      if (e.type === "alert.reminded") {
        const agentIds = remindable(s, e.agentIds);
        if (agentIds.length > 0) enqueue.emit({ ...e, agentIds });
        return;
      }
      enqueue.emit(e);
      react(s, e);
    }),
    reportFailure: enqueueActions(({ event, enqueue }) => {
      const { actorId, error } = event as unknown as { actorId: string; error: unknown };
      enqueue.emit({ type: "actor.failed", actorId, error: String(error) });
    }),
  },
}).createMachine({
  id: "floor",
  context: ({ input }) => ({
    options: input.options,
    rng: input.seed >>> 0,
    seq: 0,
    now: input.now,
    index: {
      agentIds: [],
      portalIds: [],
      queuePortalIds: [],
      queuesByAgent: new Map(),
      issuedSessionIds: new Set(),
      claims: new Map(),
      joins: new Map(),
      codesByAgent: new Map(),
      requestPortal: new Map(),
      redeems: new Map(),
    },
  }),
  on: {
    publish: { actions: "handlePublish" },
    // A finished child has already left the system; nothing to tidy.
    "xstate.done.actor.*": {},
    // A child that throws is a bug: it is reported on the stream and the rest of the floor carries on.
    "xstate.error.actor.*": { actions: "reportFailure" },
    "*": { actions: "handleCommand" },
  },
});
