// One customer request from posting to its end: answered (then started, possibly Queued first, R-A8), abandoned or expired.
// It is the single arbiter of "who answered first" (R-P3), owns the Incoming clock (R-L3), reminders (R-P9) and Queue offers (R-P5).
import { assign, enqueueActions, setup } from "xstate";
import type { Mode } from "./config.ts";
import { type AlertColour, type Customer, type DomainEvent, publish } from "./events.ts";
import type { AgentId, PortalId, RequestId, SessionId } from "./ids.ts";
import type { FloorOptions } from "./options.ts";

export interface RequestInput {
  requestId: RequestId;
  portalId: PortalId;
  mode: Mode;
  customer: Customer;
  /** Agents alerted when posted (broadcast, match); empty in Queue and Phone modes. */
  alerted: AgentId[];
  colour: AlertColour | null;
  /** Only these agents may answer; null = any eligible member (checked by the floor). */
  allowed: AgentId[] | null;
  /** Set for SmartCode requests: already answered by the code's issuer (R-P6). */
  answeredBy: AgentId | null;
  /** Order of posting across the floor, for FIFO. */
  postedSeq: number;
  options: Pick<
    FloorOptions,
    | "alertDisplayMs"
    | "alertReminderMs"
    | "queueOfferTimeoutMs"
    | "requestExpiryMs"
    | "requestAttentionMs"
    | "requestWarningMs"
  >;
}

export interface RequestContext extends RequestInput {
  offeredTo: AgentId | null;
  sessionId: SessionId | null;
}

export type RequestEvent =
  | { type: "request.answer"; agentId: AgentId; commandId?: string }
  | { type: "request.offer"; agentId: AgentId }
  | { type: "request.decline"; agentId: AgentId }
  | { type: "request.withdrawOffer"; agentId: AgentId }
  | { type: "request.hold" }
  | { type: "request.start"; sessionId: SessionId }
  | { type: "request.reroute"; alerted: AgentId[] }
  | { type: "request.abandon" };

