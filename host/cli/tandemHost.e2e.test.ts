// The one command the customer runs, `tandem-host`, as a real process: it asks on the customer's side before the
// screen is shared (R-S8) and carries the session tools in the same process (R-T1–T6). After a restart its autostart
// entry brings back both the tools and the screen in the same session (R-T5).
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, test } from "vitest";
import { cloneImage } from "../../protocol/frame/index.ts";
import { type ToolSessionFixture, toolSession } from "../../server/tools/toolsTesting.ts";
import { RecordedSource, recordFrames, SyntheticSource } from "../capture/index.ts";
import {
  agentToolLink,
  autostartCommand,
  type Cleanups,
  home,
  hostProcess,
  type Line,
} from "../tools/hostProcess.testing.ts";
import { samePixels, TestViewer, until } from "./testViewer.ts";

const binPath = fileURLToPath(new URL("./bin.mjs", import.meta.url));

const cleanups: Cleanups = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function tandemHost(f: ToolSessionFixture, env: NodeJS.ProcessEnv) {
  return hostProcess(
    [
      process.execPath,
      binPath,
      ...["--server", f.t.wsUrl, "--session", f.sessionId, "--key", f.hostKey],
      ...["--source", "synthetic:terminal-typing", "--size", "320x200", "--fps", "10"],
      ...["--prompt", "json", "--reboot-command", "true"],
    ],
    env,
    cleanups,
  );
}

const agentTools = (f: ToolSessionFixture) => agentToolLink(f, cleanups);

async function viewer(f: ToolSessionFixture) {
  const v = await TestViewer.open(f.t, f.sessionId, f.agentToken);
  cleanups.push(() => v.ws.close());
  return v;
}

const notice = (start: string) => (l: Line) => typeof l.notice === "string" && l.notice.startsWith(start);

describe("tandem-host: screen and session tools in one process", () => {
  test("R-S8 + R-T1: nothing is shared without the customer's yes; a refused screen leaves the tools working", async () => {
    const f = await toolSession();
    cleanups.push(() => f.close());
    const { env } = home(cleanups);
    const h = tandemHost(f, env);
    await h.next(notice("Connected to session"), 30_000);
    const v = await viewer(f);
    const asked = await h.next((l) => l.ask === "screen");
    expect(asked).toMatchObject({ reason: "start", suggested: "view" });
    h.answer(asked.id, null);
    await h.next(notice("Your screen is not shared"));
    expect(v.applied).toEqual([]);
    // The same process answers for the tools: the agent asks for files, the customer allows it.
    const agent = await agentTools(f);
    const granted = agent.next("tool.granted", (m) => m.tool === "files");
    await agent.request({ type: "tool.request", tool: "files" });
    const q = await h.next((l) => l.ask === "grant");
    expect(q).toMatchObject({ tool: "files" });
    h.answer(q.id, true);
    expect((await granted).granted).toBe(true);
    expect(v.applied).toEqual([]);
  });

  test("R-S8: with --present the agent's own screen reaches the customer after the agent's yes; no tools run", async () => {
    const f = await toolSession();
    cleanups.push(() => f.close());
    const { env } = home(cleanups);
    const { data } = await f.agent.ok({ type: "screen.present", sessionId: f.sessionId });
    const h = hostProcess(
      [
        process.execPath,
        binPath,
        ...data.command.split(" ").slice(2), // what the console shows after `npx tandem-host`
        ...["--source", "synthetic:document-scroll", "--size", "320x200", "--fps", "10", "--prompt", "json"],
      ],
      env,
      cleanups,
    );
    const customer = await TestViewer.open(f.t, f.sessionId, f.hostKey, "agent");
    cleanups.push(() => customer.ws.close());
    const asked = await h.next((l) => l.ask === "screen", 30_000);
    expect(asked).toMatchObject({ reason: "start", presenting: true });
    h.answer(asked.id, "view");
    await h.next(notice("Showing your screen to the customer"));
    await until(() => customer.applied.length >= 3, "the agent's frames at the customer");
    expect(customer.display.width).toBe(320);
    await f.agent.event("session.stateChanged", (e) => e.state === "sharingAgentScreen");
    // The tools are the customer's: the agent's host never joined them (it would have said so before sharing).
    await expect(h.next(notice("Connected to session"), 50)).rejects.toThrow();
  });

  test("R-T5: restarted, the relaunched tandem-host rejoins the same session's tools and shares the screen again", async () => {
    const f = await toolSession({ gateway: { customerGraceMs: 200 } });
    cleanups.push(() => f.close());
    const { env, dir } = home(cleanups);
    const h = tandemHost(f, env);
    await h.next(notice("Connected to session"), 30_000);
    const v = await viewer(f);
    h.answer((await h.next((l) => l.ask === "screen")).id, "view");
    await h.next(notice("Sharing your screen"));
    await until(() => v.applied.length > 0, "the first frames");
    expect(v.display.width).toBe(320);

    const agent = await agentTools(f);
    const waiting = agent.next("restart.waiting");
    await agent.request({ type: "restart.request" });
    h.answer((await h.next((l) => l.ask === "restart")).id, true);
    await waiting;
    await h.next(notice("Restarting"));
    const exec = autostartCommand(dir);
    expect(exec).toContain("--resume");
    expect(exec).toContain("synthetic:terminal-typing");
    expect(exec).toContain("--size 320x200");
    expect(exec).not.toContain(f.hostKey); // the key stays in the 0600 resume file, not in a readable entry
    const hostGone = agent.next("tools.peer", (m) => m.role === "host" && !m.present);
    h.child.kill("SIGKILL");
    await hostGone;
    f.customer.close();

    const back = agent.next("restart.back", () => true, 30_000);
    const again = hostProcess(["sh", "-c", exec], env, cleanups);
    await back;
    await again.next(notice("Connected to session"));
    const framesBefore = v.applied.length;
    const asked = await again.next((l) => l.ask === "screen");
    expect(asked.reason).toBe("start");
    again.answer(asked.id, "view");
    await again.next(notice("Sharing your screen"));
    await until(() => v.applied.length > framesBefore + 2, "frames from the host after the restart");
    expect(f.t.server.floor.session(f.sessionId as never)).toBeDefined();
  });

  test("R-D3: --source recorded:<folder> plays recorded PNG frames to the viewer, pixel-exact", async () => {
    const folder = mkdtempSync(join(tmpdir(), "tandem-recorded-"));
    cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
    const synthetic = new SyntheticSource({ scene: "busy-animation", width: 320, height: 200, seed: 3 });
    await recordFrames(synthetic, folder, 3);
    expect(readdirSync(folder).filter((name) => name.endsWith(".png"))).toHaveLength(3);
    const playback = new RecordedSource(folder, { loop: false });
    const recorded = [];
    for (let i = 0; i < 3; i++) recorded.push(cloneImage((await playback.grab()).image));
    const f = await toolSession();
    cleanups.push(() => f.close());
    const { env } = home(cleanups);
    const v = await viewer(f);
    const h = hostProcess(
      [
        process.execPath,
        binPath,
        ...["--server", f.t.wsUrl, "--session", f.sessionId, "--key", f.hostKey],
        ...["--source", `recorded:${folder}`, "--fps", "10", "--tools", "off", "--yes", "--prompt", "json"],
      ],
      env,
      cleanups,
    );
    await h.next(notice("Sharing your screen"), 30_000);
    // The recording loops: the picture is each recorded frame in turn, exactly.
    for (const frame of recorded)
      await until(() => samePixels(v.display, frame), "a recorded frame in the viewer's picture", 10_000);
  });
});
