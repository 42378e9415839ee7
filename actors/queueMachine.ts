// A Queue-mode portal's FIFO (R-P5): each request is offered to one free agent at a time, oldest request first,
// longest-idle agent first; an offer not answered in time moves on to the next agent.
import { assign, enqueueActions, setup } from "xstate";
import { type DomainEvent, publish } from "./events.ts";
import { type AgentId, type PortalId, type RequestId, systemIds } from "./ids.ts";
import type { RequestEvent } from "./requestMachine.ts";

/** An agent the floor found free for this queue: logged in, connected, Available, below the maximum. */
export interface FreeAgent {
  agentId: AgentId;
  freeSince: number;
}

export interface Waiting {
  requestId: RequestId;
  postedSeq: number;
}

export interface QueueContext {
  portalId: PortalId;
  /** Waiting requests in posting order. */
  waiting: Waiting[];
  /** The one open offer of each request, if any. */
  offers: Record<RequestId, AgentId>;
  /** Agents whose offer for a request ended unanswered; they are asked again only once everyone was. */
  tried: Record<RequestId, AgentId[]>;
}

export type QueueEvent =
  | { type: "queue.enqueue"; request: Waiting; free: FreeAgent[] }
  | { type: "queue.remove"; requestId: RequestId; free: FreeAgent[] }
  | { type: "queue.offerEnded"; requestId: RequestId; agentId: AgentId; free: FreeAgent[] }
  | { type: "queue.dispatch"; free: FreeAgent[] };

/** Pairs the oldest unoffered requests with the longest-idle free agents who hold no other offer. */
export function planOffers(
  ctx: QueueContext,
  free: FreeAgent[],
): Array<{ requestId: RequestId; agentId: AgentId }> {
  const busy = new Set(Object.values(ctx.offers));
  const candidates = free
    .filter((a) => !busy.has(a.agentId))
    .sort(
      (a, b) => a.freeSince - b.freeSince || (a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0),
    );
  const plan: Array<{ requestId: RequestId; agentId: AgentId }> = [];
  for (const { requestId } of ctx.waiting) {
    if (candidates.length === 0) break;
    if (ctx.offers[requestId]) continue;
    const tried = ctx.tried[requestId] ?? [];
    let index = candidates.findIndex((a) => !tried.includes(a.agentId));
    if (index < 0) index = 0; // everyone free was asked already: start another round
    const [agent] = candidates.splice(index, 1);
    plan.push({ requestId, agentId: agent!.agentId });
  }
  return plan;
}

const without = <T>(record: Record<RequestId, T>, id: RequestId) => {
  const { [id]: _, ...rest } = record;
  return rest;
};

export const queueMachine = setup({
  types: { context: {} as QueueContext, events: {} as QueueEvent, input: {} as { portalId: PortalId } },
  actions: {
    dispatch: enqueueActions(({ context, event, enqueue, system }) => {
      const plan = planOffers(context, event.free);
      if (plan.length === 0) return;
      const offers = { ...context.offers };
      for (const { requestId, agentId } of plan) {
        offers[requestId] = agentId;
        const offer: RequestEvent = { type: "request.offer", agentId };
        enqueue.sendTo(system.get(systemIds.request(requestId)), offer);
      }
      enqueue.assign({ offers });
    }),
  },
}).createMachine({
  id: "queue",
  context: ({ input }) => ({ portalId: input.portalId, waiting: [], offers: {}, tried: {} }),
  on: {
    "queue.enqueue": {
      actions: [
        assign({
          waiting: ({ context, event }) =>
            [...context.waiting, event.request].sort((a, b) => a.postedSeq - b.postedSeq),
        }),
        enqueueActions(({ context, event, enqueue }) => {
          const e: DomainEvent = {
            type: "queue.enqueued",
            portalId: context.portalId,
            requestId: event.request.requestId,
            length: context.waiting.length,
          };
          enqueue.sendParent(publish(e));
        }),
        "dispatch",
      ],
    },
    "queue.remove": {
      actions: [
        enqueueActions(({ context, event, enqueue }) => {
          if (!context.waiting.some((w) => w.requestId === event.requestId)) return;
          const waiting = context.waiting.filter((w) => w.requestId !== event.requestId);
          enqueue.assign({
            waiting,
            offers: without(context.offers, event.requestId),
            tried: without(context.tried, event.requestId),
          });
          enqueue.sendParent(
            publish({
              type: "queue.dequeued",
              portalId: context.portalId,
              requestId: event.requestId,
              length: waiting.length,
            }),
          );
        }),
        "dispatch",
      ],
    },
    "queue.offerEnded": {
      actions: [
        assign(({ context, event }) =>
          context.offers[event.requestId] !== event.agentId
            ? {}
            : {
                offers: without(context.offers, event.requestId),
                tried: {
                  ...context.tried,
                  [event.requestId]: [...(context.tried[event.requestId] ?? []), event.agentId],
                },
              },
        ),
        "dispatch",
      ],
    },
    "queue.dispatch": { actions: "dispatch" },
  },
});
