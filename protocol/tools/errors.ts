// Tools socket errors: one `reason` union and the one table of what each does to the socket.

export type ToolErrorReason =
  | "BadJson"
  | "UnknownMessage"
  | "Malformed"
  /** The first message was not a valid `tools.hello`. */
  | "BadHandshake"
  | "UnsupportedVersion"
  /** Unknown token or key, or not a session of this agent. */
  | "NotAuthenticated"
  /** The principal may not send this message (authorisation.ts). */
  | "Unauthorised"
  /** The customer has not granted this tool, or revoked it. */
  | "NotGranted"
  /** Nobody is there to receive it (no host connected, no agent). */
  | "PeerAbsent"
  | "UnknownTransfer"
  /** A clipboard over `clipboardMaxBytes`, or a chunk over `chunkBytesMax`, or bytes past a file's size. */
  | "TooLarge"
  /** A chunk that is not the next one of an accepted file, or a malformed chunk. */
  | "BadChunk"
  /** More bytes in flight than `transferWindowBytes`: the transfer is cancelled. */
  | "WindowExceeded"
  /** The message does not fit the current state (no restart pending, diagnostics not asked …). */
  | "Rejected"
  /** Switched off in the management center (run as service, R-T4 "where configured"). */
  | "Disabled"
  /** The session ended (closed, or not back from a restart in time). */
  | "SessionEnded"
  /** Another host connection took over this session. */
  | "Replaced";

/** null keeps the socket open; a number closes it with that code. */
export const toolCloseCodes: Record<ToolErrorReason, number | null> = {
  BadJson: null,
  UnknownMessage: null,
  Malformed: null,
  BadHandshake: 4400,
  UnsupportedVersion: 4426,
  NotAuthenticated: 4401,
  Unauthorised: null,
  NotGranted: null,
  PeerAbsent: null,
  UnknownTransfer: null,
  TooLarge: null,
  BadChunk: null,
  WindowExceeded: null,
  Rejected: null,
  Disabled: null,
  SessionEnded: 4410,
  Replaced: 4409,
};
