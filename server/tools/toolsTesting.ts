// Test fixture for the session tools: a real server on an ephemeral port, a live session (customer, owner agent),
// and the session's host key and agent token to open tools sockets with. Used by the tools' end-to-end tests.
import { createServer, type Server, Socket } from "node:net";
import type { ServerOptions } from "../server.ts";
import { addAgent, addPortal, Client, customerPost, login, type TestServer, testServer } from "../testing.ts";

export interface ToolSessionFixture {
  t: TestServer;
  sessionId: string;
  hostKey: string;
  agentToken: string;
  agentId: string;
  agent: Client;
  customer: Client;
  customerToken: string;
  toolsUrl: string;
  close(): Promise<void>;
}

export async function toolSession(
  more: Partial<ServerOptions> = {},
  portal: { mode?: "standard" | "phone" } = {},
): Promise<ToolSessionFixture> {
  const t = await testServer({}, more);
  const a = await addAgent(t, "tools");
  const agentToken = await login(t.url, a.email);
  const agent = await Client.hello(t.wsUrl, { role: "agent", token: agentToken });
  const mode = portal.mode ?? "standard";
  const portalId = addPortal(t, { type: mode === "phone" ? "smartCode" : "smartBox", mode, members: [a.id] });
  let code: string | undefined;
  if (mode === "phone") {
    const created = await agent.ok({ type: "code.create", portalId });
    code = created.data.code;
  }
  const cust = await customerPost(t, { portalId, question: "help", ...(code ? { code } : {}) });
  if (mode !== "phone") {
    await agent.event("alert.raised", (e) => e.requestId === cust.requestId);
    await agent.ok({ type: "request.answer", requestId: cust.requestId });
  }
  const joined = await cust.c.next((m) => m.type === "session.joined");
  return {
    t,
    sessionId: joined.sessionId,
    hostKey: joined.host.sessionKey,
    agentToken,
    agentId: a.id,
    agent,
    customer: cust.c,
    customerToken: cust.customerToken,
    toolsUrl: `${t.wsUrl.replace(/\/ws$/, "")}/tools`,
    close: async () => {
      agent.close();
      cust.c.close();
      await t.close();
    },
  };
}

/** A TCP proxy in front of the server whose connections a test can cut, as a network fault would. */
export async function cuttableProxy(
  targetPort: number,
): Promise<{ port: number; cut(): void; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((inbound) => {
    const outbound = new Socket();
    outbound.connect(targetPort, "127.0.0.1");
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => {});
    }
    inbound.pipe(outbound).pipe(inbound);
    inbound.on("close", () => outbound.destroy());
    outbound.on("close", () => inbound.destroy());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    cut: () => {
      for (const s of sockets) s.destroy();
    },
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
