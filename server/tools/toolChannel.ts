// Joins the tools socket to the rest of the server: who is who in a session (the main gateway's host key and agent
// relations), Phone mode from the portal, and the floor and store it logs into.
import { type Floor, SessionId } from "../../actors/index.ts";
import { defaultToolLimits } from "../../protocol/tools/index.ts";
import type { Accounts } from "../accounts/accounts.ts";
import type { FloorAdapter } from "../floorAdapter.ts";
import type { Gateway } from "../gateway/gateway.ts";
import type { Store } from "../store/store.ts";
import { defaultToolGatewayOptions, ToolGateway, type ToolGatewayOptions } from "./toolGateway.ts";

export function createToolChannel(deps: {
  floor: Floor;
  adapter: FloorAdapter;
  store: Store;
  accounts: Accounts;
  gateway: Gateway;
  nameOf: (id: string) => string;
  portalMode: (portalId: string) => string | undefined;
  runAsServiceEnabled: () => boolean;
  options?: Partial<ToolGatewayOptions>;
  log: (line: string) => void;
}): ToolGateway {
  const { floor, gateway } = deps;
  return new ToolGateway(
    {
      floor,
      adapter: deps.adapter,
      store: deps.store,
      accounts: deps.accounts,
      directory: {
        hostKeyMatches: (sessionId, key) => {
          const expected = gateway.hostKeyOf(sessionId);
          return (
            expected !== undefined &&
            floor.session(SessionId(sessionId)) !== undefined &&
            sameText(expected, key)
          );
        },
        agentRelation: (agentId, sessionId) => gateway.agentRelation(agentId, sessionId),
        holdCustomer: (sessionId, untilMs) => gateway.holdCustomer(sessionId, untilMs),
        tellLine: (sessionId, line) => gateway.tellSystemLine(sessionId, line),
      },
      nameOf: deps.nameOf,
      phoneMode: (sessionId) => {
        const s = floor.session(SessionId(sessionId));
        return s ? deps.portalMode(s.portalId) === "phone" : false;
      },
      runAsServiceEnabled: deps.runAsServiceEnabled,
      log: deps.log,
    },
    { ...defaultToolLimits, ...defaultToolGatewayOptions, ...deps.options },
  );
}

function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
