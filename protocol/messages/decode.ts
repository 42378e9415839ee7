// Decoding at the socket: raw text → one typed client message, or the ProtocolError that says what was wrong.
import * as Result from "effect/Result";
import * as Schema from "effect/Schema";
import { chatSendFast } from "./chatSendFast.ts";
import { type ClientMessage, clientMessages, isClientMessageType } from "./client.ts";
import { ProtocolError } from "./errors.ts";

const decoders = Object.fromEntries(
  Object.entries(clientMessages).map(([type, schema]) => [type, Schema.decodeUnknownResult(schema as never)]),
) as Record<string, (input: unknown) => Result.Result<unknown, Schema.SchemaError>>;

/** The client's `ref`, read leniently so that even a malformed message's error can be matched to it. */
export function refOf(raw: unknown): string | undefined {
  const ref = (raw as { ref?: unknown } | null)?.ref;
  return typeof ref === "string" && ref.length <= 64 ? ref : undefined;
}

export function decodeClientMessage(
  text: string,
  maxBytes: number,
): { ok: true; message: ClientMessage } | { ok: false; error: ProtocolError; ref?: string } {
  if (Buffer.byteLength(text) > maxBytes) {
    return {
      ok: false,
      error: new ProtocolError({
        reason: "PayloadTooLarge",
        message: `messages are limited to ${maxBytes} bytes`,
      }),
    };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, error: new ProtocolError({ reason: "BadJson", message: "not JSON" }) };
  }
  const type = (raw as { type?: unknown } | null)?.type;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw) || typeof type !== "string") {
    return {
      ok: false,
      error: new ProtocolError({ reason: "BadJson", message: "expected an object with a type" }),
    };
  }
  const ref = refOf(raw);
  if (!isClientMessageType(type)) {
    return {
      ok: false,
      ref,
      error: new ProtocolError({
        reason: "UnknownMessage",
        message: `unknown message type ${type.slice(0, 40)}`,
      }),
    };
  }
  const chat = type === "chat.send" ? chatSendFast(raw as Record<string, unknown>) : undefined;
  if (chat) return { ok: true, message: chat };
  const result = decoders[type]!(raw);
  if (Result.isFailure(result)) {
    return {
      ok: false,
      ref,
      error: new ProtocolError({
        reason: "Malformed",
        message: `${type}: ${String(result.failure.message).slice(0, 300)}`,
      }),
    };
  }
  return { ok: true, message: result.success as ClientMessage };
}
