// `tsx host/tools/main.ts --server ws://…/ws --session <id> --key <key>`: the host's session tools on their own (the
// full `tandem-host` starts them next to screen sharing). `--resume` rejoins after a restart from the saved state;
// `--prompt json` asks the customer through JSON lines on stdin/stdout (a GUI wrapper, or tests).
import { spawn } from "node:child_process";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { JsonLinesPrompt, ScriptedPrompt, TerminalPrompt } from "./customerPrompt.ts";
import { RebootHook, type Runner, xdgDirs } from "./rebootHook.ts";
import { type ClipboardPreference, ToolHost } from "./toolHost.ts";
import { X11Clipboard } from "./x11Clipboard.ts";

const { values } = parseArgs({
  options: {
    server: { type: "string" },
    session: { type: "string" },
    key: { type: "string" },
    resume: { type: "boolean", default: false },
    prompt: { type: "string", default: process.stdin.isTTY ? "terminal" : "json" },
    downloads: { type: "string" },
    clipboard: { type: "string", default: "ask" },
    "reboot-command": { type: "string" },
    elevated: { type: "boolean", default: false },
  },
});

const dirs = xdgDirs();
const run: Runner = (argv) =>
  new Promise((resolve) => {
    // Tests (and dry runs) replace the restart itself; every other command runs as given.
    const override = values["reboot-command"];
    const actual = override && argv.join(" ") === "systemctl reboot" ? override.split(" ") : argv;
    const child = spawn(actual[0]!, actual.slice(1), { stdio: "ignore" });
    child.on("error", () => resolve({ code: 127, output: "" }));
    child.on("exit", (code) => resolve({ code: code ?? 1, output: "" }));
  });
const relaunch = [process.execPath, ...process.execArgv, process.argv[1]!, "--prompt", values.prompt!];
const hook = new RebootHook({ ...dirs, relaunch, run });

let { server, session, key } = values;
if (values.resume) {
  const state = await hook.pending();
  if (!state) {
    console.error("Nothing to resume (or the 10 minutes are over).");
    await hook.disarm();
    process.exit(3);
  }
  ({
    server,
    sessionId: session,
    key,
  } = { server: state.server, sessionId: state.sessionId, key: state.key });
}
if (!server || !session || !key) {
  console.error(
    "tsx host/tools/main.ts --server <ws url> --session <id> --key <key> [--resume] [--prompt json]",
  );
  process.exit(2);
}

// "none" refuses every question: default deny, for a host that should only ever send what its customer picks.
const prompt =
  values.prompt === "json"
    ? new JsonLinesPrompt()
    : values.prompt === "terminal"
      ? new TerminalPrompt(values.downloads ?? join(process.env.HOME ?? ".", "Downloads", "Tandem"))
      : new ScriptedPrompt();
let clipboard: X11Clipboard | null = null;
try {
  clipboard = new X11Clipboard();
} catch {
  clipboard = null;
}
const host = new ToolHost({
  server,
  sessionId: session,
  key,
  prompt,
  clipboard,
  clipboardPreference: (["ask", "auto", "decline"].includes(values.clipboard!)
    ? values.clipboard
    : "ask") as ClipboardPreference,
  stateDir: dirs.stateDir,
  hook,
  resume: values.resume,
  // The elevated copy joins the same session with the same key and takes over from this one (R-T4).
  hostCommand: [...relaunch, "--server", server, "--session", session, "--key", key],
  log: (line) => console.error(line),
});
if (prompt instanceof JsonLinesPrompt) prompt.onRevoke = (tool) => void host.revoke(tool);
host.link.on("ended", (why: string) => {
  prompt.notice(`session over (${why})`);
  process.exit(0);
});
try {
  await host.start();
} catch (e) {
  prompt.notice(`could not join: ${(e as Error).message}`);
  if (values.resume) await hook.disarm();
  process.exit(4);
}
if (values.resume) await hook.disarm((await hook.pending())?.restoreTarget);
if (values.elevated && process.getuid?.() === 0) await host.announceElevated();
prompt.notice(`connected to session ${session}${values.resume ? " (back after restart)" : ""}`);
const stop = () => void host.stop().then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
