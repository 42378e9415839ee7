// The tools socket's control messages (`/tools`), as Effect Schemas: what clients send (`toolClientMessages`) and what the
// server sends (`toolServerMessages`). File bytes never travel here: they are binary chunks (chunk.ts).
import * as Result from "effect/Result";
import * as Schema from "effect/Schema";
import { toolNames } from "./limits.ts";

/** The tools protocol version; `tools.hello` must name it. */
export const TOOLS_PROTOCOL_VERSION = 1;

const Ref = Schema.optional(Schema.String.check(Schema.isMaxLength(64)));
const SessionIdField = Schema.String.check(Schema.isPattern(/^\d{9}$/));
const Tool = Schema.Literals(toolNames);
const Count = Schema.Number.check(Schema.isInt(), Schema.isGreaterThanOrEqualTo(0));
const TransferId = Count;
const Sha256 = Schema.String.check(Schema.isPattern(/^[0-9a-f]{64}$/));
const Reason = Schema.optional(Schema.String.check(Schema.isMaxLength(200)));
const Purpose = Schema.Literals(["files", "clipboard", "diagnostics"]);
const DiagnosticsOutcome = Schema.Literals(["sent", "copied", "closed", "cancelled"]);
/** One file of an offer: its path relative to what was offered (folders have several segments), display-only. */
const OfferedFile = Schema.Struct({
  path: Schema.Array(Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(255))).check(
    Schema.isMinLength(1),
    Schema.isMaxLength(32),
  ),
  size: Count,
  mime: Schema.optional(Schema.String.check(Schema.isMaxLength(100))),
});
const StartAt = Schema.Struct({ index: Count, offset: Count });
export type OfferedFile = typeof OfferedFile.Type;

function message<const T extends string, const F extends Schema.Struct.Fields>(type: T, fields: F) {
  return Schema.Struct({ type: Schema.Literal(type), ref: Ref, ...fields });
}

export const toolClientMessages = {
  "tools.hello": message("tools.hello", {
    protocol: Schema.Number,
    sessionId: SessionIdField,
    role: Schema.Literals(["host", "agent"]),
    /** The host: the session key from its command line (`--key`). */
    key: Schema.optional(Schema.String.check(Schema.isMaxLength(128))),
    /** An agent: the token from `POST /api/login`. */
    token: Schema.optional(Schema.String.check(Schema.isMaxLength(128))),
    /** The host is coming back after a restart it announced with `restart.begin` (R-T5). */
    resume: Schema.optional(Schema.Boolean),
  }),
  /** Agent → customer: may I use this tool? The customer answers on their own machine. */
  "tool.request": message("tool.request", { tool: Tool }),
  /** Host: the customer granted or refused a tool, or revoked it (`granted: false` at any time). */
  "tool.grant": message("tool.grant", { tool: Tool, granted: Schema.Boolean }),
  /** Sender: files (a folder is its files with longer paths), a clipboard, or a diagnostics report. */
  "file.offer": message("file.offer", {
    purpose: Purpose,
    files: Schema.Array(OfferedFile).check(Schema.isMinLength(1)),
    diagnosticsId: Schema.optional(Count),
  }),
  /** Receiver: the files it ticked and where each starts (0, or what it already has when resuming). */
  "file.accept": message("file.accept", {
    transferId: TransferId,
    files: Schema.Array(StartAt).check(Schema.isMinLength(1)),
  }),
  "file.decline": message("file.decline", { transferId: TransferId, reason: Reason }),
  /** Sender: the last byte of one file was sent; its SHA-256 for the receiver to check. */
  "file.sent": message("file.sent", { transferId: TransferId, index: Count, sha256: Sha256 }),
  /** Receiver: the file's hash matched (`ok`) or did not; the file is kept only when it matched. */
  "file.verified": message("file.verified", {
    transferId: TransferId,
    index: Count,
    sha256: Sha256,
    ok: Schema.Boolean,
  }),
  "file.cancel": message("file.cancel", { transferId: TransferId, reason: Reason }),
  /** Agent: ask for diagnostics (R-T3); logged in the management center. */
  "diag.request": message("diag.request", {}),
  /** Host: what the customer did with the report they saw (Send, Copy, Close, or Cancel at the consent). */
  "diag.answer": message("diag.answer", { diagnosticsId: Count, outcome: DiagnosticsOutcome }),
  /** Agent: restart the customer's computer and reconnect (R-T5); `safeMode` needs elevation (R-T4). */
  "restart.request": message("restart.request", { safeMode: Schema.optional(Schema.Boolean) }),
  "restart.answer": message("restart.answer", { accepted: Schema.Boolean }),
  /** Host: the restart starts now; the session waits `rebootReconnectWindowMs` for it to come back. */
  "restart.begin": message("restart.begin", {}),
  /** Agent (Phone-mode dialog): stop waiting for the customer's computer; the session ends. */
  "restart.cancel": message("restart.cancel", {}),
  /** Agent: run the host as a service with administrator rights (R-T4). */
  "elevate.request": message("elevate.request", {}),
  /** Host: elevated now (and how), or not (refused, failed, or given up by the customer). */
  "elevate.state": message("elevate.state", {
    elevated: Schema.Boolean,
    via: Schema.optional(Schema.Literals(["systemd", "pkexec", "sudo", "already"])),
    detail: Reason,
  }),
  /** Agent: a command only an elevated host runs. */
  "elevated.command": message("elevated.command", {
    command: Schema.Literals(["ctrlAltDel", "safeModeRestart"]),
  }),
  /** Host: the customer's credentials are stored (encrypted on their machine), revoked, or erased. Never the credentials. */
  "cred.state": message("cred.state", { state: Schema.Literals(["stored", "refused", "revoked", "erased"]) }),
} as const;

