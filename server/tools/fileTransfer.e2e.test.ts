// R-T1 end to end through a real server: files and folders both ways, the receiver's choice before bytes flow, names
// made safe, no silent overwrite, SHA-256 checked, default deny and revocation, a dropped connection that resumes,
// and the transfer listed in the transcript and the management center.
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import {
  FileTransfers,
  filesToOffer,
  type Offer,
  type ReceivePolicy,
} from "../../host/tools/fileTransfers.ts";
import { defaultReconnectDelaysMs, ToolLink } from "../../host/tools/toolLink.ts";
import { cuttableProxy, type ToolSessionFixture, toolSession } from "./toolsTesting.ts";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function tempDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `tandem-${name}-`));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A receiver that accepts everything into `dest` (or what `pick` says) and renames on collision. */
function policy(
  dest: string,
  pick?: (o: Offer) => number[] | "decline",
): ReceivePolicy & { offers: Offer[] } {
  const offers: Offer[] = [];
  return {
    offers,
    decide: async (o) => {
      offers.push(o);
      const p = pick?.(o) ?? o.files.map((_, i) => i);
      return p === "decline" ? { decline: "not now" } : { accept: p, destination: dest };
    },
    collision: async () => "rename",
  };
}

async function peers(f: ToolSessionFixture, hostDest: string, agentDest: string, hostUrl = f.toolsUrl) {
  const host = new ToolLink({
    url: hostUrl,
    sessionId: f.sessionId,
    role: "host",
    key: f.hostKey,
    reconnectDelaysMs: defaultReconnectDelaysMs,
  });
  const agent = new ToolLink({
    url: f.toolsUrl,
    sessionId: f.sessionId,
    role: "agent",
    token: f.agentToken,
    reconnectDelaysMs: defaultReconnectDelaysMs,
  });
  await host.start();
  await agent.start();
  cleanups.push(() => {
    host.stop();
    agent.stop();
  });
  const hostPolicy = policy(hostDest);
  const agentPolicy = policy(agentDest);
  return {
    host,
    agent,
    hostPolicy,
    agentPolicy,
    hostFiles: new FileTransfers(host, hostPolicy),
    agentFiles: new FileTransfers(agent, agentPolicy),
  };
}

async function grant(host: ToolLink, agent: ToolLink, tool: "files" | "clipboard", granted = true) {
  const seen = agent.next("tool.granted", (m) => m.tool === tool);
  await host.request({ type: "tool.grant", tool, granted });
  await seen;
}

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

