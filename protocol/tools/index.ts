// Public face of the session tools protocol: limits, control messages, the binary chunk format, names, authorisation.

export { isFinalToolClose, PendingAnswers, ToolRefused } from "./answers.ts";
export {
  mayUseTool,
  type ToolPermission,
  type ToolPrincipal,
  toolMessagePermissions,
  toolPrincipals,
} from "./authorisation.ts";
export {
  CHUNK_HEADER_BYTES,
  CHUNK_MAGIC,
  CHUNK_VERSION,
  ChunkError,
  type ChunkErrorReason,
  type ChunkHeader,
  ChunkKind,
  type ChunkKindName,
  isChunk,
  readChunkHeader,
  writeChunk,
  writeChunkHeader,
} from "./chunk.ts";
export { type ToolErrorReason, toolCloseCodes } from "./errors.ts";
export { defaultToolLimits, type ToolLimits, type ToolName, toolNames } from "./limits.ts";
export {
  type Decoded,
  decodeToolClientMessage,
  decodeToolServerMessage,
  type OfferedFile,
  TOOLS_PROTOCOL_VERSION,
  type ToolClientMessage,
  type ToolClientMessageOf,
  type ToolClientType,
  type ToolServerMessage,
  type ToolServerMessageOf,
  type ToolServerType,
  toolClientMessages,
  toolServerMessages,
} from "./messages.ts";
export { displayName, fileNameMaxBytes, numberedName, safeName, safePath } from "./names.ts";
export { SendWindow } from "./sendWindow.ts";
