// The server under test as a child process, run as `npm start` runs it (the bundle of `server/main.ts` under plain
// node, with npm start's node flags): an ephemeral port on 127.0.0.1, a temporary DATA_DIR, an administrator made
// with the admin CLI, and a clean SIGTERM stop.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createWriteStream } from "node:fs";
import { fileURLToPath } from "node:url";
import { bundleServer } from "../../server/bundle.ts";
import { startFlags } from "../startFlags.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));

export interface ServerChild {
  url: string;
  wsUrl: string;
  pid: number;
  /** The server's own log lines (kept for the report when something fails). */
  log: string[];
  stop(): Promise<number | null>;
}

export const adminEmail = "load-admin@bench.tandem.test";
export const adminPassword = "Load-admin-1!";

/** Makes the administrator with `npm run admin -- create` (the CLI works on the data folder, no server needed). */
export function createAdmin(dataDir: string): void {
  const r = spawnSync(process.execPath, ["--import", "tsx", "server/admin/cli.ts", "create", adminEmail], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir, TANDEM_ADMIN_PASSWORD: adminPassword },
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`admin create failed: ${r.stderr || r.stdout}`);
}

export async function startServerChild(
  dataDir: string,
  env: Record<string, string> = {},
  /** Pin the server to this CPU (`taskset -c`, which execs node: the pid stays the server's). */
  cpu: number | null = null,
): Promise<ServerChild> {
  // The server runs with the node flags of `npm start`, plus LOAD_SERVER_FLAGS (e.g. `--cpu-prof --cpu-prof-dir=out/prof`).
  const flags = [...startFlags(), ...(process.env.LOAD_SERVER_FLAGS ?? "").split(" ").filter(Boolean)];
  const argv = [process.execPath, ...flags, await bundleServer()];
  const [command, ...rest] = cpu === null ? argv : ["taskset", "-c", String(cpu), ...argv];
  const child: ChildProcess = spawn(command!, rest, {
    cwd: root,
    env: { ...process.env, ...env, PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, TANDEM_DEMO: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const log: string[] = [];
  // LOAD_SERVER_LOG=<file>: all the server's output, e.g. with LOAD_SERVER_FLAGS=--trace-gc (the log keeps 2,000 lines).
  const logFile = process.env.LOAD_SERVER_LOG ? createWriteStream(process.env.LOAD_SERVER_LOG) : null;
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = "";
    const onData = (chunk: Buffer) => {
      logFile?.write(chunk);
      buffered += chunk.toString("utf8");
      let nl = buffered.indexOf("\n");
      while (nl >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (log.length < 2_000) log.push(line);
        const m = /Tandem listening on (http:\/\/\S+)/.exec(line);
        if (m) resolve(m[1]!.replace("localhost", "127.0.0.1"));
        nl = buffered.indexOf("\n");
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) =>
      reject(new Error(`server exited (${code}) before listening:\n${log.join("\n")}`)),
    );
    setTimeout(
      () => reject(new Error(`server not listening after 60 s:\n${log.join("\n")}`)),
      60_000,
    ).unref();
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => {
      logFile?.end();
      resolve(code);
    }),
  );
  return {
    url,
    wsUrl: `${url.replace(/^http/, "ws")}/ws`,
    pid: child.pid!,
    log,
    stop: async () => {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
