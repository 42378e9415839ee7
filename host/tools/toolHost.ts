// The customer's side of the session tools: every agent request is put to the customer on their own machine first
// (default deny), grants can be revoked at any time, and the host carries out only what was granted — files, the X11
// clipboard, diagnostics, restart and reconnect, run as service, and credentials kept in a vault erased at the end.
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ToolName, ToolServerMessage } from "../../protocol/tools/index.ts";
import { CredentialVault } from "./credentialVault.ts";
import type { CustomerPrompt } from "./customerPrompt.ts";
import { type DiagnosticsReport, formatDiagnostics, gatherDiagnostics } from "./diagnostics.ts";
import {
  elevate,
  elevatedCommands,
  elevationPlan,
  type Platform,
  runWithSecret,
  thisPlatform,
} from "./elevation.ts";
import { type Decision, FileTransfers, filesToOffer, type Offer } from "./fileTransfers.ts";
import type { RebootHook } from "./rebootHook.ts";
import { defaultReconnectDelaysMs, ToolLink, toolsUrlOf } from "./toolLink.ts";
import type { Clipboard, ClipboardContent } from "./x11Clipboard.ts";

export type ClipboardPreference = "ask" | "auto" | "decline";

export interface ToolHostOptions {
  /** The server's control URL from the host command (`--server ws://…/ws`). */
  server: string;
  sessionId: string;
  key: string;
  prompt: CustomerPrompt;
  /** The customer's clipboard (X11), or null where there is none. */
  clipboard: Clipboard | null;
  /** R-T2: what to do with a clipboard the agent sends. */
  clipboardPreference: ClipboardPreference;
  /** Private folder for the vault, clipboards in transit and diagnostics reports. */
  stateDir: string;
  hook: RebootHook;
  /** Coming back after a restart (R-T5). */
  resume?: boolean;
  platform?: Platform;
  /** How to start this host again elevated (R-T4). */
  hostCommand: string[];
  /** Runs elevated-only commands; defaults to running them. */
  runCommand?: (argv: string[]) => Promise<{ code: number; output: string }>;
  diagnostics?: () => Promise<DiagnosticsReport>;
  tap?: (direction: "out" | "in", data: string | Uint8Array) => void;
  log?: (line: string) => void;
}

export class ToolHost {
  readonly link: ToolLink;
  readonly files: FileTransfers;
  readonly vault: CredentialVault;
  private elevated = false;
  private readonly log: (line: string) => void;

  constructor(private readonly o: ToolHostOptions) {
    this.log = o.log ?? (() => {});
    this.link = new ToolLink({
      url: toolsUrlOf(o.server),
      sessionId: o.sessionId,
      role: "host",
      key: o.key,
      ...(o.resume ? { resume: true } : {}),
      reconnectDelaysMs: defaultReconnectDelaysMs,
      ...(o.tap ? { tap: o.tap } : {}),
    });
    this.vault = new CredentialVault(o.stateDir, o.sessionId);
    this.files = new FileTransfers(this.link, {
      decide: (offer) => this.decide(offer),
      collision: (path) => o.prompt.collision(path),
    });
    this.link.on("message", (m: ToolServerMessage) => {
      this.handle(m).catch((e: Error) => this.log(`tools: ${m.type} failed: ${e.message}`));
    });
    this.link.on("ended", () => void this.vault.erase());
    this.files.on("received", (r) => void this.received(r));
    this.files.on("progress", (p) => {
      if (p.bytes === p.total)
        o.prompt.notice(`${p.direction === "send" ? "Sent" : "Received"} ${p.total} bytes`);
    });
  }

  async start(): Promise<void> {
    await mkdir(this.o.stateDir, { recursive: true, mode: 0o700 });
    await this.link.start();
  }

  /** Ends the host's tools: credentials erased, socket closed. */
  async stop(): Promise<void> {
    await this.vault.erase();
    this.link.stop();
  }

  /** This process is the elevated copy (started by `elevate`, `--elevated` as root): it says so and takes over. */
  async announceElevated(): Promise<void> {
    this.elevated = true;
    await this.link.request({ type: "elevate.state", elevated: true, via: "already" });
  }

