// Protocol errors: one tagged class with a `reason` union, and the one table that maps each reason to a WebSocket close code.
import * as Data from "effect/Data";

export type ProtocolErrorReason =
  /** Text that is not JSON, or JSON that is not an object with a string `type`. */
  | "BadJson"
  /** A `type` this protocol version does not know. */
  | "UnknownMessage"
  /** A known message whose fields do not match its schema. */
  | "Malformed"
  /** A text message over `controlMessageMaxBytes`. */
  | "PayloadTooLarge"
  /** Binary messages are reserved for frames and file chunks; none is accepted on this socket yet. */
  | "BinaryNotAccepted"
  /** More messages than `messagesPerSecondMax` allows: the message was dropped. */
  | "RateLimited"
  /** The first message was not a valid `hello`, or a second `hello` was sent. */
  | "BadHandshake"
  /** The client speaks a protocol version the server does not. */
  | "UnsupportedVersion"
  /** The token in `hello` is unknown, expired or revoked. */
  | "NotAuthenticated"
  /** The principal may not send this message for this target (the authorisation table). */
  | "Unauthorised"
  /** The support floor refused the command; `detail` carries the floor's rejection reason. */
  | "Rejected"
  /** Too many wrong SmartCodes from this address or in total. */
  | "Throttled"
  /** No pong within `heartbeatIntervalMs`. */
  | "HeartbeatTimeout"
  /** The agent logged out, was disabled, or the session token was revoked. */
  | "LoggedOut"
  /** The server is stopping (SIGTERM). */
  | "ShuttingDown"
  /** Overload (issue 6): a new request is refused and its socket closed with 1013 "try again later"; `detail` says
   * why (`rate`: more new requests per second than the server takes, `lag`: its event loop is behind). */
  | "Overloaded"
  /** A bug on the server: the message was not applied. */
  | "Internal";

interface ProtocolErrorFields {
  reason: ProtocolErrorReason;
  message: string;
  /** For `Rejected`: the floor's RejectionReason (`atMaximum`, `codeExpired` …). */
  detail?: string;
}

export class ProtocolError extends Data.TaggedError("ProtocolError")<ProtocolErrorFields> {
  /**
   * Built without a stack: a protocol error is an answer to a client, not a fault of the server, and under load the
   * server makes hundreds a second (answers lost to a faster agent, posts shed) at ≈ 20 µs each for the stack alone.
   * The fault behind an `Internal` one is logged where it was caught.
   */
  constructor(fields: ProtocolErrorFields) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(fields);
    Error.stackTraceLimit = limit;
  }
}

/**
 * What happens to the socket after each error: `null` keeps it open (the error message is the whole answer),
 * a number closes it with that code. Codes 4000–4999 are ours; 1001/1008/1009/1011 are the standard ones.
 */
export const closeCodes: Record<ProtocolErrorReason, number | null> = {
  BadJson: null,
  UnknownMessage: null,
  Malformed: null,
  PayloadTooLarge: null,
  BinaryNotAccepted: null,
  RateLimited: null,
  Unauthorised: null,
  Rejected: null,
  Throttled: null,
  BadHandshake: 4400,
  NotAuthenticated: 4401,
  UnsupportedVersion: 4426,
  HeartbeatTimeout: 4408,
  LoggedOut: 4001,
  ShuttingDown: 1001,
  Overloaded: 1013,
  Internal: null,
};

/** Close codes that are not tied to an error message. */
export const otherCloseCodes = {
  /** A WebSocket frame over the hard ceiling `socketFrameMaxBytes` (enforced by ws before we see it). */
  frameTooLarge: 1009,
  /** A socket that keeps sending after `rateLimitStrikesMax` dropped messages. */
  abusive: 4429,
} as const;
