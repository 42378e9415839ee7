// Who may send each tools message, and which customer grant it needs: the tools socket's authorisation table,
// enforced by server/tools and walked by its end-to-end test. The host enforces the same grants again on its side.
import type { ToolName } from "./limits.ts";
import type { ToolClientType } from "./messages.ts";

/** On the tools socket: the session's host, or an agent relative to the session. */
export type ToolPrincipal = "host" | "ownerAgent" | "invitedAgent" | "otherAgent";
export const toolPrincipals: readonly ToolPrincipal[] = ["host", "ownerAgent", "invitedAgent", "otherAgent"];

export interface ToolPermission {
  allowed: readonly ToolPrincipal[];
  /** A standing grant the customer must have given (and not revoked) for this message to pass. */
  grant?: ToolName;
  doc: string;
}

const inSession: readonly ToolPrincipal[] = ["ownerAgent", "invitedAgent"];
const both: readonly ToolPrincipal[] = ["host", "ownerAgent", "invitedAgent"];

export const toolMessagePermissions: Record<ToolClientType, ToolPermission> = {
  "tools.hello": {
    allowed: both,
    doc: "Handshake: the host with its session key, an agent with its token (owner or invited; others are refused).",
  },
  "tool.request": {
    allowed: inSession,
    doc: "Ask the customer for a tool; they answer on their own machine.",
  },
  "tool.grant": { allowed: ["host"], doc: "The customer's grant, refusal or revocation of a tool." },
  "file.offer": {
    allowed: both,
    doc: "Offer files/folders (grant `files`), a clipboard (grant `clipboard`) or a diagnostics report the customer chose to send.",
  },
  "file.accept": { allowed: both, doc: "The receiver ticks files and says where each starts (resume)." },
  "file.decline": { allowed: both, doc: "The receiver refuses an offer." },
  "file.sent": { allowed: both, doc: "The sender's SHA-256 of a file, after its last byte." },
  "file.verified": { allowed: both, doc: "The receiver's hash check of a file." },
  "file.cancel": { allowed: both, doc: "Either side stops a transfer." },
  "diag.request": { allowed: inSession, doc: "Ask for diagnostics (R-T3); logged in the management center." },
  "diag.answer": { allowed: ["host"], doc: "What the customer did with their diagnostics (R-T3)." },
  "restart.request": { allowed: inSession, doc: "Ask to restart and reconnect (R-T5)." },
  "restart.answer": { allowed: ["host"], doc: "The customer allows or refuses the restart." },
  "restart.begin": { allowed: ["host"], grant: "restart", doc: "The host is about to restart the computer." },
  "restart.cancel": { allowed: inSession, doc: "Phone-mode dialog: stop waiting; the session ends (R-T5)." },
  "elevate.request": { allowed: inSession, doc: "Ask to run the host as a service, elevated (R-T4)." },
  "elevate.state": { allowed: ["host"], doc: "The host is (or is no longer) elevated." },
  "elevated.command": {
    allowed: inSession,
    grant: "elevation",
    doc: "Ctrl+Alt+Del or restart in safe mode: only while elevated (R-T4).",
  },
  "cred.state": {
    allowed: ["host"],
    doc: "Credentials stored, refused, revoked or erased on the customer's machine (R-T6).",
  },
};

export function mayUseTool(type: ToolClientType, principal: ToolPrincipal): boolean {
  return toolMessagePermissions[type].allowed.includes(principal);
}
