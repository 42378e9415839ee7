// What the outside world (gateway, simulator, tests) may ask of the floor: one typed command per intent.
import type { AgentConfig, PortalConfig } from "./config.ts";
import type { Customer, Principal, Resolution, SessionScreenState, TransferTarget } from "./events.ts";
import type { AgentId, CodeId, PortalId, RequestId, SessionId } from "./ids.ts";

type Cmd = { commandId?: string };

export type FloorCommand =
  | ({ type: "floor.addAgent"; config: AgentConfig } & Cmd)
  | ({ type: "floor.addPortal"; config: PortalConfig } & Cmd)
  | ({ type: "floor.configureAgent"; config: AgentConfig } & Cmd)
  | ({ type: "floor.configurePortal"; config: PortalConfig } & Cmd)
  | ({ type: "agent.login"; agentId: AgentId } & Cmd)
  | ({ type: "agent.logout"; agentId: AgentId } & Cmd)
  | ({ type: "agent.setAvailable"; agentId: AgentId; available: boolean } & Cmd)
  | ({ type: "agent.disconnect"; agentId: AgentId } & Cmd)
  | ({ type: "agent.reconnect"; agentId: AgentId } & Cmd)
  | ({
      type: "request.post";
      portalId: PortalId;
      customer: Customer;
      /** SmartMatch: the agent the customer picked (R-P4). */
      matchAgentId?: AgentId;
      /** SmartCode: the code as the customer typed it (R-P6). */
      code?: string;
    } & Cmd)
  | ({ type: "request.answer"; agentId: AgentId; requestId: RequestId } & Cmd)
  | ({ type: "request.decline"; agentId: AgentId; requestId: RequestId } & Cmd)
  | ({ type: "request.abandon"; requestId: RequestId } & Cmd)
  | ({ type: "code.create"; agentId: AgentId; portalId: PortalId; name?: string } & Cmd)
  | ({ type: "code.cancel"; agentId: AgentId; code: CodeId } & Cmd)
  | ({ type: "session.chat"; sessionId: SessionId; from: Principal; text: string } & Cmd)
  | ({ type: "session.note"; sessionId: SessionId; agentId: AgentId; text: string } & Cmd)
  | ({ type: "session.pushUrl"; sessionId: SessionId; agentId: AgentId; url: string } & Cmd)
  | ({ type: "session.screen"; sessionId: SessionId; state: SessionScreenState } & Cmd)
  | ({
      type: "session.invite";
      sessionId: SessionId;
      agentId: AgentId;
      to: TransferTarget;
      hidden: boolean;
      comments?: string;
    } & Cmd)
  | ({ type: "session.cancelInvite"; sessionId: SessionId; agentId: AgentId } & Cmd)
  | ({ type: "session.acceptInvite"; sessionId: SessionId; agentId: AgentId } & Cmd)
  | ({
      type: "session.transfer";
      sessionId: SessionId;
      agentId: AgentId;
      to: TransferTarget;
      comments?: string;
    } & Cmd)
  | ({ type: "session.cancelTransfer"; sessionId: SessionId; agentId: AgentId } & Cmd)
  | ({ type: "session.acceptTransfer"; sessionId: SessionId; agentId: AgentId } & Cmd)
  | ({ type: "session.leave"; sessionId: SessionId; agentId: AgentId } & Cmd)
  | ({
      type: "session.close";
      sessionId: SessionId;
      agentId: AgentId;
      resolution: Resolution;
      extra?: string | null;
    } & Cmd)
  | ({ type: "session.closeAll"; agentId: AgentId; resolution: Resolution; extra?: string | null } & Cmd)
  | ({ type: "session.customerLeft"; sessionId: SessionId } & Cmd);

export type FloorCommandType = FloorCommand["type"];

/** Chat lines, private notes and pushed URLs: the floor takes these itself (`sessionLines.ts`), not its machine. */
export type SessionLineCommand = Extract<
  FloorCommand,
  { type: "session.chat" | "session.note" | "session.pushUrl" }
>;

/** Every other command: what the floor's state machine handles. */
export type MachineCommand = Exclude<FloorCommand, SessionLineCommand>;

export function isSessionLine(c: FloorCommand): c is SessionLineCommand {
  return c.type === "session.chat" || c.type === "session.note" || c.type === "session.pushUrl";
}
