// The domain events the floor emits: one typed stream read by the gateway, the store (the audit log) and the simulator's checkers.
import type { Language, Mode, PortalType } from "./config.ts";
import type { AgentId, CodeId, PortalId, RequestId, SessionId } from "./ids.ts";

export type AlertColour = "yellow" | "green" | "orange" | "blue";
export type Resolution = "resolved" | "notResolved" | "unknown";
/** Current-sessions clock states (R-L4). */
export type SessionScreenState =
  | "downloading"
  | "connecting"
  | "chatOnly"
  | "sharingCustomerScreen"
  | "sharingAgentScreen";
/** Incoming clock states (R-L3). */
export type RequestClockState = "new" | "attention" | "warning" | "queued";

export interface Customer {
  name: string;
  language: Language;
  /** SmartBox only (R-L2). */
  question?: string;
  os?: string;
}

export type Principal = { kind: "agent"; agentId: AgentId } | { kind: "customer" };

export type TransferTarget = { agentId: AgentId } | { portalId: PortalId };

/** Why a command did not take effect; stable strings, mapped to protocol errors by the gateway. */
export type RejectionReason =
  | "unknownAgent"
  | "unknownPortal"
  | "unknownRequest"
  | "unknownSession"
  | "unknownCode"
  | "codeExpired"
  | "codeUsed"
  | "codeLimitReached"
  | "wrongPortal"
  | "notIssuer"
  | "notLoggedIn"
  | "notEligible"
  | "alreadyAnswered"
  | "notOffered"
  | "notParticipant"
  | "notOwner"
  | "atMaximum"
  | "lastAgent"
  | "featureDisabled"
  | "extraFieldRequired"
  | "sessionClosed"
  | "transferPending"
  | "noTransferPending"
  | "notInvited"
  | "alreadyParticipant"
  | "noRecipients"
  | "invalidConfig"
  | "unknownCommand"
  | "duplicate";

