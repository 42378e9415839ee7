// Branded identifiers for the nouns of the support floor, so an AgentId never stands where a SessionId is wanted.
export type Brand<T, B extends string> = T & { readonly __brand: B };

export type AgentId = Brand<string, "AgentId">;
export type PortalId = Brand<string, "PortalId">;
export type RequestId = Brand<string, "RequestId">;
/** A unique 9-digit number shown to agents and customers (R-L2). */
export type SessionId = Brand<string, "SessionId">;
export type CodeId = Brand<string, "CodeId">;

export const AgentId = (s: string) => s as AgentId;
export const PortalId = (s: string) => s as PortalId;
export const RequestId = (s: string) => s as RequestId;
export const SessionId = (s: string) => s as SessionId;
export const CodeId = (s: string) => s as CodeId;

/** systemIds under which the floor registers its actors (found with `system.get`). */
export const systemIds = {
  floor: "floor",
  agent: (id: AgentId) => `agent:${id}`,
  portal: (id: PortalId) => `portal:${id}`,
  queue: (id: PortalId) => `queue:${id}`,
  request: (id: RequestId) => `request:${id}`,
  session: (id: SessionId) => `session:${id}`,
  code: (id: CodeId) => `code:${id}`,
} as const;
