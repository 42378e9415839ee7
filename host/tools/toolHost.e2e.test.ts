// The customer's host tools end to end through a real server, with the real X11 clipboard of a private Xvfb:
// clipboard limits and preferences (R-T2, R-V5 F6), diagnostics with consent, Send/Copy/Close and the log (R-T3),
// credentials that never leave the machine (R-T6 canary), run as service and its elevated-only commands (R-T4).
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PNG } from "pngjs";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { type ToolSessionFixture, toolSession } from "../../server/tools/toolsTesting.ts";
import { startXvfb, type Xvfb } from "../x11/xvfb.ts";
import { ScriptedPrompt } from "./customerPrompt.ts";
import { FileTransfers } from "./fileTransfers.ts";
import { RebootHook } from "./rebootHook.ts";
import { type ClipboardPreference, ToolHost } from "./toolHost.ts";
import { defaultReconnectDelaysMs, ToolLink } from "./toolLink.ts";
import { X11Clipboard } from "./x11Clipboard.ts";

let xvfb: Xvfb;
beforeAll(async () => {
  xvfb = await startXvfb({ screens: ["1024x768x24"] });
});
afterAll(async () => {
  await xvfb?.stop();
});

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function tempDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `tandem-${name}-`));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

interface Rig {
  f: ToolSessionFixture;
  host: ToolHost;
  prompt: ScriptedPrompt;
  agent: ToolLink;
  agentFiles: FileTransfers;
  agentDest: string;
  traffic: string[];
  logs: string[];
  ran: string[][];
}

async function rig(
  opts: { preference?: ClipboardPreference; prompt?: ScriptedPrompt; uid?: number; has?: string[] } = {},
): Promise<Rig> {
  const logs: string[] = [];
  const f = await toolSession({ log: (l) => logs.push(l) });
  cleanups.push(() => f.close());
  const traffic: string[] = [];
  const tap = (_d: string, data: string | Uint8Array) =>
    traffic.push(typeof data === "string" ? data : Buffer.from(data).toString("latin1"));
  const prompt = opts.prompt ?? new ScriptedPrompt();
  const state = tempDir("state");
  const ran: string[][] = [];
  const host = new ToolHost({
    server: f.t.wsUrl,
    sessionId: f.sessionId,
    key: f.hostKey,
    prompt,
    clipboard: new X11Clipboard(xvfb.display),
    clipboardPreference: opts.preference ?? "auto",
    stateDir: state,
    hook: new RebootHook({
      stateDir: state,
      autostartDir: join(state, "autostart"),
      systemdUserDir: join(state, "systemd"),
      relaunch: ["tandem-host"],
      run: async (argv) => {
        ran.push(argv);
        return { code: 0, output: "" };
      },
    }),
    hostCommand: ["tandem-host"],
    platform: { uid: opts.uid ?? 1000, has: (b) => (opts.has ?? ["sudo"]).includes(b) },
    runCommand: async (argv) => {
      ran.push(argv);
      return { code: 0, output: "" };
    },
    tap,
    log: (l) => logs.push(l),
  });
  await host.start();
  const agent = new ToolLink({
    url: f.toolsUrl,
    sessionId: f.sessionId,
    role: "agent",
    token: f.agentToken,
    reconnectDelaysMs: defaultReconnectDelaysMs,
    tap,
  });
  await agent.start();
  cleanups.push(async () => {
    agent.stop();
    await host.stop();
  });
  const agentDest = tempDir("agent");
  const agentFiles = new FileTransfers(agent, {
    decide: async (o) => ({ accept: o.files.map((_, i) => i), destination: agentDest }),
    collision: async () => "rename",
  });
  return { f, host, prompt, agent, agentFiles, agentDest, traffic, logs, ran };
}

async function grantClipboard(r: Rig) {
  r.prompt.answers.grant = async (tool) => tool === "clipboard";
  const granted = r.agent.next("tool.granted", (m) => m.tool === "clipboard");
  await r.agent.request({ type: "tool.request", tool: "clipboard" });
  expect((await granted).granted).toBe(true);
}

/** The agent's F6: sends a clipboard of `data` to the customer. */
async function sendClipboard(r: Rig, data: Buffer, name: string, mime: string) {
  const dir = tempDir("clip");
  writeFileSync(join(dir, name), data);
  return r.agentFiles.send([{ local: join(dir, name), path: [name], size: data.length, mime }], "clipboard");
}

