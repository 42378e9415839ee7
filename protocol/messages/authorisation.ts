// The one authorisation table: for every control message and HTTP route, which principals may use it.
// The gateway and the HTTP router both read it; protocol/README.md renders it; a test walks it against a running server.
import type { ClientMessageType } from "./client.ts";

/**
 * Who is asking, relative to the message's target. A message or route without a session/request target judges
 * agents alike (owner, invited and other agent mean "any agent"); a customer is "customer" for their own
 * request or session and "otherCustomer" for anyone else's.
 */
export type Principal =
  | "anonymous"
  | "customer"
  | "otherCustomer"
  | "ownerAgent"
  | "invitedAgent"
  | "otherAgent"
  | "admin";

export const principals: readonly Principal[] = [
  "anonymous",
  "customer",
  "otherCustomer",
  "ownerAgent",
  "invitedAgent",
  "otherAgent",
  "admin",
];

const everyone = principals;
const agents: readonly Principal[] = ["ownerAgent", "invitedAgent", "otherAgent"];
const inSession: readonly Principal[] = ["ownerAgent", "invitedAgent"];
const adminOnly: readonly Principal[] = ["admin"];

/** What a message or route acts on: the gateway resolves the principal against this target. */
export type Target = "none" | "session" | "request";

export interface Permission {
  allowed: readonly Principal[];
  target: Target;
  /** What it does, for the README. */
  doc: string;
}

export const messagePermissions: Record<ClientMessageType, Permission> = {
  hello: {
    allowed: everyone,
    target: "none",
    doc: "Handshake: protocol version, role and token. First message.",
  },
  ping: { allowed: everyone, target: "none", doc: "Application-level liveness check; answered by `pong`." },
  "customer.post": {
    allowed: ["anonymous"],
    target: "none",
    doc: "Post a request to a portal (R-P1, R-P3–P6). The socket becomes this request's customer.",
  },
  "customer.abandon": { allowed: ["customer"], target: "request", doc: "Withdraw a waiting request." },
  "customer.leave": { allowed: ["customer"], target: "session", doc: "Leave the chat (the agent is told)." },
  "agent.setAvailable": { allowed: agents, target: "none", doc: "Available / Not available (R-A6)." },
  "agent.logout": {
    allowed: agents,
    target: "none",
    doc: "Log out (R-A5); revokes the token, closes sockets.",
  },
  "request.answer": {
    allowed: agents,
    target: "request",
    doc: "Answer Yes to an alert or offer (R-L6, R-P3, R-P5).",
  },
  "request.decline": {
    allowed: agents,
    target: "request",
    doc: "Decline a Queue offer: it moves on (R-P5).",
  },
  "code.create": { allowed: agents, target: "none", doc: "Create a SmartCode for a Phone portal (R-P6)." },
  "code.cancel": { allowed: agents, target: "none", doc: "Cancel one of your active SmartCodes." },
  "chat.send": {
    allowed: ["customer", "ownerAgent", "invitedAgent"],
    target: "session",
    doc: "A chat line (R-S1), kept in the transcript (R-S2).",
  },
  "note.add": { allowed: inSession, target: "session", doc: "Private note the customer never sees (R-S1)." },
  "url.push": {
    allowed: inSession,
    target: "session",
    doc: "Push a URL: opens in a new window for the customer (R-S3).",
  },
  "session.invite": {
    allowed: inSession,
    target: "session",
    doc: "Invite an agent or a portal, hidden or visible (R-S7).",
  },
  "session.cancelInvite": { allowed: inSession, target: "session", doc: "Withdraw a pending invitation." },
  "session.acceptInvite": {
    allowed: ["otherAgent"],
    target: "session",
    doc: "Join as an invited agent (blue alert, R-P8).",
  },
  "session.transfer": {
    allowed: ["ownerAgent"],
    target: "session",
    doc: "Transfer to an agent or a portal (R-S6, R-P7).",
  },
  "session.cancelTransfer": {
    allowed: ["ownerAgent"],
    target: "session",
    doc: "Withdraw a pending transfer.",
  },
  "session.acceptTransfer": {
    allowed: ["otherAgent"],
    target: "session",
    doc: "Take over a transferred session (orange alert).",
  },
  "session.leave": {
    allowed: inSession,
    target: "session",
    doc: "Leave a session another agent keeps (R-S5).",
  },
  "session.close": { allowed: ["ownerAgent"], target: "session", doc: "Close with a resolution (R-S4)." },
  "session.closeAll": {
    allowed: agents,
    target: "none",
    doc: "Close all the sessions you own with one resolution (R-S4).",
  },
  "session.transcript": {
    allowed: ["customer", "ownerAgent", "invitedAgent", "admin"],
    target: "session",
    doc: "The session's transcript so far (R-S2); the customer's copy leaves out private notes.",
  },
  "diagnostics.request": {
    allowed: inSession,
    target: "session",
    doc: "Ask the customer for diagnostics; logged (R-T3, R-M2).",
  },
  "screen.present": {
    allowed: ["ownerAgent"],
    target: "session",
    doc: "Share the agent's own screen with the customer: a key for the agent's tandem-host (R-S8).",
  },
  "diagnostics.answer": {
    allowed: ["customer"],
    target: "session",
    doc: "The customer's answer to a diagnostics request (R-T3).",
  },
};

