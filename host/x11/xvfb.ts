// Starts a private Xvfb on a free display number for tests and benchmarks, waits until it accepts clients, and stops it.
import { type ChildProcess, spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import type { Readable } from "node:stream";

export interface XvfbOptions {
  /** One "WIDTHxHEIGHTxDEPTH" per X screen; several with `xinerama` make one screen of several monitors. */
  readonly screens?: readonly string[];
  /** Joins the screens into one logical screen (`+xinerama`), as a multi-monitor desktop. */
  readonly xinerama?: boolean;
  /** How long to wait for the server to announce its display number. */
  readonly startTimeoutMs?: number;
}

export interface Xvfb {
  /** Display name such as ":3". */
  readonly display: string;
  stop(): Promise<void>;
}

export const defaultXvfbOptions = {
  screens: ["1920x1080x24"],
  xinerama: false,
  startTimeoutMs: 10_000,
} as const satisfies XvfbOptions;

/** The path of the Xvfb binary on $PATH, or undefined when it is not installed. */
export const findXvfb = (): string | undefined => {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, "Xvfb");
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
};

/**
 * Xvfb picks the first free display itself (`-displayfd`), so parallel test files never race for a number, and
 * writes it to fd 3 once it is ready for clients; `-noreset` keeps it up between short-lived test clients.
 */
export const startXvfb = (options: XvfbOptions = {}): Promise<Xvfb> => {
  const o = { ...defaultXvfbOptions, ...options };
  const binary = findXvfb();
  if (binary === undefined) return Promise.reject(new Error("Xvfb is not installed (apt-get install xvfb)"));
  const args = ["-displayfd", "3", "-nolisten", "tcp", "-noreset"];
  o.screens.forEach((geometry, i) => {
    args.push("-screen", String(i), geometry);
  });
  if (o.xinerama) args.push("+xinerama");
  const child = spawn(binary, args, { stdio: ["ignore", "ignore", "pipe", "pipe"] });
  return waitForDisplay(child, o.startTimeoutMs).then((display) => ({ display, stop: () => stop(child) }));
};

const waitForDisplay = (child: ChildProcess, timeoutMs: number): Promise<string> =>
  new Promise((resolve, reject) => {
    let announced = "";
    let stderr = "";
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`Xvfb did not start: ${why}\n${stderr.slice(-2000)}`));
    };
    const timer = setTimeout(() => fail(`no display after ${timeoutMs} ms`), timeoutMs);
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    (child.stdio[3] as Readable).on("data", (chunk: Buffer) => {
      announced += chunk.toString();
      if (settled || !announced.includes("\n")) return;
      settled = true;
      clearTimeout(timer);
      resolve(`:${announced.trim()}`);
    });
    child.once("exit", (code, signal) => fail(`exited (${code ?? signal})`));
    child.once("error", (err) => fail(err.message));
  });

const stop = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill("SIGKILL"), 2000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
