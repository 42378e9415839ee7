// The demo organisation created on an empty database (unless TANDEM_DEMO=0): a portal of every type and mode,
// a few agents and an administrator, so a newcomer can try customer → agent within a minute.
import { AgentId, type PortalConfig, PortalId } from "../actors/index.ts";
import { hashPassword } from "./accounts/passwords.ts";
import type { TandemServerInternals } from "./server.ts";

/** Demo password, printed at start; it exists only in demo databases. */
export const demoPassword = "Demo-pass-1";

export const demoAgents = [
  { email: "ann@demo.tandem.test", firstName: "Ann", lastName: "Archer", maxSessions: 8 },
  { email: "bob@demo.tandem.test", firstName: "Bob", lastName: "Baker", maxSessions: 2 },
  { email: "cleo@demo.tandem.test", firstName: "Cleo", lastName: "Clark", maxSessions: 8 },
];
export const demoAdmin = "admin@demo.tandem.test";

export async function createDemo(server: TandemServerInternals): Promise<string[]> {
  const ids: string[] = [];
  for (const a of demoAgents) {
    const r = await server.createAgent({ ...a, password: demoPassword });
    if (!r.ok) throw new Error(`demo agent ${a.email}: ${r.error}`);
    ids.push(r.account.id);
  }
  server.store.createAccount(
    {
      id: "admin-demo",
      email: demoAdmin,
      role: "admin",
      firstName: "Demo",
      lastName: "Admin",
      passwordHash: await hashPassword(demoPassword),
      mustChange: false,
      emailValidated: true,
      disabled: false,
    },
    Date.now(),
  );
  const [ann, bob, cleo] = ids.map(AgentId) as [AgentId, AgentId, AgentId];
  const portal = (
    id: string,
    name: string,
    type: PortalConfig["type"],
    mode: PortalConfig["mode"],
    members: AgentId[],
    extra: Partial<PortalConfig> = {},
  ): PortalConfig => ({
    id: PortalId(id),
    name,
    type,
    mode,
    language: "en",
    members,
    tier: false,
    ...extra,
  });
  const portals = [
    portal("help", "Help (SmartButton)", "smartButton", "standard", [ann, bob, cleo]),
    portal("ask", "Ask a question (SmartBox)", "smartBox", "standard", [ann, bob, cleo]),
    portal("pick", "Pick your agent (SmartMatch)", "smartMatch", "standard", [ann, bob, cleo]),
    portal("queue", "Waiting line (SmartBox, Queue mode)", "smartBox", "queue", [ann, bob]),
    portal("phone", "By phone (SmartCode)", "smartCode", "phone", [ann, bob, cleo]),
    portal("aide", "Aide en français (SmartBox)", "smartBox", "standard", [ann, cleo], { language: "fr" }),
    portal("tier2", "Second level (tier)", "smartBox", "standard", [cleo], { tier: true }),
  ];
  for (const p of portals) {
    const error = server.putPortal(p, true);
    if (error) throw new Error(`demo portal ${p.id}: ${error}`);
  }
  return [
    "Demo organisation created (set TANDEM_DEMO=0 to start without it).",
    `  Agents (password ${demoPassword}): ${demoAgents.map((a) => a.email).join(", ")}`,
    `  Administrator: ${demoAdmin} / ${demoPassword}  → ${server.url}/admin`,
    "  Customer pages:",
    ...portals.map((p) => `    ${server.url}/h/${p.id}   ${p.name}`),
    `  Agent console: ${server.url}/console  (sign in as an agent above)`,
    "  Try it: open a customer page, answer in the console (or in a terminal:",
    `    npm run agent -- ${demoAgents[0]!.email} ${demoPassword}), then share the customer's screen with the`,
    "    command the customer page shows (add --source synthetic:window-drag where there is no X display).",
  ];
}
