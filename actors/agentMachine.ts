// One agent: presence (R-A6), connection, and the arbiter of its own session slots — the per-agent maximum (R-A7) and the Queued requests (R-A8).
import { assign, enqueueActions, setup } from "xstate";
import type { AgentConfig } from "./config.ts";
import { type DomainEvent, publish } from "./events.ts";
import type { AgentId, RequestId, SessionId } from "./ids.ts";

export interface QueuedClaim {
  requestId: RequestId;
  sessionId: SessionId;
}

export interface AgentContext {
  config: AgentConfig;
  /** Sessions this agent is in (owner or invitee); never longer than config.maxSessions. */
  active: SessionId[];
  /** Requests answered while at the maximum, oldest first (R-A8). */
  queued: QueuedClaim[];
  /** Sequence number of the last time the agent became free (for longest-idle choice in Queue mode). */
  freeSince: number;
  reconnectGraceMs: number;
}

export type AgentEvent =
  | { type: "agent.login" }
  | { type: "agent.logout" }
  | { type: "agent.setAvailable"; available: boolean }
  | { type: "agent.disconnect" }
  | { type: "agent.reconnect" }
  | { type: "agent.claimSlot"; requestId: RequestId; sessionId: SessionId; tick: number }
  | { type: "agent.joinSession"; sessionId: SessionId; commandId?: string }
  | { type: "agent.releaseSlot"; sessionId: SessionId; tick: number }
  | { type: "agent.dropQueued"; requestId: RequestId }
  | { type: "agent.configure"; config: AgentConfig };

