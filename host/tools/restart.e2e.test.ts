// R-T5 restart and reconnect end to end: the real host process (host/tools/main.ts) asks the customer, arms its OS hook
// and "restarts"; the test kills it with SIGKILL as the restart would and relaunches exactly what the autostart entry
// says. Inside the window it rejoins the same session and the chat stays; outside it the session has expired; in Phone
// mode the agent's cancel ends the session.
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { Client } from "../../server/testing.ts";
import { type ToolSessionFixture, toolSession } from "../../server/tools/toolsTesting.ts";
import {
  agentToolLink,
  autostartCommand,
  type Cleanups,
  type HostProcess,
  home,
  hostProcess,
  type Line,
  startToolsHost,
} from "./hostProcess.testing.ts";
import { desktopName } from "./rebootHook.ts";
import type { ToolLink } from "./toolLink.ts";

const cleanups: Cleanups = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const startHost = (f: ToolSessionFixture, env: NodeJS.ProcessEnv) =>
  startToolsHost({ wsUrl: f.t.wsUrl, sessionId: f.sessionId, hostKey: f.hostKey }, env, cleanups);

const agentLink = (f: ToolSessionFixture) => agentToolLink(f, cleanups);

/** Agent asks, the customer (through the host process) answers; resolves with restart.waiting. */
async function restartAccepted(h: HostProcess, agent: ToolLink) {
  const waiting = agent.next("restart.waiting");
  await agent.request({ type: "restart.request" });
  const q = await h.next((l) => l.ask === "restart");
  h.answer(q.id, true);
  expect((await agent.next("restart.answered")).accepted).toBe(true);
  return waiting;
}

describe("R-T5 restart and reconnect", () => {
  test("R-T5: killed by the restart, relaunched by its autostart entry, the host rejoins the same session; chat stays", async () => {
    const f = await toolSession({ gateway: { customerGraceMs: 200 } });
    cleanups.push(() => f.close());
    const { env, dir } = home(cleanups);
    const h = await startHost(f, env);
    const agent = await agentLink(f);
    const waiting = await restartAccepted(h, agent);
    expect(waiting.phoneMode).toBe(false);
    expect(waiting.deadline).toBeGreaterThan(Date.now() + 590_000);
    await h.next((l) => typeof l.notice === "string" && l.notice.startsWith("Restarting"));
    const resumeFile = join(dir, ".local", "state", "tandem", "resume.json");
    expect(statSync(resumeFile).mode & 0o777).toBe(0o600);
    const exec = autostartCommand(dir);
    expect(exec).toContain("--resume");
    // The restart: the host dies at once, and so does the customer's browser page.
    const hostGone = agent.next("tools.peer", (m) => m.role === "host" && !m.present);
    h.child.kill("SIGKILL");
    await hostGone;
    const pageClosedAt = Date.now();
    f.customer.close();
    const back = agent.next("restart.back", () => true, 20_000);
    const again = hostProcess(["sh", "-c", exec], env, cleanups);
    await back;
    await again.next((l) => typeof l.notice === "string" && l.notice.includes("back after restart"));
    // Longer than the customer's grace went by, and the session is still the same one.
    expect(Date.now() - pageClosedAt).toBeGreaterThan(200);
    expect(f.t.server.floor.session(f.sessionId as never)).toBeDefined();
    expect(f.agent.received.some((m: Line) => m.event?.type === "customer.left")).toBe(false);
    await expect
      .poll(() => existsSync(resumeFile) || existsSync(join(dir, ".config", "autostart", desktopName)))
      .toBe(false);
    // The customer's page comes back with its token: same session, transcript kept.
    const page = await Client.hello(f.t.wsUrl, { role: "customer", customerToken: f.customerToken });
    cleanups.push(() => page.close());
    const transcript = await page.next((m: Line) => m.type === "transcript");
    const texts = transcript.lines.map((l: Line) => l.text);
    expect(texts).toContain("The customer allowed the restart");
    expect(texts).toContain("The customer's computer is back; the session continues");
  });

  test("R-T5: not back within the window — the session expires and a late host finds nothing to resume", async () => {
    const f = await toolSession({ tools: { rebootReconnectWindowMs: 1_500 } });
    cleanups.push(() => f.close());
    const { env, dir } = home(cleanups);
    const h = await startHost(f, env);
    const agent = await agentLink(f);
    await restartAccepted(h, agent);
    await h.next((l) => typeof l.notice === "string" && l.notice.startsWith("Restarting"));
    const exec = autostartCommand(dir);
    h.child.kill("SIGKILL");
    const ended = agent.next("tools.ended", () => true, 10_000);
    const closed = f.agent.event("session.closed", (e: Line) => e.sessionId === f.sessionId, 10_000);
    expect((await ended).reason).toBe("expired");
    expect((await closed).resolution).toBe("unknown");
    const late = hostProcess(["sh", "-c", exec], env, cleanups);
    expect(await late.exited).toBe(3);
    expect(existsSync(join(dir, ".config", "autostart", desktopName))).toBe(false);
    const texts = f.t.server.store.transcript(f.sessionId, true).map((l) => l.text);
    expect(texts.some((t) => t.includes("did not come back within"))).toBe(true);
  });

  test("R-T5: a refusal is noted in the chat; in Phone mode the agent's cancel dialog ends the session", async () => {
    const f = await toolSession({}, { mode: "phone" });
    cleanups.push(() => f.close());
    const { env } = home(cleanups);
    const h = await startHost(f, env);
    const agent = await agentLink(f);
    await agent.request({ type: "restart.request" });
    const q = await h.next((l) => l.ask === "restart");
    h.answer(q.id, false);
    expect((await agent.next("restart.answered")).accepted).toBe(false);
    expect(f.t.server.store.transcript(f.sessionId, true).map((l) => l.text)).toContain(
      "The customer refused the restart",
    );
    const waiting = await restartAccepted(h, agent);
    expect(waiting.phoneMode).toBe(true);
    h.child.kill("SIGKILL");
    const ended = agent.next("tools.ended");
    const closed = f.agent.event("session.closed", (e: Line) => e.sessionId === f.sessionId);
    await agent.request({ type: "restart.cancel" });
    expect((await ended).reason).toBe("cancelled");
    await closed;
  });
});
