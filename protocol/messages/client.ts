// Every control message a client sends to the server, as an Effect Schema keyed by its `type`: decoded once at the socket.
import * as Schema from "effect/Schema";

/** The protocol version spoken by this code; `hello` must name it. */
export const PROTOCOL_VERSION = 1;

const Text = (max: number) => Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(max));
const Id = Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(64));
const SessionIdField = Schema.String.check(Schema.isPattern(/^\d{9}$/));
const Ref = Schema.optional(Schema.String.check(Schema.isMaxLength(64)));
const Resolution = Schema.Literals(["resolved", "notResolved", "unknown"]);
const Target = Schema.Union([Schema.Struct({ agentId: Id }), Schema.Struct({ portalId: Id })]);

/** Builds one message schema: its literal `type`, an optional client `ref` echoed in the answer, and its fields. */
function message<const T extends string, const F extends Schema.Struct.Fields>(type: T, fields: F) {
  return Schema.Struct({ type: Schema.Literal(type), ref: Ref, ...fields });
}

export const clientMessages = {
  hello: message("hello", {
    protocol: Schema.Number,
    role: Schema.Literals(["anonymous", "agent", "admin", "customer"]),
    /** Agent or administrator session token (from `POST /api/login`). */
    token: Schema.optional(Text(128)),
    /** A customer's token from `request.accepted`, to resume after a reconnect. */
    customerToken: Schema.optional(Text(128)),
  }),
  ping: message("ping", {}),
  "customer.post": message("customer.post", {
    portalId: Id,
    name: Text(80),
    language: Schema.Literals(["en", "fr"]),
    question: Schema.optional(Schema.String.check(Schema.isMaxLength(2000))),
    matchAgentId: Schema.optional(Id),
    code: Schema.optional(Text(64)),
    os: Schema.optional(Schema.String.check(Schema.isMaxLength(120))),
  }),
  "customer.abandon": message("customer.abandon", { requestId: Id }),
  "customer.leave": message("customer.leave", { sessionId: SessionIdField }),
  "agent.setAvailable": message("agent.setAvailable", { available: Schema.Boolean }),
  "agent.logout": message("agent.logout", {}),
  "request.answer": message("request.answer", { requestId: Id }),
  "request.decline": message("request.decline", { requestId: Id }),
  "code.create": message("code.create", {
    portalId: Id,
    name: Schema.optional(Schema.String.check(Schema.isMaxLength(40))),
  }),
  "code.cancel": message("code.cancel", { code: Id }),
  "chat.send": message("chat.send", { sessionId: SessionIdField, text: Text(4000) }),
  "note.add": message("note.add", { sessionId: SessionIdField, text: Text(4000) }),
  "url.push": message("url.push", {
    sessionId: SessionIdField,
    url: Schema.String.check(Schema.isMaxLength(2000), Schema.isPattern(/^https?:\/\/[^\s]+$/i)),
  }),
  "session.invite": message("session.invite", {
    sessionId: SessionIdField,
    to: Target,
    hidden: Schema.Boolean,
    comments: Schema.optional(Schema.String.check(Schema.isMaxLength(2000))),
  }),
  "session.cancelInvite": message("session.cancelInvite", { sessionId: SessionIdField }),
  "session.acceptInvite": message("session.acceptInvite", { sessionId: SessionIdField }),
  "session.transfer": message("session.transfer", {
    sessionId: SessionIdField,
    to: Target,
    comments: Schema.optional(Schema.String.check(Schema.isMaxLength(2000))),
  }),
  "session.cancelTransfer": message("session.cancelTransfer", { sessionId: SessionIdField }),
  "session.acceptTransfer": message("session.acceptTransfer", { sessionId: SessionIdField }),
  "session.leave": message("session.leave", { sessionId: SessionIdField }),
  "session.close": message("session.close", {
    sessionId: SessionIdField,
    resolution: Resolution,
    extra: Schema.optional(Schema.String.check(Schema.isMaxLength(200))),
  }),
  "session.closeAll": message("session.closeAll", {
    resolution: Resolution,
    extra: Schema.optional(Schema.String.check(Schema.isMaxLength(200))),
  }),
  "session.transcript": message("session.transcript", { sessionId: SessionIdField }),
  "diagnostics.request": message("diagnostics.request", { sessionId: SessionIdField }),
  /** The owner shows their own screen (R-S8): the ack's data is the key and command line for their tandem-host. */
  "screen.present": message("screen.present", { sessionId: SessionIdField }),
  "diagnostics.answer": message("diagnostics.answer", {
    sessionId: SessionIdField,
    diagnosticsId: Schema.Number,
    outcome: Schema.Literals(["sent", "copied", "closed", "cancelled"]),
  }),
} as const;

export type ClientMessageType = keyof typeof clientMessages;
export type ClientMessageOf<T extends ClientMessageType> = (typeof clientMessages)[T]["Type"];
export type ClientMessage = { [T in ClientMessageType]: ClientMessageOf<T> }[ClientMessageType];

export const isClientMessageType = (t: string): t is ClientMessageType => Object.hasOwn(clientMessages, t);