const xclipOut = (target: string) =>
  spawnSync("xclip", ["-selection", "clipboard", "-o", "-t", target], {
    env: { ...process.env, DISPLAY: xvfb.display },
    maxBuffer: 8 * 1_048_576,
  }).stdout as Buffer;

/** A PNG of exactly `bytes` bytes: an image plus a private ancillary chunk as padding. */
function pngOfSize(bytes: number): Buffer {
  const img = new PNG({ width: 64, height: 64 });
  for (let i = 0; i < img.data.length; i++) img.data[i] = (i * 37) & 255;
  const base = PNG.sync.write(img);
  const iend = base.subarray(base.length - 12);
  const padLen = bytes - base.length - 12;
  const chunk = Buffer.alloc(12 + padLen);
  chunk.writeUInt32BE(padLen, 0);
  chunk.write("tEXt", 4, "latin1");
  chunk.fill(0x61, 8, 8 + padLen);
  return Buffer.concat([base.subarray(0, base.length - 12), chunk, iend]);
}

describe("R-T2 shared clipboard with the real X11 clipboard", () => {
  test("R-T2: default deny — the agent's clipboard is refused until the customer grants it", async () => {
    const r = await rig();
    await expect(sendClipboard(r, Buffer.from("hi"), "clipboard.txt", "text/plain")).rejects.toMatchObject({
      reason: "NotGranted",
    });
  });

  test("R-T2: F6 text and a 1.5 MiB image land in the customer's X11 clipboard; 1.5 MiB + 1 byte is refused clearly", async () => {
    const r = await rig({ preference: "auto" });
    await grantClipboard(r);
    const text = "Grüße from the agent ✓";
    const landed = new Promise<void>((res) => r.host.files.once("received", () => setImmediate(res)));
    expect((await sendClipboard(r, Buffer.from(text), "clipboard.txt", "text/plain")).ok).toBe(true);
    await landed;
    await expect.poll(() => xclipOut("UTF8_STRING").toString("utf8")).toBe(text);
    const png = pngOfSize(1_572_864);
    expect(png.length).toBe(1_572_864);
    const landedPng = new Promise<void>((res) => r.host.files.once("received", () => setImmediate(res)));
    expect((await sendClipboard(r, png, "clipboard.png", "image/png")).ok).toBe(true);
    await landedPng;
    await expect.poll(() => xclipOut("image/png").equals(png)).toBe(true);
    const over = pngOfSize(1_572_865);
    await expect(sendClipboard(r, over, "clipboard.png", "image/png")).rejects.toThrow(
      "The clipboard holds 1,572,865 bytes; at most 1,572,864 bytes (1.5 MiB) can be sent.",
    );
    const line = r.f.t.server.store.transcript(r.f.sessionId, false).map((l) => l.text);
    expect(line.some((l) => l.includes("clipboard was refused") && l.includes("1,572,865"))).toBe(true);
  });

  test("R-T2: the receiver's preference — decline refuses, ask puts the question to the customer", async () => {
    const declining = await rig({ preference: "decline" });
    await grantClipboard(declining);
    await expect(
      sendClipboard(declining, Buffer.from("x"), "clipboard.txt", "text/plain"),
    ).rejects.toMatchObject({
      reason: "Declined",
    });
    const asking = await rig({ preference: "ask" });
    await grantClipboard(asking);
    asking.prompt.answers.clipboard = async () => false;
    await expect(
      sendClipboard(asking, Buffer.from("x"), "clipboard.txt", "text/plain"),
    ).rejects.toMatchObject({
      reason: "Declined",
    });
    expect(asking.prompt.asked).toContain("clipboard");
  });

  test("R-T2: the customer sends their X11 clipboard to the agent", async () => {
    const r = await rig();
    await new X11Clipboard(xvfb.display).write({
      mime: "text/plain;charset=utf-8",
      data: Buffer.from("from X11"),
    });
    const received = new Promise<{ files: string[] }>((res) => r.agentFiles.once("received", res));
    expect((await r.host.sendClipboard()).ok).toBe(true);
    expect(readFileSync((await received).files[0]!, "utf8")).toBe("from X11");
  });
});

