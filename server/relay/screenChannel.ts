// Joins the screen channel to the rest of the server: who may connect (host key, agent token, session membership),
// R-L4 sharing state into the floor, and the session's end or an agent's departure closing their screen sockets.
import { type Floor, SessionId } from "../../actors/index.ts";
import type { Accounts } from "../accounts/accounts.ts";
import type { FloorAdapter } from "../floorAdapter.ts";
import type { Gateway } from "../gateway/gateway.ts";
import { defaultScreenGatewayOptions, ScreenGateway, type ScreenGatewayOptions } from "./screenGateway.ts";

export function createScreenChannel(
  floor: Floor,
  adapter: FloorAdapter,
  accounts: Accounts,
  gateway: Gateway,
  levelSwitchEnabled: () => boolean,
  options: Partial<ScreenGatewayOptions> = {},
) {
  const agentsOf = (sessionId: string) => {
    const s = floor.session(SessionId(sessionId));
    return s
      ? { owner: s.owner as string, all: [s.owner, ...s.invitees.map((p) => p.agentId)] as string[] }
      : null;
  };
  const screen = new ScreenGateway(
    {
      isHostKey: (sessionId, key) => {
        const expected = gateway.hostKeyOf(sessionId);
        return expected !== undefined && agentsOf(sessionId) !== null && timingSafeEqualText(expected, key);
      },
      agentOfToken: (token) => {
        const account = accounts.authenticate(token);
        return account?.role === "agent" ? account.id : null;
      },
      isCustomerKey: (sessionId, key) => {
        const expected = gateway.customerKeyOf(sessionId);
        return expected !== undefined && timingSafeEqualText(expected, key);
      },
      isPresenterKey: (sessionId, key) => {
        const expected = gateway.presenterKeyOf(sessionId);
        return expected !== undefined && timingSafeEqualText(expected, key);
      },
      isInSession: (agentId, sessionId) => agentsOf(sessionId)?.all.includes(agentId) ?? false,
      isOwner: (agentId, sessionId) => agentsOf(sessionId)?.owner === agentId,
      screenStateChanged: (sessionId, state) =>
        adapter.dispatch({ type: "session.screen", sessionId: SessionId(sessionId), state }),
      levelSwitchEnabled,
    },
    { ...defaultScreenGatewayOptions, ...options },
  );
  floor.subscribe((e) => {
    if (e.type === "session.closed") screen.endSession(e.sessionId);
    else if (e.type === "participant.left") screen.agentLeft(e.sessionId, e.agentId);
    else if (e.type === "session.ownerChanged") screen.ownerChanged(e.sessionId);
    else if (e.type === "customer.left") screen.customerLeft(e.sessionId);
  });
  return screen;
}

function timingSafeEqualText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
