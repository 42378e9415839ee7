// Public face of the server's session tools: the tools socket and its audit trail.

export { ToolAudit, type ToolEventRow, type TransferredFile } from "./toolAudit.ts";
export { createToolChannel } from "./toolChannel.ts";
export { defaultToolGatewayOptions, ToolGateway, type ToolGatewayOptions } from "./toolGateway.ts";