describe("R-T3 diagnostics", () => {
  test("R-T3: consent first; Cancel, Close and Copy send nothing; Send delivers real data; every request is logged", async () => {
    const r = await rig();
    const choices: Array<boolean | "send" | "copy" | "close"> = [false, "close", "copy", "send"];
    let shown = "";
    // The first request is cancelled at the consent (OK / Cancel); the others are consented to.
    r.prompt.answers.diagnosticsConsent = async () => {
      if (choices[0] !== false) return true;
      choices.shift();
      return false;
    };
    r.prompt.answers.diagnosticsChoice = async (_report, text) => {
      shown = text;
      return choices.shift() as "send" | "copy" | "close";
    };
    const received = new Promise<{ files: string[]; purpose: string }>((res) =>
      r.agentFiles.once("received", res),
    );
    const outcomes: string[] = [];
    for (let i = 0; i < 4; i++) {
      const answered = r.agent.next("diag.answered");
      await r.agent.request({ type: "diag.request" });
      outcomes.push((await answered).outcome);
    }
    expect(outcomes).toEqual(["cancelled", "closed", "copied", "sent"]);
    // Refresh asks again: consent was asked for every one of the four requests.
    expect(r.prompt.asked.filter((a) => a === "diagnosticsConsent")).toHaveLength(4);
    expect(shown).toContain("Diagnostics of");
    expect(xclipOut("UTF8_STRING").toString("utf8")).toContain("Diagnostics of");
    const report_ = await received;
    expect(report_.purpose).toBe("diagnostics");
    const report = JSON.parse(readFileSync(report_.files[0]!, "utf8"));
    const osRelease = readFileSync("/etc/os-release", "utf8");
    expect(osRelease).toContain(report.os.name);
    expect(report.processes.some((p: { pid: number }) => p.pid === process.pid)).toBe(true);
    expect(report.packages.length).toBeGreaterThan(10);
    expect(report.disks.length).toBeGreaterThan(0);
    expect(report.network.some((n: { name: string }) => n.name === "lo")).toBe(true);
    expect(report.displays.length).toBeGreaterThanOrEqual(0);
    const log = r.f.t.server.store.diagnosticsLog() as { session_id: string; outcome: string }[];
    expect(log.filter((l) => l.session_id === r.f.sessionId).map((l) => l.outcome)).toEqual([
      "sent",
      "copied",
      "closed",
      "cancelled",
    ]);
  });

  test("R-T3: an agent cannot push a diagnostics report the customer did not choose to send", async () => {
    const r = await rig();
    const dir = tempDir("fake");
    writeFileSync(join(dir, "d.json"), "{}");
    await expect(
      r.agentFiles.send([{ local: join(dir, "d.json"), path: ["d.json"], size: 2 }], "diagnostics", 1),
    ).rejects.toMatchObject({ reason: "Rejected" });
  });
});

