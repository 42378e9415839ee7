// One support session: who is in it, with hidden invitees (R-S7), leave (R-S5), transfer (R-S6) and close with a
// resolution (R-S4). Ownership changes happen here, in one step. Who may write a chat line, note or pushed URL
// (R-S1–S3) is decided here too (`lineRefusal`), but a line changes no state: the floor takes it (`sessionLines.ts`).
import { enqueueActions, sendParent, setup } from "xstate";
import {
  type Customer,
  type DomainEvent,
  type Principal,
  publish,
  type RejectionReason,
  type Resolution,
  type SessionScreenState,
  type TransferTarget,
} from "./events.ts";
import type { AgentId, PortalId, RequestId, SessionId } from "./ids.ts";
import type { FloorOptions } from "./options.ts";

export interface Participant {
  agentId: AgentId;
  hidden: boolean;
}

export interface SessionInput {
  sessionId: SessionId;
  requestId: RequestId;
  portalId: PortalId;
  customer: Customer;
  owner: AgentId;
  options: Pick<FloorOptions, "transferEnabled" | "inviteEnabled" | "resolutionExtraField">;
}

export interface SessionContext extends SessionInput {
  /** Invited agents who joined; the owner is not listed here. */
  invitees: Participant[];
  pendingTransfer: { from: AgentId; to: TransferTarget; agentIds: AgentId[]; comments: string } | null;
  pendingInvite: { by: AgentId; agentIds: AgentId[]; hidden: boolean; comments: string } | null;
  screen: SessionScreenState;
  customerPresent: boolean;
}

type Cmd = { commandId?: string };
export type SessionEvent =
  | ({ type: "session.screen"; state: SessionScreenState } & Cmd)
  | ({
      type: "session.invite";
      agentId: AgentId;
      recipients: AgentId[];
      hidden: boolean;
      comments: string;
    } & Cmd)
  | ({ type: "session.cancelInvite"; agentId: AgentId } & Cmd)
  | ({ type: "session.acceptInvite"; agentId: AgentId } & Cmd)
  | ({
      type: "session.transfer";
      agentId: AgentId;
      to: TransferTarget;
      recipients: AgentId[];
      comments: string;
    } & Cmd)
  | ({ type: "session.cancelTransfer"; agentId: AgentId; reason?: "requested" | "noTaker" } & Cmd)
  | ({ type: "session.acceptTransfer"; agentId: AgentId } & Cmd)
  | ({ type: "session.leave"; agentId: AgentId; forced?: boolean } & Cmd)
  | ({ type: "session.close"; agentId: AgentId; resolution: Resolution; extra?: string | null } & Cmd)
  | ({ type: "session.customerLeft" } & Cmd);

export function agentsIn(ctx: SessionContext): AgentId[] {
  return [ctx.owner, ...ctx.invitees.map((p) => p.agentId)];
}

/** Who the customer sees: the owner and visible invitees, never hidden ones (R-S7). */
export function customerVisibleAgents(ctx: SessionContext): AgentId[] {
  return [ctx.owner, ...ctx.invitees.filter((p) => !p.hidden).map((p) => p.agentId)];
}

const isIn = (ctx: SessionContext, agentId: AgentId) => agentsIn(ctx).includes(agentId);

function rejection(
  event: SessionEvent,
  ctx: SessionContext,
  reason: RejectionReason,
  detail: string,
): DomainEvent {
  return {
    type: "command.rejected",
    command: event.type,
    commandId: event.commandId,
    reason,
    detail: `session ${ctx.sessionId}: ${detail}`,
  };
}

/** Who may write in the session (R-S1): the customer while present, and the agents in it. Null when `author` may. */
export function lineRefusal(ctx: SessionContext, author: Principal): [RejectionReason, string] | null {
  if (author.kind === "customer") return ctx.customerPresent ? null : ["notParticipant", "the customer left"];
  return isIn(ctx, author.agentId)
    ? null
    : ["notParticipant", `agent ${author.agentId} is not in the session`];
}