export type ToolClientType = keyof typeof toolClientMessages;
export type ToolClientMessageOf<T extends ToolClientType> = (typeof toolClientMessages)[T]["Type"];
export type ToolClientMessage = { [T in ToolClientType]: ToolClientMessageOf<T> }[ToolClientType];

const Limits = Schema.Struct({
  clipboardMaxBytes: Schema.Number,
  chunkBytesMax: Schema.Number,
  transferWindowBytes: Schema.Number,
  rebootReconnectWindowMs: Schema.Number,
});
const Grants = Schema.Record(Schema.String, Schema.Boolean);
const Role = Schema.Literals(["host", "agent"]);

function server<const T extends string, const F extends Schema.Struct.Fields>(type: T, fields: F) {
  return Schema.Struct({ type: Schema.Literal(type), ...fields });
}

export const toolServerMessages = {
  "tools.welcome": server("tools.welcome", {
    sessionId: Schema.String,
    role: Role,
    grants: Grants,
    hostPresent: Schema.Boolean,
    phoneMode: Schema.Boolean,
    limits: Limits,
  }),
  "tools.ack": server("tools.ack", {
    ref: Ref,
    data: Schema.optional(Schema.Record(Schema.String, Schema.Unknown)),
  }),
  "tools.error": server("tools.error", { ref: Ref, reason: Schema.String, message: Schema.String }),
  "tools.peer": server("tools.peer", {
    role: Role,
    present: Schema.Boolean,
    name: Schema.optional(Schema.String),
  }),
  "tools.ended": server("tools.ended", { reason: Schema.Literals(["closed", "expired", "cancelled"]) }),
  "tool.requested": server("tool.requested", { tool: Tool, by: Schema.String }),
  "tool.granted": server("tool.granted", { tool: Tool, granted: Schema.Boolean, grants: Grants }),
  "file.offered": server("file.offered", {
    transferId: TransferId,
    purpose: Purpose,
    from: Role,
    by: Schema.String,
    files: Schema.Array(OfferedFile),
    diagnosticsId: Schema.optional(Count),
  }),
  "file.accepted": server("file.accepted", { transferId: TransferId, files: Schema.Array(StartAt) }),
  "file.declined": server("file.declined", { transferId: TransferId, reason: Schema.String }),
  "file.sent": server("file.sent", { transferId: TransferId, index: Count, sha256: Sha256 }),
  "file.verified": server("file.verified", {
    transferId: TransferId,
    index: Count,
    sha256: Sha256,
    ok: Schema.Boolean,
  }),
  "file.cancelled": server("file.cancelled", { transferId: TransferId, reason: Schema.String }),
  /** The other side of a transfer dropped: the receiver resumes it with `file.accept` when both are back. */
  "file.interrupted": server("file.interrupted", { transferId: TransferId }),
  "file.completed": server("file.completed", { transferId: TransferId, ok: Schema.Boolean, bytes: Count }),
  "diag.requested": server("diag.requested", { diagnosticsId: Count, by: Schema.String }),
  "diag.answered": server("diag.answered", { diagnosticsId: Count, outcome: DiagnosticsOutcome }),
  "restart.requested": server("restart.requested", { safeMode: Schema.Boolean, by: Schema.String }),
  "restart.answered": server("restart.answered", { accepted: Schema.Boolean }),
  /** Agents: the customer's computer is restarting; back by `deadline` (epoch ms) or the session expires. */
  "restart.waiting": server("restart.waiting", { deadline: Schema.Number, phoneMode: Schema.Boolean }),
  "restart.back": server("restart.back", {}),
  "elevate.requested": server("elevate.requested", { by: Schema.String }),
  "elevate.state": server("elevate.state", {
    elevated: Schema.Boolean,
    via: Schema.optional(Schema.String),
    detail: Schema.optional(Schema.String),
  }),
  "elevated.command": server("elevated.command", {
    command: Schema.Literals(["ctrlAltDel", "safeModeRestart"]),
    by: Schema.String,
  }),
  "cred.state": server("cred.state", { state: Schema.Literals(["stored", "refused", "revoked", "erased"]) }),
} as const;