describe("R-T6 credentials and R-T4 run as service", () => {
  test("R-T6: canary — the typed password never reaches the server, the agent, a log or the database; revoked and erased", async () => {
    const canaryUser = `canary-user-${Date.now()}`;
    const canaryPassword = `CANARY-pw-${Math.random().toString(36).slice(2)}-Zq9!`;
    const bin = tempDir("bin");
    const sudoSaw = join(bin, "sudo-saw");
    // A stand-in sudo: checks the password arrived on stdin, never on its command line.
    writeFileSync(
      join(bin, "sudo"),
      `#!/bin/sh\nread -r pw\ncase "$*" in *${canaryPassword}*) exit 9;; esac\n[ "$pw" = '${canaryPassword}' ] && echo ok > '${sudoSaw}'\nexit 0\n`,
    );
    chmodSync(join(bin, "sudo"), 0o755);
    const path = process.env.PATH;
    process.env.PATH = `${bin}:${path}`;
    cleanups.push(() => {
      process.env.PATH = path;
    });
    const prompt = new ScriptedPrompt({
      credentials: async () => ({ user: canaryUser, password: canaryPassword }),
      elevate: async () => ({ allow: true }),
    });
    const r = await rig({ prompt, has: ["sudo"] });
    const stored = r.agent.next("cred.state");
    await r.agent.request({ type: "tool.request", tool: "credentials" });
    expect((await stored).state).toBe("stored");
    expect(r.host.vault.stored).toBe(true);
    const vaultBytes = readFileSync(r.host.vault.file);
    // Run as service with those credentials: sudo gets them on stdin.
    const elevated = r.agent.next("elevate.state");
    await r.agent.request({ type: "elevate.request" });
    expect(await elevated).toMatchObject({ elevated: true, via: "sudo" });
    expect(readFileSync(sudoSaw, "utf8").trim()).toBe("ok");
    // Elevated-only command, then revocation.
    await r.agent.request({ type: "elevated.command", command: "ctrlAltDel" });
    await expect.poll(() => r.ran.some((a) => a.join(" ") === "loginctl lock-sessions")).toBe(true);
    const revoked = r.agent.next("cred.state");
    await r.host.revoke("credentials");
    expect((await revoked).state).toBe("revoked");
    expect(existsSync(r.host.vault.file)).toBe(false);
    r.f.t.server.store.commit();
    r.f.t.server.store.db.pragma("wal_checkpoint(FULL)");
    const dbBytes = [
      readFileSync(join(r.f.t.dataDir, "tandem.sqlite")),
      ...["-wal", "-shm"]
        .map((s) => join(r.f.t.dataDir, `tandem.sqlite${s}`))
        .filter(existsSync)
        .map((p) => readFileSync(p)),
    ];
    const agentMain = JSON.stringify(r.f.agent.received);
    const everything = [
      ...r.traffic,
      ...r.logs,
      agentMain,
      JSON.stringify(r.prompt.notices),
      ...dbBytes.map((b) => b.toString("latin1")),
      vaultBytes.toString("latin1"),
      JSON.stringify(await (await fetch(`${r.f.t.url}/api/admin/events`)).text()),
    ].join("\n");
    for (const canary of [canaryPassword, canaryUser])
      for (const form of [
        canary,
        Buffer.from(canary).toString("base64"),
        Buffer.from(canary).toString("hex"),
      ])
        expect(everything.includes(form)).toBe(false);
    expect(readdirSync(join(r.f.t.dataDir))).not.toContain(expect.stringContaining("credentials"));
  });

  test("R-T6: the credentials are erased when the session ends", async () => {
    const prompt = new ScriptedPrompt({ credentials: async () => ({ user: "u", password: "p" }) });
    const r = await rig({ prompt });
    const stored = r.agent.next("cred.state");
    await r.agent.request({ type: "tool.request", tool: "credentials" });
    await stored;
    expect(existsSync(r.host.vault.file)).toBe(true);
    const ended = new Promise<void>((res) => r.host.link.once("ended", () => res()));
    await r.f.agent.ok({ type: "session.close", sessionId: r.f.sessionId, resolution: "resolved" });
    await ended;
    await expect.poll(() => existsSync(r.host.vault.file)).toBe(false);
    expect(r.host.vault.stored).toBe(false);
  });

  test("R-T4: once elevated, restart in safe mode with networking goes through the customer's restart consent", async () => {
    const prompt = new ScriptedPrompt({ elevate: async () => ({ allow: true }), restart: async () => true });
    const r = await rig({ prompt, uid: 0 });
    const state = r.agent.next("elevate.state");
    await r.agent.request({ type: "elevate.request" });
    expect(await state).toMatchObject({ elevated: true, via: "already" });
    const waiting = r.agent.next("restart.waiting");
    await r.agent.request({ type: "elevated.command", command: "safeModeRestart" });
    expect((await waiting).phoneMode).toBe(false);
    expect(prompt.asked).toContain("restart");
    await expect
      .poll(() => r.ran.map((a) => a.join(" ")))
      .toEqual(expect.arrayContaining(["systemctl set-default multi-user.target", "systemctl reboot"]));
    expect(JSON.parse(readFileSync(join(r.host.vault.file, "..", "resume.json"), "utf8")).restoreTarget).toBe(
      "graphical.target",
    );
  });

  test("R-T4: elevated-only commands are refused until the host runs as service; a refusal is noted", async () => {
    const r = await rig({ prompt: new ScriptedPrompt({ elevate: async () => ({ allow: false }) }) });
    await expect(r.agent.request({ type: "elevated.command", command: "ctrlAltDel" })).rejects.toMatchObject({
      reason: "NotGranted",
    });
    const state = r.agent.next("elevate.state");
    await r.agent.request({ type: "elevate.request" });
    expect(await state).toMatchObject({ elevated: false });
    const lines = r.f.t.server.store.transcript(r.f.sessionId, true).map((l) => l.text);
    expect(lines.some((l) => l.includes("does not run with administrator rights"))).toBe(true);
  });
});