/** Checks a command against the session's rules; returns why it is refused, or null when it may proceed. */
function refusal(ctx: SessionContext, event: SessionEvent): [RejectionReason, string] | null {
  switch (event.type) {
    case "session.invite":
      if (!ctx.options.inviteEnabled) return ["featureDisabled", "invitations are switched off"];
      if (!isIn(ctx, event.agentId))
        return ["notParticipant", `agent ${event.agentId} is not in the session`];
      if (ctx.pendingInvite) return ["duplicate", "an invitation is already pending"];
      if (event.recipients.length === 0) return ["noRecipients", "no agent can receive this invitation"];
      return null;
    case "session.cancelInvite":
      return ctx.pendingInvite?.by === event.agentId
        ? null
        : ["notInvited", "no invitation of yours is pending"];
    case "session.acceptInvite":
      if (isIn(ctx, event.agentId))
        return ["alreadyParticipant", `agent ${event.agentId} is already in the session`];
      return ctx.pendingInvite?.agentIds.includes(event.agentId)
        ? null
        : ["notInvited", `agent ${event.agentId} has no pending invitation`];
    case "session.transfer":
      if (!ctx.options.transferEnabled) return ["featureDisabled", "transfer is switched off"];
      if (ctx.owner !== event.agentId) return ["notOwner", `agent ${event.agentId} does not own the session`];
      if (ctx.pendingTransfer) return ["transferPending", "a transfer is already pending"];
      if (event.recipients.length === 0) return ["noRecipients", "no agent can receive this transfer"];
      return null;
    case "session.cancelTransfer":
      if (!ctx.pendingTransfer) return ["noTransferPending", "no transfer is pending"];
      return ctx.owner === event.agentId
        ? null
        : ["notOwner", `agent ${event.agentId} does not own the session`];
    case "session.acceptTransfer":
      if (!ctx.pendingTransfer) return ["noTransferPending", "no transfer is pending"];
      if (isIn(ctx, event.agentId))
        return ["alreadyParticipant", `agent ${event.agentId} is already in the session`];
      return ctx.pendingTransfer.agentIds.includes(event.agentId)
        ? null
        : ["notEligible", `agent ${event.agentId} was not offered this transfer`];
    case "session.leave":
      if (!isIn(ctx, event.agentId))
        return ["notParticipant", `agent ${event.agentId} is not in the session`];
      return agentsIn(ctx).length > 1 || event.forced
        ? null
        : ["lastAgent", "leave needs another agent who keeps the session (R-S5)"];
    case "session.close":
      if (ctx.owner !== event.agentId) return ["notOwner", `agent ${event.agentId} does not own the session`];
      return ctx.options.resolutionExtraField && !event.extra?.trim()
        ? ["extraFieldRequired", `${ctx.options.resolutionExtraField} is required to close (R-S4)`]
        : null;
    default:
      return null;
  }
}

