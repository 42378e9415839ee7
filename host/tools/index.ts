// Public face of the host's session tools (customer side).
export { CredentialVault, type Secret } from "./credentialVault.ts";
export {
  type CustomerPrompt,
  JsonLinesPrompt,
  ScriptedPrompt,
  type TypedCredentials,
} from "./customerPrompt.ts";
export { type DiagnosticsReport, formatDiagnostics, gatherDiagnostics } from "./diagnostics.ts";
export {
  type ElevationPlan,
  type ElevationVia,
  elevatedCommands,
  elevationPlan,
  type Platform,
} from "./elevation.ts";
export {
  type Collision,
  type Decision,
  defaultTransferOptions,
  FileTransfers,
  filesToOffer,
  type Offer,
  type OutgoingFile,
  type ReceivePolicy,
} from "./fileTransfers.ts";
export { RebootHook, type ResumeState, xdgDirs } from "./rebootHook.ts";
export { type ClipboardPreference, ToolHost, type ToolHostOptions } from "./toolHost.ts";
export { defaultReconnectDelaysMs, ToolLink, ToolRefused, toolsUrlOf } from "./toolLink.ts";
export { type Clipboard, type ClipboardContent, MemoryClipboard, X11Clipboard } from "./x11Clipboard.ts";