/** Every HTTP route the server serves, by `METHOD path` (`:name` marks a parameter). */
export const routePermissions = {
  "GET /": { allowed: everyone, target: "none", doc: "Landing page: the portals and how to sign in." },
  "GET /healthz": { allowed: everyone, target: "none", doc: "Liveness for load balancers." },
  "GET /metrics": {
    allowed: everyone,
    target: "none",
    doc: "Prometheus metrics; loopback only unless a metrics token is configured (then `Bearer` it).",
  },
  "GET /h/:portal": {
    allowed: everyone,
    target: "none",
    doc: "The customer page of a portal (SmartButton/Box/Match/Code).",
  },
  "GET /assets/:file": { allowed: everyone, target: "none", doc: "Bundled scripts and styles of the pages." },
  "GET /reset": { allowed: everyone, target: "none", doc: "The page a forgot-password link opens (R-A4)." },
  "GET /admin": {
    allowed: everyone,
    target: "none",
    doc: "The management center page (it signs in with the API).",
  },
  "GET /api/portals/:portal": {
    allowed: everyone,
    target: "none",
    doc: "Public facts of a portal; SmartMatch lists available agents (R-P4).",
  },
  "POST /api/login": {
    allowed: everyone,
    target: "none",
    doc: "E-mail + password → session token (R-A1). Throttled.",
  },
  "POST /api/logout": {
    allowed: [...agents, "admin"],
    target: "none",
    doc: "Revoke the token; the agent's sockets close.",
  },
  "GET /api/me": { allowed: [...agents, "admin"], target: "none", doc: "Who the token belongs to." },
  "GET /api/me/preferences": {
    allowed: agents,
    target: "none",
    doc: "The console preferences this agent saved (R-L1 sections and columns, alerts, chat).",
  },
  "PUT /api/me/preferences": {
    allowed: agents,
    target: "none",
    doc: "Save console preferences; availability and reminder ones apply to the floor (R-A6, R-P9).",
  },
  "GET /console": {
    allowed: everyone,
    target: "none",
    doc: "The agent console page (it signs in with the API).",
  },
  "GET /api/console/directory": {
    allowed: agents,
    target: "none",
    doc: "Portals and agents for transfer, invite and SmartCode choices (R-S6, R-S7, R-P6).",
  },
  "GET /api/console/settings": {
    allowed: agents,
    target: "none",
    doc: "Quick phrases and URLs, switches and timings the console needs (R-S3, R-S4, R-M1).",
  },
  "POST /api/password/change": {
    allowed: everyone,
    target: "none",
    doc: "Login ID, current, new, repeat (R-A3).",
  },
  "POST /api/password/forgot": {
    allowed: everyone,
    target: "none",
    doc: "Login ID twice → one-time link by mail (R-A4).",
  },
  "POST /api/password/reset": {
    allowed: everyone,
    target: "none",
    doc: "Set a new password with the mailed token (R-A4).",
  },
  "GET /api/sessions/:session/transcript.txt": {
    allowed: ["customer", "ownerAgent", "invitedAgent", "admin"],
    target: "session",
    doc: "The transcript as a text file (R-S2).",
  },
  "GET /api/admin/settings": {
    allowed: adminOnly,
    target: "none",
    doc: "Switches, timings, SmartCode lifetime and limit (R-M1).",
  },
  "PUT /api/admin/settings": { allowed: adminOnly, target: "none", doc: "Change settings (R-M1)." },
  "GET /api/admin/agents": {
    allowed: adminOnly,
    target: "none",
    doc: "Agents with their maximum sessions (R-A7).",
  },
  "POST /api/admin/agents": { allowed: adminOnly, target: "none", doc: "Create an agent (R-M1)." },
  "PUT /api/admin/agents/:agent": {
    allowed: adminOnly,
    target: "none",
    doc: "Change an agent; `disabled: true` closes their sockets.",
  },
  "GET /api/admin/portals": {
    allowed: adminOnly,
    target: "none",
    doc: "Portals, modes, members, tiers (R-M1).",
  },
  "POST /api/admin/portals": { allowed: adminOnly, target: "none", doc: "Create a portal (R-P1, R-P2)." },
  "PUT /api/admin/portals/:portal": {
    allowed: adminOnly,
    target: "none",
    doc: "Change a portal (its mode is fixed).",
  },
  "GET /api/admin/history": {
    allowed: adminOnly,
    target: "none",
    doc: "Session history with resolutions and transfers (R-M2).",
  },
  "GET /api/admin/sessions/:session/transcript": {
    allowed: adminOnly,
    target: "none",
    doc: "One transcript with notes (R-M2).",
  },
  "GET /api/admin/diagnostics": {
    allowed: adminOnly,
    target: "none",
    doc: "Diagnostics requests log (R-M2, R-T3).",
  },
  "GET /api/admin/events": { allowed: adminOnly, target: "none", doc: "The domain event log (audit)." },
  // Session tools (issue 7).
  "GET /api/admin/tools": {
    allowed: adminOnly,
    target: "none",
    doc: "Tools audit log (grants, refusals, revocations, requests) and transferred files (R-T1–T6).",
  },
} as const satisfies Record<string, Permission>;

export type RouteKey = keyof typeof routePermissions;

export function mayUse(permission: Permission, principal: Principal): boolean {
  return permission.allowed.includes(principal);
}
