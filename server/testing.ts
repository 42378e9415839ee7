// Test helpers: a server on an ephemeral port with a temporary data folder, agents and portals in one call,
// and a WebSocket client that awaits messages (never sleeps) — used by the server's end-to-end tests.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import WebSocket from "ws";
import type { FloorOptions, PortalConfig } from "../actors/index.ts";
import { AgentId, PortalId } from "../actors/index.ts";
import { PROTOCOL_VERSION } from "../protocol/messages/index.ts";
import { hashPassword } from "./accounts/passwords.ts";
import { type ServerOptions, startServer, type TandemServerInternals } from "./server.ts";

// biome-ignore lint/suspicious/noExplicitAny: test messages are matched loosely by shape
export type Msg = any;

export const testPassword = "Test-pass-1";

export interface TestServer {
  server: TandemServerInternals;
  url: string;
  wsUrl: string;
  /** The screen channel (`/screen`) of the same server. */
  screenUrl: string;
  dataDir: string;
  close(): Promise<void>;
}

export async function testServer(
  floor: Partial<FloorOptions> = {},
  more: Partial<ServerOptions> = {},
): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "tandem-test-"));
  const server = (await startServer({
    port: 0,
    host: "127.0.0.1",
    dataDir,
    smtp: null,
    log: () => {},
    floor,
    ...more,
    gateway: { customerGraceMs: 60_000, ...more.gateway },
  })) as TandemServerInternals;
  return {
    server,
    url: server.url,
    wsUrl: `${server.url.replace(/^http/, "ws")}/ws`,
    screenUrl: `${server.url.replace(/^http/, "ws")}/screen`,
    dataDir,
    close: async () => {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let unique = 0;
/** A short unique prefix so tests sharing a server never share agents or portals. */
export const uid = (p: string) => `${p}${++unique}${Math.random().toString(36).slice(2, 6)}`;

export async function addAgent(
  t: TestServer,
  name: string,
  maxSessions = 8,
): Promise<{ id: string; email: string }> {
  const email = `${uid(name)}@example.test`;
  const r = await t.server.createAgent({
    email,
    firstName: name,
    lastName: "Test",
    password: testPassword,
    maxSessions,
  });
  if (!r.ok) throw new Error(r.error);
  return { id: r.account.id, email };
}

/** An administrator account (created directly in the store, as `npm run admin -- create` would); returns its token. */
export async function addAdmin(
  t: TestServer,
  email = "adm@example.test",
  password = "Admin-pass-1",
): Promise<string> {
  t.server.store.createAccount(
    {
      id: "adm",
      email,
      role: "admin",
      firstName: "A",
      lastName: "D",
      passwordHash: await hashPassword(password),
      mustChange: false,
      emailValidated: true,
      disabled: false,
    },
    Date.now(),
  );
  return login(t.url, email, password);
}

export function addPortal(
  t: TestServer,
  p: Pick<PortalConfig, "type" | "mode"> & { members: string[]; tier?: boolean; id?: string },
): string {
  const id = p.id ?? uid("p");
  const error = t.server.putPortal(
    {
      id: PortalId(id),
      name: id,
      type: p.type,
      mode: p.mode,
      language: "en",
      members: p.members.map(AgentId),
      tier: p.tier ?? false,
    },
    true,
  );
  if (error) throw new Error(error);
  return id;
}

export async function login(url: string, email: string, password = testPassword): Promise<string> {
  const res = await fetch(`${url}/api/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  const body = (await res.json()) as { token?: string; error?: string };
  if (!body.token) throw new Error(`login failed: ${res.status} ${JSON.stringify(body)}`);
  return body.token;
}

export class Client {
  readonly received: Msg[] = [];
  private readonly pending: Msg[] = [];
  private waiters: Array<{ pred: (m: Msg) => boolean; resolve: (m: Msg) => void }> = [];
  private refs = 0;
  closeCode: number | null = null;
  private closedWaiters: Array<(code: number) => void> = [];

  constructor(readonly ws: WebSocket) {
    ws.on("message", (data, isBinary) => {
      if (isBinary) return;
      const m = JSON.parse(String(data));
      this.received.push(m);
      const i = this.waiters.findIndex((w) => w.pred(m));
      if (i >= 0) this.waiters.splice(i, 1)[0]!.resolve(m);
      else this.pending.push(m);
    });
    ws.on("close", (code) => {
      this.closeCode = code;
      for (const w of this.closedWaiters) w(code);
    });
  }

  static async open(wsUrl: string, headers: Record<string, string> = {}): Promise<Client> {
    const ws = new WebSocket(wsUrl, { headers });
    const client = new Client(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
      ws.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
    return client;
  }

  /** Opens a socket and says hello; resolves with the welcome. */
  static async hello(
    wsUrl: string,
    hello: { role: "anonymous" | "agent" | "admin" | "customer"; token?: string; customerToken?: string },
  ): Promise<Client> {
    const c = await Client.open(wsUrl);
    c.send({ type: "hello", protocol: PROTOCOL_VERSION, ...hello });
    const welcome = await c.next((m) => m.type === "welcome" || m.type === "error");
    if (welcome.type === "error") throw new Error(`hello refused: ${welcome.reason}`);
    return c;
  }

  static async agent(t: { url: string; wsUrl: string }, email: string): Promise<Client> {
    return Client.hello(t.wsUrl, { role: "agent", token: await login(t.url, email) });
  }

  send(m: Msg): void {
    this.ws.send(typeof m === "string" ? m : JSON.stringify(m));
  }

  /** The first message (already received or coming) that matches; consumed so the next call sees the one after. */
  next(pred: (m: Msg) => boolean, timeoutMs = 5_000): Promise<Msg> {
    const i = this.pending.findIndex(pred);
    if (i >= 0) return Promise.resolve(this.pending.splice(i, 1)[0]);
    return new Promise((resolve, reject) => {
      const waiter = {
        pred,
        resolve: (m: Msg) => {
          clearTimeout(timer);
          resolve(m);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`timed out waiting; last messages: ${JSON.stringify(this.received.slice(-5))}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  event(type: string, pred: (e: Msg) => boolean = () => true, timeoutMs?: number): Promise<Msg> {
    return this.next((m) => m.type === "event" && m.event.type === type && pred(m.event), timeoutMs).then(
      (m) => m.event,
    );
  }

  /** Sends a message with a fresh ref and resolves with the answer that carries it (ack, error, or a reply). */
  request(m: Msg): Promise<Msg> {
    const ref = `r${++this.refs}`;
    this.send({ ...m, ref });
    return this.next((x) => x.ref === ref);
  }

  async ok(m: Msg): Promise<Msg> {
    const answer = await this.request(m);
    if (answer.type === "error")
      throw new Error(`${m.type} refused: ${answer.reason} ${answer.detail ?? ""} ${answer.message}`);
    return answer;
  }

  closed(): Promise<number> {
    if (this.closeCode !== null) return Promise.resolve(this.closeCode);
    return new Promise((resolve) => this.closedWaiters.push(resolve));
  }

  close(): void {
    this.ws.close();
  }
}

/** A customer who posts to a portal; resolves with the client and its request id. */
export async function customerPost(
  t: { wsUrl: string },
  post: { portalId: string; name?: string; question?: string; matchAgentId?: string; code?: string },
): Promise<{ c: Client; requestId: string; customerToken: string }> {
  const c = await Client.hello(t.wsUrl, { role: "anonymous" });
  const answer = await c.request({ type: "customer.post", name: "Cy", language: "en", ...post });
  if (answer.type !== "request.accepted") throw new Error(`post refused: ${JSON.stringify(answer)}`);
  return { c, requestId: answer.requestId, customerToken: answer.customerToken };
}

/**
 * A session an agent answered in their console: the agent's token and socket, the customer's socket, and the key the
 * customer page handed to the host (`session.joined`).
 */
export async function answeredSession(
  t: TestServer,
  question = "can you look at my screen?",
): Promise<{ agent: Client; token: string; customer: Client; sessionId: string; hostKey: string }> {
  const ann = await addAgent(t, "ann");
  const portalId = addPortal(t, { type: "smartBox", mode: "standard", members: [ann.id] });
  const token = await login(t.url, ann.email);
  const agent = await Client.hello(t.wsUrl, { role: "agent", token });
  const { c: customer, requestId } = await customerPost(t, { portalId, question });
  await agent.ok({ type: "request.answer", requestId });
  const joined = await customer.next((m) => m.type === "session.joined");
  return { agent, token, customer, sessionId: joined.sessionId, hostKey: joined.host.sessionKey };
}
