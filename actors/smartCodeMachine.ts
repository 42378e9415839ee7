// One SmartCode (R-P6): active until converted by its issuer's customer, cancelled by the issuer, or expired; used at most once.
import { and, assign, sendParent, setup } from "xstate";
import { type Customer, publish, type RejectionReason } from "./events.ts";
import type { AgentId, CodeId, PortalId, RequestId } from "./ids.ts";

export interface SmartCodeInput {
  code: CodeId;
  name: string | null;
  portalId: PortalId;
  issuerId: AgentId;
  createdAt: number;
  expiresAt: number;
  quickUrl: string;
}

export interface SmartCodeContext extends SmartCodeInput {
  requestId: RequestId | null;
}

export type SmartCodeEvent =
  | {
      type: "code.redeem";
      requestId: RequestId;
      portalId: PortalId;
      customer: Customer;
      at: number;
      commandId?: string;
    }
  | { type: "code.cancel"; agentId: AgentId; commandId?: string };

/** Shows a numeric code in groups as agents read it out on the phone: 0480290 → 048-0290. */
export function displayCode(code: string): string {
  return /^\d{7}$/.test(code) ? `${code.slice(0, 3)}-${code.slice(3)}` : code;
}

/** The customer's typed code back to the stored form: digits only for numeric codes, trimmed and lower-cased names. */
export function normaliseCode(typed: string): CodeId {
  const trimmed = typed.trim().replace(/^DR/i, "");
  const digits = trimmed.replace(/[\s-]/g, "");
  return (/^\d+$/.test(digits) ? digits : trimmed.toLowerCase()) as CodeId;
}

export function quickUrl(publicUrl: string, portalId: PortalId, code: CodeId): string {
  return `${publicUrl.replace(/\/$/, "")}/h/${encodeURIComponent(portalId)}?Question=DR${encodeURIComponent(displayCode(code))}`;
}

export const smartCodeMachine = setup({
  types: { context: {} as SmartCodeContext, events: {} as SmartCodeEvent, input: {} as SmartCodeInput },
  guards: {
    // Checked against the command's own time too, so a redeem racing the expiry timer never wins (R-P6).
    isLive: ({ context, event }) => event.type === "code.redeem" && event.at < context.expiresAt,
    isForThisPortal: ({ context, event }) =>
      event.type === "code.redeem" && event.portalId === context.portalId,
    isIssuer: ({ context, event }) => event.type === "code.cancel" && event.agentId === context.issuerId,
  },
  delays: { ttl: ({ context }) => Math.max(0, context.expiresAt - context.createdAt) },
  actions: {
    reject: sendParent(({ context, event }, reason: RejectionReason) =>
      publish({
        type: "command.rejected",
        command: event.type,
        commandId: event.commandId,
        reason,
        detail: `code ${displayCode(context.code)}: ${reason === "codeExpired" ? "expired" : "not for this portal"}`,
      }),
    ),
  },
}).createMachine({
  id: "smartCode",
  context: ({ input }) => ({ ...input, requestId: null }),
  initial: "active",
  entry: sendParent(({ context: c }) =>
    publish({
      type: "code.created",
      code: c.code,
      display: displayCode(c.code),
      name: c.name,
      portalId: c.portalId,
      issuerId: c.issuerId,
      quickUrl: c.quickUrl,
      expiresAt: c.expiresAt,
    }),
  ),
  states: {
    active: {
      after: { ttl: "expired" },
      on: {
        "code.redeem": [
          {
            guard: and(["isForThisPortal", "isLive"]),
            target: "converted",
            actions: assign({ requestId: ({ event }) => event.requestId }),
          },
          { guard: "isForThisPortal", target: "expired", actions: { type: "reject", params: "codeExpired" } },
          { actions: { type: "reject", params: "wrongPortal" } },
        ],
        "code.cancel": [
          { guard: "isIssuer", target: "cancelled" },
          {
            actions: sendParent(({ context, event }) =>
              publish({
                type: "command.rejected",
                command: "code.cancel",
                commandId: event.commandId,
                reason: "notIssuer",
                detail: `code ${displayCode(context.code)} belongs to another agent`,
              }),
            ),
          },
        ],
      },
    },
    converted: {
      type: "final",
      entry: sendParent(({ context: c }) =>
        publish({ type: "code.converted", code: c.code, requestId: c.requestId!, issuerId: c.issuerId }),
      ),
    },
    expired: {
      type: "final",
      entry: sendParent(({ context: c }) =>
        publish({ type: "code.expired", code: c.code, issuerId: c.issuerId }),
      ),
    },
    cancelled: {
      type: "final",
      entry: sendParent(({ context: c }) =>
        publish({ type: "code.cancelled", code: c.code, issuerId: c.issuerId }),
      ),
    },
  },
});
