// chat.send, most of the traffic, checked by hand before the schema: at 2,000 lines/s the schema's decoding cost 3 %
// of the server's time. Only a message the schema would take exactly as it is passes here; anything else (an extra
// key, a wrong type, a bound crossed) goes on to the schema, which decides and words the error.
import type { ClientMessageOf } from "./client.ts";

const sessionIdPattern = /^\d{9}$/;

/** The message itself when it is a well-formed chat.send with no other keys, else undefined. */
export function chatSendFast(raw: Record<string, unknown>): ClientMessageOf<"chat.send"> | undefined {
  let keys = 0;
  for (const key in raw) {
    if (key !== "type" && key !== "ref" && key !== "sessionId" && key !== "text") return undefined;
    keys += 1;
  }
  const { type, ref, sessionId, text } = raw;
  if (type !== "chat.send" || keys !== (ref === undefined ? 3 : 4)) return undefined;
  if (ref !== undefined && (typeof ref !== "string" || ref.length > 64)) return undefined;
  if (typeof sessionId !== "string" || !sessionIdPattern.test(sessionId)) return undefined;
  if (typeof text !== "string" || text.length < 1 || text.length > 4000) return undefined;
  return raw as ClientMessageOf<"chat.send">;
}
