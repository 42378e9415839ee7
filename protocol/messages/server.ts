// Every control message the server sends, as an Effect Schema: clients (pages, console, tests) decode with these.
import * as Schema from "effect/Schema";

const Ref = Schema.optional(Schema.String);
const Json = Schema.Record(Schema.String, Schema.Unknown);
const Line = Schema.Struct({
  lineNo: Schema.Number,
  at: Schema.Number,
  kind: Schema.Literals(["chat", "url", "transfer", "system", "note"]),
  author: Schema.String,
  text: Schema.String,
});
export type TranscriptLine = typeof Line.Type;

function message<const T extends string, const F extends Schema.Struct.Fields>(type: T, fields: F) {
  return Schema.Struct({ type: Schema.Literal(type), ...fields });
}

export const serverMessages = {
  welcome: message("welcome", {
    protocol: Schema.Number,
    role: Schema.Literals(["anonymous", "agent", "admin", "customer"]),
    /** The agent's id, or the customer's request/session binding. */
    agentId: Schema.optional(Schema.String),
    requestId: Schema.optional(Schema.String),
    sessionId: Schema.optional(Schema.String),
    heartbeatIntervalMs: Schema.Number,
    controlMessageMaxBytes: Schema.Number,
    messagesPerSecondMax: Schema.Number,
  }),
  pong: message("pong", { ref: Ref }),
  /** The answer to a message that carried a `ref`, when it took effect. */
  ack: message("ack", { ref: Ref, data: Schema.optional(Json) }),
  /** The answer to a message that did not take effect. */
  error: message("error", {
    ref: Ref,
    reason: Schema.String,
    message: Schema.String,
    detail: Schema.optional(Schema.String),
  }),
  /** Agents: one domain event of the floor that concerns them (alerts, offers, sessions they are in …). */
  event: message("event", { event: Json }),
  /** Agents, on connect: their state, incoming requests and open sessions. */
  "agent.state": message("agent.state", {
    agent: Json,
    incoming: Schema.Array(Json),
    sessions: Schema.Array(Json),
    /** The agent's active SmartCodes (R-P6). */
    codes: Schema.optional(Schema.Array(Json)),
    /** The agent's recent closed sessions (R-L5). */
    history: Schema.optional(Schema.Array(Json)),
    serverTime: Schema.optional(Schema.Number),
  }),
  /** Customers: the request was posted; keep `customerToken` to resume. */
  "request.accepted": message("request.accepted", {
    ref: Ref,
    requestId: Schema.String,
    customerToken: Schema.String,
  }),
  /** Customers: what is happening to the request (waiting, offered, answered, queued for a busy agent (R-A8), expired). */
  "request.status": message("request.status", {
    requestId: Schema.String,
    state: Schema.Literals([
      "waiting",
      "inQueue",
      "offered",
      "answered",
      "queuedForAgent",
      "expired",
      "abandoned",
    ]),
    position: Schema.optional(Schema.Number),
  }),
  /** Customers: an agent took the request; how to start the host for this session (R-L6). */
  "session.joined": message("session.joined", {
    sessionId: Schema.String,
    agentName: Schema.String,
    host: Schema.Struct({ command: Schema.String, sessionKey: Schema.String }),
  }),
  "chat.line": message("chat.line", { sessionId: Schema.String, line: Line }),
  "url.pushed": message("url.pushed", {
    sessionId: Schema.String,
    url: Schema.String,
    lineNo: Schema.Number,
  }),
  /** Customers: who is in the chat (hidden invitees never listed, R-S7). */
  participants: message("participants", { sessionId: Schema.String, names: Schema.Array(Schema.String) }),
  transcript: message("transcript", { ref: Ref, sessionId: Schema.String, lines: Schema.Array(Line) }),
  "diagnostics.requested": message("diagnostics.requested", {
    sessionId: Schema.String,
    diagnosticsId: Schema.Number,
  }),
  "session.ended": message("session.ended", {
    sessionId: Schema.String,
    reason: Schema.Literals(["closed", "customerLeft", "ownerLoggedOut"]),
  }),
  /** Sent before the server closes sockets on SIGTERM. */
  "server.shutdown": message("server.shutdown", {}),
} as const;

export type ServerMessageType = keyof typeof serverMessages;
export type ServerMessageOf<T extends ServerMessageType> = (typeof serverMessages)[T]["Type"];
export type ServerMessage = { [T in ServerMessageType]: ServerMessageOf<T> }[ServerMessageType];
export const decodeServerMessage = Schema.decodeUnknownSync(Schema.Union(Object.values(serverMessages)));