export type ToolServerType = keyof typeof toolServerMessages;
export type ToolServerMessageOf<T extends ToolServerType> = (typeof toolServerMessages)[T]["Type"];
export type ToolServerMessage = { [T in ToolServerType]: ToolServerMessageOf<T> }[ToolServerType];

const clientDecoders = Object.fromEntries(
  Object.entries(toolClientMessages).map(([t, s]) => [t, Schema.decodeUnknownResult(s as never)]),
) as Record<string, (input: unknown) => Result.Result<unknown, Schema.SchemaError>>;
const serverDecoders = Object.fromEntries(
  Object.entries(toolServerMessages).map(([t, s]) => [t, Schema.decodeUnknownResult(s as never)]),
) as Record<string, (input: unknown) => Result.Result<unknown, Schema.SchemaError>>;

export type Decoded<M> =
  | { ok: true; message: M }
  | { ok: false; reason: "BadJson" | "UnknownMessage" | "Malformed"; message: string; ref?: string };

function decodeWith<M>(
  decoders: Record<string, (input: unknown) => Result.Result<unknown, Schema.SchemaError>>,
  text: string,
): Decoded<M> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, reason: "BadJson", message: "not JSON" };
  }
  const type = (raw as { type?: unknown } | null)?.type;
  const refRaw = (raw as { ref?: unknown } | null)?.ref;
  const ref = typeof refRaw === "string" && refRaw.length <= 64 ? refRaw : undefined;
  if (typeof type !== "string")
    return { ok: false, reason: "BadJson", message: "expected an object with a type" };
  const decode = Object.hasOwn(decoders, type) ? decoders[type] : undefined;
  if (!decode)
    return {
      ok: false,
      reason: "UnknownMessage",
      message: `unknown message type ${type.slice(0, 40)}`,
      ...(ref ? { ref } : {}),
    };
  const r = decode(raw);
  if (Result.isFailure(r))
    return {
      ok: false,
      reason: "Malformed",
      message: `${type}: ${String(r.failure.message).slice(0, 300)}`,
      ...(ref ? { ref } : {}),
    };
  return { ok: true, message: r.success as M };
}

/** Decodes one text message from a tools client (at the server's socket). */
export const decodeToolClientMessage = (text: string): Decoded<ToolClientMessage> =>
  decodeWith<ToolClientMessage>(clientDecoders, text);
/** Decodes one text message from the server (at the host's and the console's socket). */
export const decodeToolServerMessage = (text: string): Decoded<ToolServerMessage> =>
  decodeWith<ToolServerMessage>(serverDecoders, text);