export type DomainEvent =
  | { type: "agent.registered"; agentId: AgentId; maxSessions: number }
  | { type: "portal.registered"; portalId: PortalId; portalType: PortalType; mode: Mode; members: AgentId[] }
  | { type: "agent.configured"; agentId: AgentId; maxSessions: number }
  | {
      type: "portal.configured";
      portalId: PortalId;
      portalType: PortalType;
      mode: Mode;
      members: AgentId[];
    }
  | { type: "agent.loggedIn"; agentId: AgentId }
  | { type: "agent.loggedOut"; agentId: AgentId; reason: "requested" | "connectionLost" }
  | {
      type: "agent.availabilityChanged";
      agentId: AgentId;
      available: boolean;
      reason: "requested" | "afterSession" | "login";
    }
  | { type: "agent.disconnected"; agentId: AgentId }
  | { type: "agent.reconnected"; agentId: AgentId }
  | { type: "agent.reminded"; agentId: AgentId }
  | { type: "agent.slotGranted"; agentId: AgentId; requestId: RequestId; active: number; max: number }
  | { type: "agent.slotQueued"; agentId: AgentId; requestId: RequestId; position: number }
  | { type: "agent.slotReleased"; agentId: AgentId; sessionId: SessionId; active: number }
  | { type: "agent.joinedSession"; agentId: AgentId; sessionId: SessionId; active: number; max: number }
  | {
      type: "request.posted";
      requestId: RequestId;
      portalId: PortalId;
      mode: Mode;
      customer: Customer;
      matchAgentId?: AgentId;
      code?: CodeId;
    }
  | { type: "request.clock"; requestId: RequestId; clock: RequestClockState }
  | { type: "request.answered"; requestId: RequestId; agentId: AgentId; via: "alert" | "offer" | "code" }
  | { type: "request.queuedForAgent"; requestId: RequestId; agentId: AgentId; position: number }
  | { type: "request.started"; requestId: RequestId; sessionId: SessionId; agentId: AgentId }
  | { type: "request.abandoned"; requestId: RequestId }
  | { type: "request.expired"; requestId: RequestId }
  | { type: "queue.enqueued"; portalId: PortalId; requestId: RequestId; length: number }
  | { type: "queue.dequeued"; portalId: PortalId; requestId: RequestId; length: number }
  | { type: "offer.made"; requestId: RequestId; agentId: AgentId; portalId: PortalId; timeoutMs: number }
  | {
      type: "offer.ended";
      requestId: RequestId;
      agentId: AgentId;
      reason: "timeout" | "declined" | "agentGone";
    }
  | {
      type: "alert.raised";
      colour: AlertColour;
      agentIds: AgentId[];
      requestId?: RequestId;
      sessionId?: SessionId;
      displayMs: number;
    }
  | { type: "alert.reminded"; requestId: RequestId; agentIds: AgentId[] }
  | {
      type: "alert.withdrawn";
      agentIds: AgentId[];
      requestId?: RequestId;
      sessionId?: SessionId;
      reason: "answered" | "abandoned" | "expired" | "accepted" | "cancelled" | "closed";
    }
  | {
      type: "session.started";
      sessionId: SessionId;
      requestId: RequestId;
      portalId: PortalId;
      agentId: AgentId;
      customer: Customer;
    }
  | { type: "session.stateChanged"; sessionId: SessionId; state: SessionScreenState }
  | { type: "chat.posted"; sessionId: SessionId; from: Principal; text: string; lineNo: number }
  | { type: "note.added"; sessionId: SessionId; agentId: AgentId; text: string }
  | { type: "url.pushed"; sessionId: SessionId; agentId: AgentId; url: string; lineNo: number }
  | {
      type: "invitation.sent";
      sessionId: SessionId;
      by: AgentId;
      agentIds: AgentId[];
      hidden: boolean;
      comments: string;
    }
  | { type: "invitation.cancelled"; sessionId: SessionId; agentIds: AgentId[] }
  | { type: "participant.joined"; sessionId: SessionId; agentId: AgentId; hidden: boolean }
  | { type: "participant.left"; sessionId: SessionId; agentId: AgentId }
  | {
      type: "transfer.requested";
      sessionId: SessionId;
      from: AgentId;
      to: TransferTarget;
      agentIds: AgentId[];
      comments: string;
    }
  | { type: "transfer.cancelled"; sessionId: SessionId; reason: "requested" | "noTaker" | "closed" }
  | {
      type: "session.ownerChanged";
      sessionId: SessionId;
      from: AgentId;
      to: AgentId;
      reason: "transfer" | "leave";
    }
  | { type: "customer.left"; sessionId: SessionId }
  | {
      type: "session.closed";
      sessionId: SessionId;
      by: AgentId | null;
      resolution: Resolution;
      extra: string | null;
      agentIds: AgentId[];
      reason: "closed" | "ownerLoggedOut";
    }
  | {
      type: "code.created";
      code: CodeId;
      display: string;
      name: string | null;
      portalId: PortalId;
      issuerId: AgentId;
      quickUrl: string;
      expiresAt: number;
    }
  | { type: "code.converted"; code: CodeId; requestId: RequestId; issuerId: AgentId }
  | { type: "code.expired"; code: CodeId; issuerId: AgentId }
  | { type: "code.cancelled"; code: CodeId; issuerId: AgentId }
  | { type: "actor.failed"; actorId: string; error: string }
  | {
      type: "command.rejected";
      command: string;
      commandId?: string;
      reason: RejectionReason;
      detail: string;
    };

export type DomainEventType = DomainEvent["type"];
export type DomainEventOf<T extends DomainEventType> = Extract<DomainEvent, { type: T }>;

/** A domain event as recorded: stamped with the floor's clock and a gap-free sequence number. */
export type RecordedEvent = DomainEvent & { seq: number; at: number };

/** The message a child actor sends to the floor to publish one domain event. */
export interface Publish {
  type: "publish";
  event: DomainEvent;
}
export const publish = (event: DomainEvent): Publish => ({ type: "publish", event });
