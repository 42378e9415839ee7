// Test support for the host's tools as a real process (host/tools/main.ts with `--prompt json`): the customer's
// questions and notices arrive as JSON lines on stdout, the answers go back on stdin; a temporary HOME holds the
// autostart entry and the resume state a restart leaves behind. Shared by the host's and the console's R-T5 tests.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { desktopName } from "./rebootHook.ts";
import { defaultReconnectDelaysMs, ToolLink } from "./toolLink.ts";

const mainPath = fileURLToPath(new URL("./main.ts", import.meta.url));

// biome-ignore lint/suspicious/noExplicitAny: JSON lines from the host
export type Line = any;

export type HostProcess = ReturnType<typeof hostProcess>;

/** Cleanups the caller runs after each test (kill the processes, remove the temporary HOME). */
export type Cleanups = Array<() => Promise<void> | void>;

/** A host process speaking JSON lines: questions and notices on stdout, answers on stdin. */
export function hostProcess(command: string[], env: NodeJS.ProcessEnv, cleanups: Cleanups) {
  const child: ChildProcess = spawn(command[0]!, command.slice(1), { env, stdio: ["pipe", "pipe", "pipe"] });
  const lines: Line[] = [];
  let waiters: Array<{ pred: (l: Line) => boolean; resolve: (l: Line) => void }> = [];
  let stderr = "";
  child.stderr!.on("data", (b) => {
    stderr += String(b);
  });
  createInterface({ input: child.stdout! }).on("line", (text) => {
    let l: Line;
    try {
      l = JSON.parse(text);
    } catch {
      return;
    }
    lines.push(l);
    const w = waiters.find((x) => x.pred(l));
    if (w) {
      waiters = waiters.filter((x) => x !== w);
      w.resolve(l);
    }
  });
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  cleanups.push(() => {
    child.kill("SIGKILL");
  });
  return {
    child,
    exited,
    next(pred: (l: Line) => boolean, timeoutMs = 15_000): Promise<Line> {
      const found = lines.find(pred);
      if (found) {
        lines.splice(lines.indexOf(found), 1);
        return Promise.resolve(found);
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`host said: ${JSON.stringify(lines)}\n${stderr}`)),
          timeoutMs,
        );
        waiters.push({
          pred,
          resolve: (l) => {
            clearTimeout(timer);
            lines.splice(lines.indexOf(l), 1);
            resolve(l);
          },
        });
      });
    },
    answer(id: number, answer: unknown) {
      child.stdin!.write(`${JSON.stringify({ id, answer })}\n`);
    },
    /** The customer withdraws a grant on their own machine. */
    revoke(tool: string) {
      child.stdin!.write(`${JSON.stringify({ revoke: tool })}\n`);
    },
  };
}

/** A temporary HOME (no DISPLAY, no XDG overrides) for one host's autostart entry and state. */
export function home(cleanups: Cleanups): { env: NodeJS.ProcessEnv; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), "tandem-home-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const { DISPLAY: _display, XDG_CONFIG_HOME: _c, XDG_STATE_HOME: _s, ...rest } = process.env;
  return { env: { ...rest, HOME: dir }, dir };
}

/** Starts the host's tools for a session and waits until it says it is connected. */
export async function startToolsHost(
  session: { wsUrl: string; sessionId: string; hostKey: string },
  env: NodeJS.ProcessEnv,
  cleanups: Cleanups,
): Promise<HostProcess> {
  const h = hostProcess(
    [
      process.execPath,
      "--import",
      "tsx",
      mainPath,
      "--server",
      session.wsUrl,
      "--session",
      session.sessionId,
      "--key",
      session.hostKey,
      "--prompt",
      "json",
      "--reboot-command",
      "true",
    ],
    env,
    cleanups,
  );
  await h.next((l) => typeof l.notice === "string" && l.notice.startsWith("connected"), 30_000);
  return h;
}

/** The agent's side of the session's tools, stopped with the test's cleanups. */
export async function agentToolLink(
  f: { toolsUrl: string; sessionId: string; agentToken: string },
  cleanups: Cleanups,
): Promise<ToolLink> {
  const link = new ToolLink({
    url: f.toolsUrl,
    sessionId: f.sessionId,
    role: "agent",
    token: f.agentToken,
    reconnectDelaysMs: defaultReconnectDelaysMs,
  });
  await link.start();
  cleanups.push(() => link.stop());
  return link;
}

/** What the autostart entry runs after the customer logs in again. */
export function autostartCommand(dir: string): string {
  const desktop = readFileSync(join(dir, ".config", "autostart", desktopName), "utf8");
  return desktop.match(/^Exec=(.*)$/m)![1]!;
}