  // ——— what the customer does on their own ———

  /** R-T1: the customer sends files or folders to the agent. */
  sendFiles(paths: string[]) {
    return filesToOffer(paths).then((files) => this.files.send(files));
  }

  /** R-T2: the customer sends their clipboard; refused here already when it is over the limit. */
  async sendClipboard(): Promise<{ transferId: number; ok: boolean }> {
    const content = await this.o.clipboard?.read();
    if (!content) throw new Error("the clipboard is empty");
    const max = this.link.welcome?.limits.clipboardMaxBytes ?? 1_572_864;
    if (content.data.length > max)
      throw new Error(
        `The clipboard holds ${content.data.length.toLocaleString("en")} bytes; at most ${max.toLocaleString("en")} bytes (1.5 MiB) can be sent.`,
      );
    const dir = await mkdtemp(join(this.o.stateDir, "clip-"));
    const name = content.mime === "image/png" ? "clipboard.png" : "clipboard.txt";
    await writeFile(join(dir, name), content.data, { mode: 0o600 });
    try {
      return await this.files.send(
        [{ local: join(dir, name), path: [name], size: content.data.length, mime: content.mime }],
        "clipboard",
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** The customer revokes a grant at any time; credentials are erased at once. */
  async revoke(tool: ToolName): Promise<void> {
    if (tool === "credentials") {
      await this.vault.erase();
      await this.link.request({ type: "cred.state", state: "revoked" });
      return;
    }
    if (tool === "elevation") {
      this.elevated = false;
      await this.link.request({ type: "elevate.state", elevated: false, detail: "given up by the customer" });
      return;
    }
    await this.link.request({ type: "tool.grant", tool, granted: false });
  }

  /** R-T3: the customer may look at their own data any time (nothing is sent). */
  viewDiagnostics(): Promise<string> {
    return (this.o.diagnostics ?? gatherDiagnostics)().then(formatDiagnostics);
  }

  // ——— what the agent asks ———

  private async handle(m: ToolServerMessage): Promise<void> {
    const p = this.o.prompt;
    switch (m.type) {
      case "tool.requested":
        if (m.tool === "files" || m.tool === "clipboard") {
          const granted = await p.grant(m.tool, m.by);
          await this.link.request({ type: "tool.grant", tool: m.tool, granted });
        } else if (m.tool === "credentials") await this.askCredentials(m.by);
        return;
      case "diag.requested":
        return this.diagnostics(m.diagnosticsId, m.by);
      case "restart.requested":
        return this.restart(m.by, m.safeMode);
      case "elevate.requested":
        return this.elevate(m.by);
      case "elevated.command": {
        if (!this.elevated) return;
        const run = this.o.runCommand ?? ((argv: string[]) => runWithSecret(argv));
        const r = await run([...elevatedCommands[m.command]]);
        p.notice(`${m.by} ran ${m.command}: ${r.code === 0 ? "done" : `failed (exit ${r.code})`}`);
        return;
      }
      case "tools.ended":
        await this.vault.erase();
        p.notice("The session ended; your credentials were erased.");
        return;
    }
  }

  private async decide(offer: Offer): Promise<Decision> {
    if (offer.purpose === "diagnostics") return { decline: "the host does not take diagnostics" };
    if (offer.purpose === "clipboard") {
      const pref = this.o.clipboardPreference;
      if (pref === "decline" || !this.o.clipboard) return { decline: "the customer declines clipboards" };
      if (pref === "ask" && !(await this.o.prompt.clipboard(offer)))
        return { decline: "the customer declined" };
      return { accept: [0], destination: await mkdtemp(join(this.o.stateDir, "clip-in-")) };
    }
    return this.o.prompt.files(offer);
  }

  private async received(r: { purpose: string; files: string[]; ok: boolean }): Promise<void> {
    if (r.purpose === "clipboard" && r.ok && r.files[0]) {
      const path = r.files[0];
      const content: ClipboardContent = {
        mime: path.endsWith(".png") ? "image/png" : "text/plain;charset=utf-8",
        data: await readFile(path),
      };
      await rm(join(path, ".."), { recursive: true, force: true });
      await this.o.clipboard?.write(content);
      this.o.prompt.notice("The agent's clipboard was copied to yours.");
      return;
    }
    if (r.ok) this.o.prompt.notice(`Received ${r.files.length} file(s)`);
  }

  private async askCredentials(by: string): Promise<void> {
    const typed = await this.o.prompt.credentials(by);
    if (!typed) {
      await this.link.request({ type: "cred.state", state: "refused" });
      return;
    }
    await this.vault.store(typed.user, typed.password);
    await this.link.request({ type: "cred.state", state: "stored" });
  }

  private async diagnostics(diagnosticsId: number, by: string): Promise<void> {
    const p = this.o.prompt;
    if (!(await p.diagnosticsConsent(by))) {
      await this.link.request({ type: "diag.answer", diagnosticsId, outcome: "cancelled" });
      return;
    }
    const report = await (this.o.diagnostics ?? gatherDiagnostics)();
    const text = formatDiagnostics(report);
    const choice = await p.diagnosticsChoice(report, text);
    if (choice === "copy") {
      await this.o.clipboard?.write({ mime: "text/plain;charset=utf-8", data: Buffer.from(text) });
      await this.link.request({ type: "diag.answer", diagnosticsId, outcome: "copied" });
      return;
    }
    if (choice === "close") {
      await this.link.request({ type: "diag.answer", diagnosticsId, outcome: "closed" });
      return;
    }
    await this.link.request({ type: "diag.answer", diagnosticsId, outcome: "sent" });
    const dir = await mkdtemp(join(this.o.stateDir, "diag-"));
    const file = join(dir, `diagnostics-${diagnosticsId}.json`);
    await writeFile(file, JSON.stringify(report, null, 1), { mode: 0o600 });
    try {
      await this.files.send(
        [
          {
            local: file,
            path: [`diagnostics-${diagnosticsId}.json`],
            size: Buffer.byteLength(JSON.stringify(report, null, 1)),
            mime: "application/json",
          },
        ],
        "diagnostics",
        diagnosticsId,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private async restart(by: string, safeMode: boolean): Promise<void> {
    const accepted = await this.o.prompt.restart(by, safeMode);
    await this.link.request({ type: "restart.answer", accepted });
    if (accepted) await this.restartNow(safeMode);
  }

  /** Arms the OS hook, tells the server, then restarts the computer. */
  private async restartNow(safeMode: boolean): Promise<void> {
    // After a safe-mode restart the normal desktop target is restored once the host is back.
    const restoreTarget = safeMode ? "graphical.target" : undefined;
    const windowMs = this.link.welcome?.limits.rebootReconnectWindowMs ?? 600_000;
    await this.o.hook.arm({
      server: this.o.server,
      sessionId: this.o.sessionId,
      key: this.o.key,
      deadline: Date.now() + windowMs,
      ...(restoreTarget ? { restoreTarget } : {}),
    });
    await this.link.request({ type: "restart.begin" });
    this.o.prompt.notice("Restarting; support reconnects after you log in again.");
    await this.vault.erase();
    const r = await this.o.hook.reboot(safeMode);
    if (r.code !== 0) this.log(`restart failed: exit ${r.code}`);
  }

  private async elevate(by: string): Promise<void> {
    const platform = this.o.platform ?? thisPlatform();
    const answer = await this.o.prompt.elevate(by, platform.uid !== 0);
    if (!answer.allow) {
      await this.link.request({ type: "elevate.state", elevated: false, detail: "refused by the customer" });
      return;
    }
    if (answer.admin) await this.vault.store(answer.admin.user, answer.admin.password);
    const plan = elevationPlan(platform, this.o.sessionId, this.o.hostCommand, this.vault.stored);
    if (!plan) {
      await this.link.request({
        type: "elevate.state",
        elevated: false,
        detail: "no sudo, pkexec or systemd-run here",
      });
      return;
    }
    const r = await elevate(plan, this.vault.stored ? this.vault : null);
    this.elevated = r.ok;
    await this.link.request({
      type: "elevate.state",
      elevated: r.ok,
      ...(r.ok ? { via: plan.via } : {}),
      detail: r.detail,
    });
  }
}
