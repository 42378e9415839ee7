// Walks the tools authorisation table (protocol/tools/authorisation.ts) against a running server: every tools message
// sent by the host, the owner and an invited agent; an agent outside the session cannot even connect.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { defaultReconnectDelaysMs, ToolLink, type ToolRefused } from "../../host/tools/toolLink.ts";
import {
  type ToolClientType,
  type ToolPrincipal,
  toolClientMessages,
  toolMessagePermissions,
} from "../../protocol/tools/index.ts";
import { addAgent, Client, login } from "../testing.ts";
import { type ToolSessionFixture, toolSession } from "./toolsTesting.ts";

let f: ToolSessionFixture;
const links = {} as Record<Exclude<ToolPrincipal, "otherAgent">, ToolLink>;
let otherToken: string;

beforeAll(async () => {
  f = await toolSession();
  const invited = await addAgent(f.t, "invited");
  const other = await addAgent(f.t, "other");
  otherToken = await login(f.t.url, other.email);
  const i = await Client.hello(f.t.wsUrl, { role: "agent", token: await login(f.t.url, invited.email) });
  await f.agent.ok({
    type: "session.invite",
    sessionId: f.sessionId,
    to: { agentId: invited.id },
    hidden: false,
  });
  await i.ok({ type: "session.acceptInvite", sessionId: f.sessionId });
  const link = (role: "host" | "agent", credential: string) =>
    new ToolLink({
      url: f.toolsUrl,
      sessionId: f.sessionId,
      role,
      ...(role === "host" ? { key: credential } : { token: credential }),
      reconnectDelaysMs: defaultReconnectDelaysMs,
    });
  links.host = link("host", f.hostKey);
  links.ownerAgent = link("agent", f.agentToken);
  links.invitedAgent = link("agent", await login(f.t.url, invited.email));
  for (const l of Object.values(links)) await l.start();
});
afterAll(async () => {
  for (const l of Object.values(links)) l.stop();
  await f.close();
});

/** One well-formed example of every tools message (most then fail for a reason other than permission). */
const samples: Record<ToolClientType, object> = {
  "tools.hello": {},
  "tool.request": { type: "tool.request", tool: "files" },
  "tool.grant": { type: "tool.grant", tool: "diagnostics", granted: false },
  "file.offer": {
    type: "file.offer",
    purpose: "diagnostics",
    files: [{ path: ["x"], size: 1 }],
    diagnosticsId: 999,
  },
  "file.accept": { type: "file.accept", transferId: 999_999, files: [{ index: 0, offset: 0 }] },
  "file.decline": { type: "file.decline", transferId: 999_999 },
  "file.sent": { type: "file.sent", transferId: 999_999, index: 0, sha256: "0".repeat(64) },
  "file.verified": { type: "file.verified", transferId: 999_999, index: 0, sha256: "0".repeat(64), ok: true },
  "file.cancel": { type: "file.cancel", transferId: 999_999 },
  "diag.request": { type: "diag.request" },
  "diag.answer": { type: "diag.answer", diagnosticsId: 999_999, outcome: "closed" },
  "restart.request": { type: "restart.request", safeMode: true },
  "restart.answer": { type: "restart.answer", accepted: false },
  "restart.begin": { type: "restart.begin" },
  "restart.cancel": { type: "restart.cancel" },
  "elevate.request": { type: "elevate.request" },
  "elevate.state": { type: "elevate.state", elevated: false },
  "elevated.command": { type: "elevated.command", command: "ctrlAltDel" },
  "cred.state": { type: "cred.state", state: "refused" },
};

const outcome = (m: object, l: ToolLink) =>
  l.request(m as never).then(
    () => "ok",
    (e: ToolRefused) => e.reason,
  );

describe("tools authorisation table", () => {
  test("every tools message has an entry, and every entry is a known message", () => {
    expect(Object.keys(toolMessagePermissions).sort()).toEqual(Object.keys(toolClientMessages).sort());
  });

  test("an agent outside the session cannot open its tools socket", async () => {
    const outsider = new ToolLink({
      url: f.toolsUrl,
      sessionId: f.sessionId,
      role: "agent",
      token: otherToken,
      reconnectDelaysMs: defaultReconnectDelaysMs,
    });
    await expect(outsider.start()).rejects.toThrow(/4401/);
    const wrongKey = new ToolLink({
      url: f.toolsUrl,
      sessionId: f.sessionId,
      role: "host",
      key: "0".repeat(32),
      reconnectDelaysMs: defaultReconnectDelaysMs,
    });
    await expect(wrongKey.start()).rejects.toThrow(/4401/);
  });

  for (const type of Object.keys(toolClientMessages) as ToolClientType[]) {
    if (type === "tools.hello") continue;
    test(`tools message ${type}: ${toolMessagePermissions[type].allowed.join(", ")}`, async () => {
      for (const p of ["host", "ownerAgent", "invitedAgent"] as const) {
        const reason = await outcome(samples[type], links[p]);
        const allowed = toolMessagePermissions[type].allowed.includes(p);
        expect({ principal: p, denied: reason === "Unauthorised" }).toEqual({
          principal: p,
          denied: !allowed,
        });
      }
    });
  }

  test("an invited agent who leaves the session loses its tools socket", async () => {
    const invited = await addAgent(f.t, "leaver");
    const token = await login(f.t.url, invited.email);
    const main = await Client.hello(f.t.wsUrl, { role: "agent", token });
    await f.agent.ok({
      type: "session.invite",
      sessionId: f.sessionId,
      to: { agentId: invited.id },
      hidden: true,
    });
    await main.ok({ type: "session.acceptInvite", sessionId: f.sessionId });
    const link = new ToolLink({
      url: f.toolsUrl,
      sessionId: f.sessionId,
      role: "agent",
      token,
      reconnectDelaysMs: defaultReconnectDelaysMs,
    });
    await link.start();
    const ended = new Promise<string>((r) => link.once("ended", r));
    await main.ok({ type: "session.leave", sessionId: f.sessionId });
    expect(await ended).toMatch(/^4401/);
    main.close();
  });
});