export const requestMachine = setup({
  types: {
    context: {} as RequestContext,
    events: {} as RequestEvent,
    input: {} as RequestInput,
  },
  guards: {
    isPreAnswered: ({ context }) => context.answeredBy !== null,
    mayAnswer: ({ context, event }) => {
      if (event.type !== "request.answer") return false;
      if (context.mode === "queue") return context.offeredTo === event.agentId;
      return context.allowed === null || context.allowed.includes(event.agentId);
    },
    isOfferHolder: ({ context, event }) => "agentId" in event && context.offeredTo === event.agentId,
  },
  delays: {
    attention: ({ context }) => context.options.requestAttentionMs,
    warning: ({ context }) =>
      Math.max(0, context.options.requestWarningMs - context.options.requestAttentionMs),
    reminder: ({ context }) => context.options.alertReminderMs,
    offerTimeout: ({ context }) => context.options.queueOfferTimeoutMs,
    expiry: ({ context }) => context.options.requestExpiryMs,
  },
  actions: {
    tell: enqueueActions(({ enqueue }, event: DomainEvent) => {
      enqueue.sendParent(publish(event));
    }),
    announceClock: enqueueActions(({ context, enqueue }, clock: "attention" | "warning" | "queued") => {
      enqueue.sendParent(publish({ type: "request.clock", requestId: context.requestId, clock }));
    }),
    recordAnswer: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== "request.answer") return;
      enqueue.assign({ answeredBy: event.agentId, offeredTo: null });
      const via = context.mode === "queue" ? "offer" : "alert";
      enqueue.sendParent(
        publish({ type: "request.answered", requestId: context.requestId, agentId: event.agentId, via }),
      );
      const others = context.alerted.filter((a) => a !== event.agentId);
      if (others.length > 0) {
        enqueue.sendParent(
          publish({
            type: "alert.withdrawn",
            agentIds: others,
            requestId: context.requestId,
            reason: "answered",
          }),
        );
      }
    }),
    rejectAnswer: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== "request.answer") return;
      const answered = context.answeredBy !== null;
      enqueue.sendParent(
        publish({
          type: "command.rejected",
          command: "request.answer",
          commandId: event.commandId,
          reason: answered ? "alreadyAnswered" : context.mode === "queue" ? "notOffered" : "notEligible",
          detail: answered
            ? `request ${context.requestId} was already answered`
            : `agent ${event.agentId} may not answer request ${context.requestId}`,
        }),
      );
    }),
    withdrawAlerts: enqueueActions(({ context, enqueue }, reason: "abandoned" | "expired") => {
      const agentIds = context.offeredTo ? [...context.alerted, context.offeredTo] : context.alerted;
      if (agentIds.length === 0) return;
      enqueue.sendParent(
        publish({ type: "alert.withdrawn", agentIds, requestId: context.requestId, reason }),
      );
    }),
    remind: enqueueActions(({ context, enqueue }) => {
      enqueue.sendParent(
        publish({ type: "alert.reminded", requestId: context.requestId, agentIds: context.alerted }),
      );
    }),
    endOffer: enqueueActions(({ context, enqueue }, reason: "timeout" | "declined" | "agentGone") => {
      enqueue.sendParent(
        publish({ type: "offer.ended", requestId: context.requestId, agentId: context.offeredTo!, reason }),
      );
    }),
  },
}).createMachine({
  id: "request",
  context: ({ input }) => ({ ...input, offeredTo: null, sessionId: null }),
  initial: "routing",
  states: {
    routing: {
      always: [{ guard: "isPreAnswered", target: "answered" }, { target: "pending" }],
    },
    pending: {
      type: "parallel",
      after: {
        expiry: {
          target: "expired",
          actions: [{ type: "withdrawAlerts", params: "expired" }],
        },
      },
      on: {
        "request.answer": [
          { guard: "mayAnswer", target: "answered", actions: "recordAnswer" },
          { actions: "rejectAnswer" },
        ],
        "request.abandon": {
          target: "abandoned",
          actions: [{ type: "withdrawAlerts", params: "abandoned" }],
        },
        "request.reroute": {
          actions: assign({ alerted: ({ event }) => event.alerted }),
        },
      },
      states: {
        clock: {
          initial: "new",
          states: {
            new: {
              after: {
                attention: { target: "attention", actions: { type: "announceClock", params: "attention" } },
              },
            },
            attention: {
              after: {
                warning: { target: "warning", actions: { type: "announceClock", params: "warning" } },
              },
            },
            warning: {},
          },
        },
        reminders: {
          initial: "waiting",
          states: {
            waiting: { after: { reminder: { target: "waiting", reenter: true, actions: "remind" } } },
          },
        },
        offer: {
          initial: "none",
          states: {
            none: {
              on: {
                "request.offer": {
                  target: "open",
                  actions: [
                    assign({ offeredTo: ({ event }) => event.agentId }),
                    {
                      type: "tell",
                      params: ({ context: c }) => ({
                        type: "offer.made",
                        requestId: c.requestId,
                        agentId: c.offeredTo!,
                        portalId: c.portalId,
                        timeoutMs: c.options.queueOfferTimeoutMs,
                      }),
                    },
                  ],
                },
              },
            },
            open: {
              after: {
                offerTimeout: {
                  target: "none",
                  actions: [{ type: "endOffer", params: "timeout" }, assign({ offeredTo: null })],
                },
              },
              on: {
                "request.decline": {
                  guard: "isOfferHolder",
                  target: "none",
                  actions: [{ type: "endOffer", params: "declined" }, assign({ offeredTo: null })],
                },
                "request.withdrawOffer": {
                  guard: "isOfferHolder",
                  target: "none",
                  actions: [{ type: "endOffer", params: "agentGone" }, assign({ offeredTo: null })],
                },
              },
            },
          },
        },
      },
    },
    answered: {
      on: {
        "request.answer": { actions: "rejectAnswer" },
        "request.hold": { target: "queued", actions: { type: "announceClock", params: "queued" } },
        "request.start": {
          target: "started",
          actions: assign({ sessionId: ({ event }) => event.sessionId }),
        },
        "request.abandon": { target: "abandoned" },
      },
    },
    /** Answered by an agent at the maximum: the customer waits for that agent (R-A8). */
    queued: {
      on: {
        "request.answer": { actions: "rejectAnswer" },
        "request.start": {
          target: "started",
          actions: assign({ sessionId: ({ event }) => event.sessionId }),
        },
        "request.abandon": { target: "abandoned" },
        "request.reroute": {
          target: "pending",
          actions: assign({ alerted: ({ event }) => event.alerted, answeredBy: null }),
        },
      },
    },
    started: {
      type: "final",
      entry: {
        type: "tell",
        params: ({ context: c }) => ({
          type: "request.started",
          requestId: c.requestId,
          sessionId: c.sessionId!,
          agentId: c.answeredBy!,
        }),
      },
    },
    abandoned: {
      type: "final",
      entry: {
        type: "tell",
        params: ({ context: c }) => ({ type: "request.abandoned", requestId: c.requestId }),
      },
    },
    expired: {
      type: "final",
      entry: {
        type: "tell",
        params: ({ context: c }) => ({ type: "request.expired", requestId: c.requestId }),
      },
    },
  },
});
