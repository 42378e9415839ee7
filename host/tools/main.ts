// `tsx host/tools/main.ts --server ws://…/ws --session <id> --key <key>`: the host's session tools on their own (the
// full `tandem-host` starts them next to screen sharing). `--resume` rejoins after a restart from the saved state;
// `--prompt json` asks the customer through JSON lines on stdin/stdout (a GUI wrapper, or tests).
import { parseArgs } from "node:util";
import {
  customerPromptFor,
  joinTarget,
  keptToolArgs,
  rebootHookFor,
  relaunchOf,
  startToolHost,
  toolOptions,
} from "./launch.ts";

const { values: args } = parseArgs({ options: toolOptions });
const relaunch = relaunchOf(keptToolArgs(args));
const hook = rebootHookFor(args, relaunch);
const target = await joinTarget(args, hook);
if (!target) {
  console.error(
    args.resume
      ? "Nothing to resume (or the 10 minutes are over)."
      : "tsx host/tools/main.ts --server <ws url> --session <id> --key <key> [--resume] [--prompt json]",
  );
  process.exit(args.resume ? 3 : 2);
}
const prompt = customerPromptFor(args);
const host = await startToolHost(target, args, {
  prompt,
  hook,
  relaunch,
  log: (line) => console.error(line),
  onEnded: (why) => {
    prompt.notice(`session over (${why})`);
    process.exit(0);
  },
}).catch((e: Error) => {
  prompt.notice(`could not join: ${e.message}`);
  process.exit(4);
});
prompt.notice(`connected to session ${target.sessionId}${args.resume ? " (back after restart)" : ""}`);
const stop = () => void host.stop().then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