export const agentMachine = setup({
  types: {
    context: {} as AgentContext,
    events: {} as AgentEvent,
    input: {} as { config: AgentConfig; reconnectGraceMs: number },
  },
  guards: {
    hasCapacity: ({ context }) => context.active.length < context.config.maxSessions,
    remindsWhenUnavailable: ({ context }) => context.config.preferences.unavailableReminderMs !== null,
    goesUnavailableAfterSession: ({ context }) => context.config.preferences.unavailableAfterSession,
  },
  delays: {
    unavailableReminder: ({ context }) => context.config.preferences.unavailableReminderMs ?? 0,
    reconnectGrace: ({ context }) => context.reconnectGraceMs,
  },
  actions: {
    /** R-A8: take the slot if one is free, else queue the request for this agent. */
    claimSlot: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== "agent.claimSlot") return;
      const agentId = context.config.id;
      if (context.active.length < context.config.maxSessions) {
        const active = [...context.active, event.sessionId];
        enqueue.assign({ active });
        enqueue.sendParent(
          publish({
            type: "agent.slotGranted",
            agentId,
            requestId: event.requestId,
            active: active.length,
            max: context.config.maxSessions,
          }),
        );
      } else {
        const queued = [...context.queued, { requestId: event.requestId, sessionId: event.sessionId }];
        enqueue.assign({ queued });
        enqueue.sendParent(
          publish({ type: "agent.slotQueued", agentId, requestId: event.requestId, position: queued.length }),
        );
      }
    }),
    joinSession: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== "agent.joinSession") return;
      const active = [...context.active, event.sessionId];
      enqueue.assign({ active });
      enqueue.sendParent(
        publish({
          type: "agent.joinedSession",
          agentId: context.config.id,
          sessionId: event.sessionId,
          active: active.length,
          max: context.config.maxSessions,
        }),
      );
    }),
    refuseJoin: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== "agent.joinSession") return;
      enqueue.sendParent(
        publish({
          type: "command.rejected",
          command: "agent.joinSession",
          commandId: event.commandId,
          reason: "atMaximum",
          detail: `agent ${context.config.id} is at the maximum of ${context.config.maxSessions} sessions`,
        }),
      );
    }),
    /** A slot frees: the oldest Queued request takes it at once (R-A8). */
    releaseSlot: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== "agent.releaseSlot" || !context.active.includes(event.sessionId)) return;
      const agentId = context.config.id;
      let active = context.active.filter((s) => s !== event.sessionId);
      let queued = context.queued;
      enqueue.sendParent(
        publish({ type: "agent.slotReleased", agentId, sessionId: event.sessionId, active: active.length }),
      );
      while (active.length < context.config.maxSessions && queued.length > 0) {
        const [next, ...rest] = queued as [QueuedClaim, ...QueuedClaim[]];
        active = [...active, next.sessionId];
        queued = rest;
        enqueue.sendParent(
          publish({
            type: "agent.slotGranted",
            agentId,
            requestId: next.requestId,
            active: active.length,
            max: context.config.maxSessions,
          }),
        );
      }
      enqueue.assign({ active, queued, freeSince: event.tick });
    }),
    dropQueued: assign({
      queued: ({ context, event }) =>
        event.type === "agent.dropQueued"
          ? context.queued.filter((q) => q.requestId !== event.requestId)
          : context.queued,
    }),
    configure: assign({
      config: ({ context, event }) => (event.type === "agent.configure" ? event.config : context.config),
    }),
    tell: enqueueActions(({ enqueue }, event: DomainEvent) => {
      enqueue.sendParent(publish(event));
    }),
  },
}).createMachine({
  id: "agent",
  context: ({ input }) => ({
    config: input.config,
    active: [],
    queued: [],
    freeSince: 0,
    reconnectGraceMs: input.reconnectGraceMs,
  }),
  on: {
    "agent.claimSlot": { actions: "claimSlot" },
    "agent.joinSession": [{ guard: "hasCapacity", actions: "joinSession" }, { actions: "refuseJoin" }],
    "agent.releaseSlot": { actions: "releaseSlot" },
    "agent.dropQueued": { actions: "dropQueued" },
    "agent.configure": { actions: "configure" },
  },
  initial: "offline",
  states: {
    offline: {
      on: {
        "agent.login": {
          target: "online",
          actions: {
            type: "tell",
            params: ({ context }) => ({ type: "agent.loggedIn", agentId: context.config.id }),
          },
        },
      },
    },
    online: {
      type: "parallel",
      on: {
        "agent.logout": {
          target: "offline",
          actions: {
            type: "tell",
            params: ({ context }) => ({
              type: "agent.loggedOut",
              agentId: context.config.id,
              reason: "requested",
            }),
          },
        },
      },
      states: {
        presence: {
          initial: "available",
          states: {
            available: {
              on: {
                "agent.setAvailable": {
                  guard: ({ event }) => !event.available,
                  target: "notAvailable",
                  actions: {
                    type: "tell",
                    params: ({ context }) => availability(context.config.id, false, "requested"),
                  },
                },
                "agent.releaseSlot": {
                  guard: "goesUnavailableAfterSession",
                  target: "notAvailable",
                  actions: [
                    "releaseSlot",
                    {
                      type: "tell",
                      params: ({ context }) => availability(context.config.id, false, "afterSession"),
                    },
                  ],
                },
              },
            },
            notAvailable: {
              initial: "waiting",
              states: {
                waiting: {
                  always: { guard: "remindsWhenUnavailable", target: "reminding" },
                },
                reminding: {
                  after: {
                    unavailableReminder: {
                      target: "reminding",
                      reenter: true,
                      actions: {
                        type: "tell",
                        params: ({ context }) => ({ type: "agent.reminded", agentId: context.config.id }),
                      },
                    },
                  },
                },
              },
              on: {
                "agent.setAvailable": {
                  guard: ({ event }) => event.available,
                  target: "available",
                  actions: {
                    type: "tell",
                    params: ({ context }) => availability(context.config.id, true, "requested"),
                  },
                },
              },
            },
          },
        },
        link: {
          initial: "connected",
          states: {
            connected: {
              on: {
                "agent.disconnect": {
                  target: "disconnected",
                  actions: {
                    type: "tell",
                    params: ({ context }) => ({ type: "agent.disconnected", agentId: context.config.id }),
                  },
                },
              },
            },
            disconnected: {
              on: {
                "agent.reconnect": {
                  target: "connected",
                  actions: {
                    type: "tell",
                    params: ({ context }) => ({ type: "agent.reconnected", agentId: context.config.id }),
                  },
                },
              },
              after: {
                reconnectGrace: {
                  target: "#agent.offline",
                  actions: {
                    type: "tell",
                    params: ({ context }) => ({
                      type: "agent.loggedOut",
                      agentId: context.config.id,
                      reason: "connectionLost",
                    }),
                  },
                },
              },
            },
          },
        },
      },
    },
  },
});

function availability(
  agentId: AgentId,
  available: boolean,
  reason: "requested" | "afterSession",
): DomainEvent {
  return { type: "agent.availabilityChanged", agentId, available, reason };
}

/** What routing needs to know of an agent, read from its snapshot. */
export interface AgentView {
  id: AgentId;
  loggedIn: boolean;
  connected: boolean;
  available: boolean;
  active: number;
  queued: number;
  max: number;
  freeSince: number;
  config: AgentConfig;
}

// biome-ignore lint/suspicious/noExplicitAny: snapshots of this machine only
export function agentView(snapshot: any): AgentView {
  const ctx = snapshot.context as AgentContext;
  const loggedIn = snapshot.matches("online");
  return {
    id: ctx.config.id,
    loggedIn,
    connected: loggedIn && snapshot.matches({ online: { link: "connected" } }),
    available: loggedIn && snapshot.matches({ online: { presence: "available" } }),
    active: ctx.active.length,
    queued: ctx.queued.length,
    max: ctx.config.maxSessions,
    freeSince: ctx.freeSince,
    config: ctx.config,
  };
}