export const sessionMachine = setup({
  types: {
    context: {} as SessionContext,
    events: {} as SessionEvent,
    input: {} as SessionInput,
  },
  guards: {
    isRefused: ({ context, event }) => refusal(context, event) !== null,
    isLastAgentLeaving: ({ context, event }) =>
      event.type === "session.leave" && agentsIn(context).length === 1,
  },
  actions: {
    reject: sendParent(({ context, event }) => {
      const [reason, detail] = refusal(context, event)!;
      return publish(rejection(event, context, reason, detail));
    }),
    apply: enqueueActions(({ context: c, event, enqueue }) => {
      const out = (e: DomainEvent) => enqueue.sendParent(publish(e));
      const sessionId = c.sessionId;
      switch (event.type) {
        case "session.screen":
          if (event.state === c.screen) return;
          enqueue.assign({ screen: event.state });
          out({ type: "session.stateChanged", sessionId, state: event.state });
          return;
        case "session.invite": {
          const { hidden, comments, recipients } = event;
          enqueue.assign({ pendingInvite: { by: event.agentId, agentIds: recipients, hidden, comments } });
          out({
            type: "invitation.sent",
            sessionId,
            by: event.agentId,
            agentIds: recipients,
            hidden,
            comments,
          });
          out({ type: "alert.raised", colour: "blue", agentIds: recipients, sessionId, displayMs: 0 });
          return;
        }
        case "session.cancelInvite": {
          const agentIds = c.pendingInvite!.agentIds;
          enqueue.assign({ pendingInvite: null });
          out({ type: "invitation.cancelled", sessionId, agentIds });
          out({ type: "alert.withdrawn", agentIds, sessionId, reason: "cancelled" });
          return;
        }
        case "session.acceptInvite": {
          const invite = c.pendingInvite!;
          enqueue.assign({
            pendingInvite: null,
            invitees: [...c.invitees, { agentId: event.agentId, hidden: invite.hidden }],
          });
          out({ type: "participant.joined", sessionId, agentId: event.agentId, hidden: invite.hidden });
          const others = invite.agentIds.filter((a) => a !== event.agentId);
          if (others.length)
            out({ type: "alert.withdrawn", agentIds: others, sessionId, reason: "accepted" });
          return;
        }
        case "session.transfer": {
          const { to, recipients, comments } = event;
          enqueue.assign({ pendingTransfer: { from: c.owner, to, agentIds: recipients, comments } });
          out({ type: "transfer.requested", sessionId, from: c.owner, to, agentIds: recipients, comments });
          out({ type: "alert.raised", colour: "orange", agentIds: recipients, sessionId, displayMs: 0 });
          return;
        }
        case "session.cancelTransfer": {
          const agentIds = c.pendingTransfer!.agentIds;
          enqueue.assign({ pendingTransfer: null });
          out({ type: "transfer.cancelled", sessionId, reason: event.reason ?? "requested" });
          out({ type: "alert.withdrawn", agentIds, sessionId, reason: "cancelled" });
          return;
        }
        case "session.acceptTransfer": {
          // The customer stays connected; ownership moves in this one step (R-S6).
          const transfer = c.pendingTransfer!;
          enqueue.assign({ pendingTransfer: null, owner: event.agentId });
          out({
            type: "session.ownerChanged",
            sessionId,
            from: c.owner,
            to: event.agentId,
            reason: "transfer",
          });
          out({ type: "participant.left", sessionId, agentId: c.owner });
          const others = transfer.agentIds.filter((a) => a !== event.agentId);
          if (others.length)
            out({ type: "alert.withdrawn", agentIds: others, sessionId, reason: "accepted" });
          return;
        }
        case "session.leave": {
          if (event.agentId === c.owner) {
            // The next invitee keeps the session (R-S5); a visible one first, so the customer still sees someone.
            const heir = c.invitees.find((p) => !p.hidden) ?? c.invitees[0]!;
            enqueue.assign({ owner: heir.agentId, invitees: c.invitees.filter((p) => p !== heir) });
            out({
              type: "session.ownerChanged",
              sessionId,
              from: c.owner,
              to: heir.agentId,
              reason: "leave",
            });
          } else {
            enqueue.assign({ invitees: c.invitees.filter((p) => p.agentId !== event.agentId) });
          }
          out({ type: "participant.left", sessionId, agentId: event.agentId });
          return;
        }
        case "session.customerLeft":
          if (!c.customerPresent) return;
          enqueue.assign({ customerPresent: false });
          out({ type: "customer.left", sessionId });
          return;
      }
    }),
    closeSession: enqueueActions(({ context: c, event, enqueue }) => {
      const out = (e: DomainEvent) => enqueue.sendParent(publish(e));
      const sessionId = c.sessionId;
      if (c.pendingTransfer) {
        out({ type: "transfer.cancelled", sessionId, reason: "closed" });
        out({ type: "alert.withdrawn", agentIds: c.pendingTransfer.agentIds, sessionId, reason: "closed" });
      }
      if (c.pendingInvite) {
        out({ type: "alert.withdrawn", agentIds: c.pendingInvite.agentIds, sessionId, reason: "closed" });
      }
      const closed = event.type === "session.close";
      out({
        type: "session.closed",
        sessionId,
        by: closed ? event.agentId : null,
        resolution: closed ? event.resolution : "unknown",
        extra: closed ? (event.extra ?? null) : null,
        agentIds: agentsIn(c),
        reason: closed ? "closed" : "ownerLoggedOut",
      });
    }),
  },
}).createMachine({
  id: "session",
  context: ({ input }) => ({
    ...input,
    invitees: [],
    pendingTransfer: null,
    pendingInvite: null,
    screen: "downloading",
    customerPresent: true,
  }),
  initial: "open",
  entry: sendParent(({ context: c }) =>
    publish({
      type: "session.started",
      sessionId: c.sessionId,
      requestId: c.requestId,
      portalId: c.portalId,
      agentId: c.owner,
      customer: c.customer,
    }),
  ),
  states: {
    open: {
      on: {
        "session.close": [
          { guard: "isRefused", actions: "reject" },
          { target: "closed", actions: "closeSession" },
        ],
        "session.leave": [
          { guard: "isRefused", actions: "reject" },
          // The owner logged out with nobody to keep the session: it ends as Unknown.
          { guard: "isLastAgentLeaving", target: "closed", actions: "closeSession" },
          { actions: "apply" },
        ],
        "*": [{ guard: "isRefused", actions: "reject" }, { actions: "apply" }],
      },
    },
    closed: { type: "final" },
  },
});
