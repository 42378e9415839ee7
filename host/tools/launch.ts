// Starting the host's session tools from a command line: shared by `tandem-host` (tools next to screen sharing) and
// `host/tools/main.ts` (the tools on their own). It picks how the customer is asked, arms the restart hook with the
// command that started this process, finds what to rejoin after a restart, and joins.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { type CustomerPrompt, JsonLinesPrompt, ScriptedPrompt, TerminalPrompt } from "./customerPrompt.ts";
import { RebootHook, type ResumeState, type Runner, xdgDirs } from "./rebootHook.ts";
import { type ClipboardPreference, ToolHost } from "./toolHost.ts";
import { X11Clipboard } from "./x11Clipboard.ts";

/** The tools' part of a host command line (parseArgs options). */
export const toolOptions = {
  server: { type: "string" },
  session: { type: "string" },
  key: { type: "string" },
  resume: { type: "boolean", default: false },
  prompt: { type: "string", default: process.stdin.isTTY ? "terminal" : "json" },
  downloads: { type: "string" },
  clipboard: { type: "string", default: "ask" },
  "reboot-command": { type: "string" },
  elevated: { type: "boolean", default: false },
} as const;

export interface ToolArgs {
  server?: string | undefined;
  session?: string | undefined;
  key?: string | undefined;
  resume: boolean;
  prompt: string;
  downloads?: string | undefined;
  clipboard: string;
  "reboot-command"?: string | undefined;
  elevated: boolean;
}

/** The session to join: what the resume file keeps of the command line. */
export type JoinTarget = Pick<ResumeState, "server" | "sessionId" | "key">;

/** "json": one JSON line per question (a GUI wrapper, tests); "terminal": the host's own window; else refuse all. */
export function customerPromptFor(args: ToolArgs): CustomerPrompt {
  if (args.prompt === "json") return new JsonLinesPrompt();
  if (args.prompt === "terminal")
    return new TerminalPrompt(args.downloads ?? join(process.env.HOME ?? ".", "Downloads", "Tandem"));
  return new ScriptedPrompt();
}

/**
 * The restart hook (R-T5). `relaunch` is how this very process is started again after login (the hook adds
 * `--resume`); `--reboot-command` replaces only the reboot itself, for tests and dry runs.
 */
export function rebootHookFor(args: ToolArgs, relaunch: string[]): RebootHook {
  const run: Runner = (argv) =>
    new Promise((resolve) => {
      const override = args["reboot-command"];
      const actual = override && argv.join(" ") === "systemctl reboot" ? override.split(" ") : argv;
      const child = spawn(actual[0]!, actual.slice(1), { stdio: "ignore" });
      child.on("error", () => resolve({ code: 127, output: "" }));
      child.on("exit", (code) => resolve({ code: code ?? 1, output: "" }));
    });
  return new RebootHook({ ...xdgDirs(), relaunch, run });
}

/** The tools' choices a relaunched host keeps (after a restart, or elevated). */
export function keptToolArgs(args: ToolArgs): string[] {
  return [
    "--prompt",
    args.prompt,
    "--clipboard",
    args.clipboard,
    ...(args.downloads ? ["--downloads", args.downloads] : []),
    ...(args["reboot-command"] ? ["--reboot-command", args["reboot-command"]] : []),
  ];
}

/** This process's own command line minus the session's: what the hook and the elevated copy start again. */
export function relaunchOf(kept: string[]): string[] {
  return [process.execPath, ...process.execArgv, process.argv[1]!, ...kept];
}

/** The session to join: from the command line, or after a restart from the state the hook left (null: none). */
export async function joinTarget(args: ToolArgs, hook: RebootHook): Promise<JoinTarget | null> {
  if (!args.resume)
    return args.server && args.session && args.key
      ? { server: args.server, sessionId: args.session, key: args.key }
      : null;
  const state = await hook.pending();
  if (!state) {
    // Too late (or never armed): leave no autostart entry behind.
    await hook.disarm();
    return null;
  }
  return { server: state.server, sessionId: state.sessionId, key: state.key };
}

/**
 * Joins the session's tools. Resolves the started host, or throws with the reason it could not join (after a restart
 * the hook is then disarmed: nothing would bring it back anyway).
 */
export async function startToolHost(
  target: JoinTarget,
  args: ToolArgs,
  o: {
    prompt: CustomerPrompt;
    hook: RebootHook;
    relaunch: string[];
    log: (line: string) => void;
    /** The session is over (closed, expired, cancelled): the host has nothing left to do. */
    onEnded: (why: string) => void;
  },
): Promise<ToolHost> {
  let clipboard: X11Clipboard | null = null;
  try {
    clipboard = new X11Clipboard();
  } catch {
    clipboard = null;
  }
  const preference = (["ask", "auto", "decline"] as const).find((p) => p === args.clipboard) ?? "ask";
  const host = new ToolHost({
    server: target.server,
    sessionId: target.sessionId,
    key: target.key,
    prompt: o.prompt,
    clipboard,
    clipboardPreference: preference satisfies ClipboardPreference,
    stateDir: xdgDirs().stateDir,
    hook: o.hook,
    resume: args.resume,
    // The elevated copy joins the same session with the same key and takes over from this one (R-T4).
    hostCommand: [
      ...o.relaunch,
      "--server",
      target.server,
      "--session",
      target.sessionId,
      "--key",
      target.key,
    ],
    log: o.log,
  });
  if (o.prompt instanceof JsonLinesPrompt) o.prompt.onRevoke = (tool) => void host.revoke(tool);
  host.link.on("ended", o.onEnded);
  try {
    await host.start();
  } catch (e) {
    if (args.resume) await o.hook.disarm();
    throw e;
  }
  if (args.resume) await o.hook.disarm((await o.hook.pending())?.restoreTarget);
  if (args.elevated && process.getuid?.() === 0) await host.announceElevated();
  return host;
}
