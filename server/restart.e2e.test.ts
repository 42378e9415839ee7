// A real `npm start` process (the bundled server under plain node) killed with SIGKILL mid-session loses nothing it
// acknowledged; SIGTERM stops it gracefully.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { bundleServer, serverBundleFile } from "./bundle.ts";
import { demoAdmin, demoAgents, demoPassword } from "./demo.ts";
import { Client, customerPost, login } from "./testing.ts";

const dataDir = mkdtempSync(join(tmpdir(), "tandem-restart-"));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
});

beforeAll(() => bundleServer(), 60_000);

/** Starts the server as `npm start` does, from its bundle, on an ephemeral port; resolves once it prints its URL. */
function start(): Promise<{ child: ChildProcess; url: string; wsUrl: string; output: () => string }> {
  const child = spawn(process.execPath, [serverBundleFile], {
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, TANDEM_DEMO: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let out = "";
  return new Promise((resolve, reject) => {
    child.stderr!.on("data", (d) => {
      out += String(d);
    });
    child.stdout!.on("data", (d) => {
      out += String(d);
      const m = /Tandem listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        resolve({ child, url: m[1]!, wsUrl: `${m[1]!.replace(/^http/, "ws")}/ws`, output: () => out });
      }
    });
    child.on("exit", (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) =>
    child.exitCode !== null ? resolve(child.exitCode) : child.on("exit", (code) => resolve(code)),
  );

test("restart: after kill -9 mid-session, every acknowledged chat line, the history and the configuration are still there", async () => {
  const first = await start();
  expect(first.output()).toContain(demoAgents[0]!.email);
  const token = await login(first.url, demoAgents[0]!.email, demoPassword);
  const agent = await Client.hello(first.wsUrl, { role: "agent", token });
  const cust = await customerPost(first, { portalId: "ask", question: "Will this survive?" });
  await agent.event("alert.raised", (e) => e.requestId === cust.requestId);
  await agent.ok({ type: "request.answer", requestId: cust.requestId });
  const sessionId = (await cust.c.next((m) => m.type === "session.joined")).sessionId as string;
  const acked: string[] = [];
  for (let i = 0; i < 20; i++) {
    const text = `line ${i}`;
    await (i % 2 ? agent : cust.c).ok({ type: "chat.send", sessionId, text });
    acked.push(text);
  }
  await agent.ok({ type: "url.push", sessionId, url: "https://example.com/fix" });
  first.child.kill("SIGKILL");
  await exited(first.child);

  const second = await start();
  expect(second.output()).not.toContain("Demo organisation created");
  // The bundle finds what lies beside its sources: the stylesheet, and the entry points of the browser bundles.
  for (const path of ["/console", "/assets/console.js", "/assets/style.css", "/assets/customer.js"]) {
    expect((await fetch(`${second.url}${path}`)).status, path).toBe(200);
  }
  const admin = await login(second.url, demoAdmin, demoPassword);
  const get = async (path: string) =>
    (await fetch(`${second.url}${path}`, { headers: { authorization: `Bearer ${admin}` } })).json();
  const transcript = (await get(`/api/admin/sessions/${sessionId}/transcript`)) as Array<{
    kind: string;
    text: string;
  }>;
  const chat = transcript.filter((l) => l.kind === "chat").map((l) => l.text);
  expect(chat).toEqual(acked);
  expect(transcript.some((l) => l.kind === "url" && l.text === "https://example.com/fix")).toBe(true);
  const history = (await get("/api/admin/history")) as Array<Record<string, unknown>>;
  expect(history.find((h) => h.sessionId === sessionId)).toMatchObject({
    question: "Will this survive?",
    endReason: "serverRestart",
  });
  const portals = (await get("/api/admin/portals")) as Array<{ id: string }>;
  expect(portals.map((p) => p.id)).toEqual(expect.arrayContaining(["help", "ask", "pick", "queue", "phone"]));
  // The reloaded floor routes again: the agent logs in and answers a new request.
  const agent2 = await Client.hello(second.wsUrl, {
    role: "agent",
    token: await login(second.url, demoAgents[0]!.email, demoPassword),
  });
  const again = await customerPost(second, { portalId: "ask", question: "after restart" });
  await agent2.event("alert.raised", (e) => e.requestId === again.requestId);

  // SIGTERM: clients are told, the process exits on its own well within 10 s.
  const stoppedAt = Date.now();
  second.child.kill("SIGTERM");
  expect((await again.c.next((m) => m.type === "server.shutdown")).type).toBe("server.shutdown");
  expect(await again.c.closed()).toBe(1001);
  expect(await exited(second.child)).toBe(0);
  expect(Date.now() - stoppedAt).toBeLessThan(10_000);
}, 60_000);