describe("R-T1 file transfer through the server", () => {
  test("R-T1: a folder from the customer reaches the agent whole, hash-checked, listed in transcript and log", async () => {
    const f = await toolSession();
    cleanups.push(() => f.close());
    const src = tempDir("src");
    const hostDest = tempDir("hd");
    const agentDest = tempDir("ad");
    const folder = join(src, "logs");
    mkdirSync(join(folder, "sub"), { recursive: true });
    const big = randomBytes(3 * 1_048_576 + 17);
    writeFileSync(join(folder, "app.log"), big);
    writeFileSync(join(folder, "sub", "empty.txt"), "");
    writeFileSync(join(folder, "sub", "notes.txt"), "hello");
    const p = await peers(f, hostDest, agentDest);
    const progress: number[] = [];
    p.agentFiles.on("progress", (x) => progress.push(x.bytes));
    const received = new Promise<{ files: string[]; ok: boolean }>((r) => p.agentFiles.once("received", r));
    // The customer sends: no grant needed for what they choose to send themselves.
    const result = await p.hostFiles.send(await filesToOffer([folder]));
    expect(result.ok).toBe(true);
    const got = await received;
    expect(got.ok).toBe(true);
    expect(p.agentPolicy.offers[0]!.files.map((x) => x.path.join("/"))).toEqual([
      "logs/app.log",
      "logs/sub/empty.txt",
      "logs/sub/notes.txt",
    ]);
    expect(sha(readFileSync(join(agentDest, "logs", "app.log")))).toBe(sha(big));
    expect(readFileSync(join(agentDest, "logs", "sub", "notes.txt"), "utf8")).toBe("hello");
    expect(readFileSync(join(agentDest, "logs", "sub", "empty.txt")).length).toBe(0);
    expect(progress.at(-1)).toBe(big.length + 5);
    // No part files left behind.
    expect(readdirSync(join(agentDest, "logs")).sort()).toEqual(["app.log", "sub"]);
    const transcript = f.t.server.store.transcript(f.sessionId, true).map((l) => l.text);
    expect(transcript.some((t) => t.startsWith("customer offers 3 file(s)"))).toBe(true);
    expect(
      transcript.some((t) => t.startsWith("Transfer completed: 3 file(s)") && t.includes("SHA-256")),
    ).toBe(true);
    const files = f.t.server.store
      .query("SELECT name, size, outcome, sha256 FROM file_transfers WHERE session_id = ? ORDER BY id")
      .all(f.sessionId) as { name: string; size: number; outcome: string; sha256: string }[];
    expect(files.map((x) => [x.name, x.outcome])).toEqual([
      ["logs › app.log", "completed"],
      ["logs › sub › empty.txt", "completed"],
      ["logs › sub › notes.txt", "completed"],
    ]);
    expect(files[0]!.sha256).toBe(sha(big));
  });

  test("R-T1: a folder of 1,000 small files goes through in one offer, one open file at a time", async () => {
    const f = await toolSession();
    cleanups.push(() => f.close());
    const src = tempDir("src");
    const agentDest = tempDir("ad");
    const folder = join(src, "many-small-files-with-longer-names");
    mkdirSync(folder);
    for (let i = 0; i < 1_000; i++)
      writeFileSync(join(folder, `file-number-${String(i).padStart(5, "0")}.txt`), `#${i}`);
    const p = await peers(f, tempDir("hd"), agentDest);
    const offer = await filesToOffer([folder]);
    // Over the 64 KiB that the control socket allows for one message.
    expect(JSON.stringify(offer.map((x) => ({ path: x.path, size: x.size }))).length).toBeGreaterThan(65_536);
    const result = await p.hostFiles.send(offer);
    expect(result).toMatchObject({ ok: true });
    const got = readdirSync(join(agentDest, "many-small-files-with-longer-names"));
    expect(got).toHaveLength(1_000);
    expect(
      readFileSync(join(agentDest, "many-small-files-with-longer-names", "file-number-00987.txt"), "utf8"),
    ).toBe("#987");
  });

  test("R-T1: agent → customer is refused until the customer grants files, and stops when they revoke", async () => {
    const f = await toolSession();
    cleanups.push(() => f.close());
    const src = tempDir("src");
    const p = await peers(f, tempDir("hd"), tempDir("ad"));
    writeFileSync(join(src, "tool.sh"), "echo hi\n");
    await expect(p.agentFiles.send(await filesToOffer([join(src, "tool.sh")]))).rejects.toMatchObject({
      reason: "NotGranted",
    });
    // The agent asks; the customer answers on their machine (here: the host grants).
    const asked = p.host.next("tool.requested");
    await p.agent.request({ type: "tool.request", tool: "files" });
    expect((await asked).tool).toBe("files");
    await grant(p.host, p.agent, "files");
    const sent = await p.agentFiles.send(await filesToOffer([join(src, "tool.sh")]));
    expect(sent.ok).toBe(true);
    // Revoked: a new offer is refused again, and the audit log says who did what.
    await grant(p.host, p.agent, "files", false);
    await expect(p.agentFiles.send(await filesToOffer([join(src, "tool.sh")]))).rejects.toMatchObject({
      reason: "NotGranted",
    });
    const actions = f.t.server.store
      .query("SELECT tool, action, actor FROM tool_events WHERE session_id = ? ORDER BY id")
      .all(f.sessionId) as { tool: string; action: string; actor: string }[];
    expect(actions.filter((a) => a.tool === "files").map((a) => a.action)).toEqual([
      "requested",
      "granted",
      "offered",
      "accepted",
      "completed",
      "revoked",
    ]);
  });

  test("R-T1: revoking the grant stops a transfer that is flowing; the part file is removed", async () => {
    const f = await toolSession();
    cleanups.push(() => f.close());
    const src = tempDir("src");
    const hostDest = tempDir("hd");
    writeFileSync(join(src, "big.bin"), randomBytes(64 * 1_048_576));
    const p = await peers(f, hostDest, tempDir("ad"));
    await grant(p.host, p.agent, "files");
    let revoked = false;
    p.hostFiles.on("progress", (x) => {
      if (!revoked && x.bytes > 1_048_576) {
        revoked = true;
        void p.host.request({ type: "tool.grant", tool: "files", granted: false });
      }
    });
    const cancelled = new Promise<void>((r) => p.hostFiles.once("cancelled", () => r()));
    await expect(p.agentFiles.send(await filesToOffer([join(src, "big.bin")]))).rejects.toMatchObject({
      reason: "Cancelled",
      message: "revoked by the customer",
    });
    await cancelled;
    expect(readdirSync(hostDest)).toEqual([]);
  });

  test("R-T1: the receiver ticks files; declined offers and unticked files move no bytes", async () => {
    const f = await toolSession();
    cleanups.push(() => f.close());
    const src = tempDir("src");
    const agentDest = tempDir("ad");
    writeFileSync(join(src, "a.txt"), "A");
    writeFileSync(join(src, "b.txt"), "B");
    const p = await peers(f, tempDir("hd"), agentDest);
    p.agentPolicy.decide = async (o) =>
      o.files.length === 1 ? { decline: "no thanks" } : { accept: [1], destination: agentDest };
    await expect(p.hostFiles.send(await filesToOffer([join(src, "a.txt")]))).rejects.toMatchObject({
      reason: "Declined",
    });
    const r = await p.hostFiles.send(await filesToOffer([join(src, "a.txt"), join(src, "b.txt")]));
    expect(r.ok).toBe(true);
    expect(readdirSync(agentDest)).toEqual(["b.txt"]);
  });

  test("R-T1: hostile names stay inside the destination, and an existing file is never overwritten silently", async () => {
    const f = await toolSession();
    cleanups.push(() => f.close());
    const hostDest = tempDir("hd");
    const src = tempDir("src");
    writeFileSync(join(src, "x"), "payload");
    writeFileSync(join(hostDest, "report.pdf"), "mine");
    const p = await peers(f, hostDest, tempDir("ad"));
    await grant(p.host, p.agent, "files");
    const hostile = [
      ["..", "..", "etc", "passwd"],
      ["/abs", "evil\u202Efdp.exe"],
      ["report.pdf"],
      [".bashrc"],
      ["con.txt"],
      ["a\nb\u0000c"],
    ];
    const sent = await p.agentFiles.send(hostile.map((path) => ({ local: join(src, "x"), path, size: 7 })));
    expect(sent.ok).toBe(true);
    const listing = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? listing(join(dir, e.name)).map((n) => `${e.name}/${n}`) : [e.name],
      );
    expect(listing(hostDest).sort()).toEqual(
      ["etc/passwd", "_abs/evilfdp.exe", "report.pdf", "report (1).pdf", "_bashrc", "_con.txt", "abc"].sort(),
    );
    expect(readFileSync(join(hostDest, "report.pdf"), "utf8")).toBe("mine");
  });

  test("R-T1: a dropped connection mid-transfer resumes where the receiver stopped, and the hash still matches", async () => {
    const f = await toolSession();
    cleanups.push(() => f.close());
    const proxy = await cuttableProxy(f.t.server.port);
    cleanups.push(() => proxy.close());
    const src = tempDir("src");
    const agentDest = tempDir("ad");
    const data = randomBytes(48 * 1_048_576);
    writeFileSync(join(src, "big.bin"), data);
    const p = await peers(f, tempDir("hd"), agentDest, `ws://127.0.0.1:${proxy.port}/tools`);
    let cutAt = 0;
    p.agentFiles.on("progress", (x) => {
      if (cutAt === 0 && x.bytes > 8 * 1_048_576) {
        cutAt = x.bytes;
        proxy.cut();
      }
    });
    const resumed = p.agent.next("tools.peer", (m) => m.role === "host" && m.present, 15_000);
    const received = new Promise<{ files: string[]; ok: boolean }>((r) => p.agentFiles.once("received", r));
    const result = await p.hostFiles.send(await filesToOffer([join(src, "big.bin")]));
    await resumed;
    expect(cutAt).toBeGreaterThan(0);
    expect(cutAt).toBeLessThan(data.length);
    expect(result.ok).toBe(true);
    expect((await received).ok).toBe(true);
    expect(sha(readFileSync(join(agentDest, "big.bin")))).toBe(sha(data));
    const resumes = f.t.server.store
      .query("SELECT COUNT(*) n FROM tool_events WHERE session_id = ? AND action = 'resumed'")
      .get(f.sessionId) as { n: number };
    expect(resumes.n).toBeGreaterThanOrEqual(1);
  });
});
