// The control protocol's public face: client and server messages, decoding, errors and close codes, the authorisation table.
export {
  mayUse,
  messagePermissions,
  type Permission,
  type Principal,
  principals,
  type RouteKey,
  routePermissions,
  type Target,
} from "./authorisation.ts";
export {
  type ClientMessage,
  type ClientMessageOf,
  type ClientMessageType,
  clientMessages,
  isClientMessageType,
  PROTOCOL_VERSION,
} from "./client.ts";
export { decodeClientMessage, refOf } from "./decode.ts";
export { closeCodes, otherCloseCodes, ProtocolError, type ProtocolErrorReason } from "./errors.ts";
export {
  decodeServerMessage,
  type ServerMessage,
  type ServerMessageOf,
  type ServerMessageType,
  serverMessages,
  type TranscriptLine,
} from "./server.ts";
