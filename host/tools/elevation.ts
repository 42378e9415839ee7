// R-T4 run as service: the host starts an elevated copy of itself through the platform's own mechanism — a transient
// systemd unit, started through sudo (with the customer's or an administrator's typed credentials on stdin) or pkexec
// (polkit asks on the customer's screen) — and runs the elevated-only commands.
import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import type { CredentialVault } from "./credentialVault.ts";

export type ElevationVia = "systemd" | "pkexec" | "sudo" | "already";

export interface ElevationPlan {
  via: ElevationVia;
  /** The command that starts the elevated host (empty when already elevated). */
  argv: string[];
  /** sudo reads a password on stdin (from the vault). */
  needsPassword: boolean;
}

export interface Platform {
  uid: number;
  has(binary: string): boolean;
}

export const thisPlatform = (): Platform => ({
  uid: process.getuid?.() ?? 1000,
  has: (binary) =>
    (process.env.PATH ?? "").split(delimiter).some((dir) => {
      try {
        accessSync(join(dir, binary), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    }),
});

/**
 * The elevated host runs as a transient systemd service (`systemd-run --collect`), so it survives the customer's
 * terminal and is stopped with the unit; sudo is used when credentials were typed (vault), pkexec otherwise.
 */
export function elevationPlan(
  p: Platform,
  sessionId: string,
  host: string[],
  withCredentials: boolean,
): ElevationPlan | null {
  if (p.uid === 0) return { via: "already", argv: [], needsPassword: false };
  const unit = [
    "systemd-run",
    `--unit=tandem-host-${sessionId}`,
    "--collect",
    "--quiet",
    "--",
    ...host,
    "--elevated",
  ];
  const start = p.has("systemd-run") ? unit : [...host, "--elevated"];
  if (withCredentials && p.has("sudo"))
    return {
      via: p.has("systemd-run") ? "systemd" : "sudo",
      argv: ["sudo", "-S", "-p", "", ...start],
      needsPassword: true,
    };
  if (p.has("pkexec"))
    return {
      via: p.has("systemd-run") ? "systemd" : "pkexec",
      argv: ["pkexec", ...start],
      needsPassword: false,
    };
  if (p.has("sudo")) return { via: "sudo", argv: ["sudo", "-n", ...start], needsPassword: false };
  return null;
}

/** The elevated-only commands (R-T4): Ctrl+Alt+Del's Linux equivalent locks every session to the login screen. */
export const elevatedCommands = {
  ctrlAltDel: ["loginctl", "lock-sessions"],
  safeModeRestart: ["systemctl", "set-default", "multi-user.target"],
} as const;

/** Runs `argv`; the password (from the vault) goes to stdin only, never to the command line or the environment. */
export function runWithSecret(argv: string[], password?: Buffer): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ["pipe", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (b) => {
      output += String(b);
    });
    child.stderr.on("data", (b) => {
      output += String(b);
    });
    child.on("error", (e) => resolve({ code: 127, output: e.message }));
    child.on("exit", (code) => resolve({ code: code ?? 1, output }));
    if (password) {
      child.stdin.write(password);
      child.stdin.end("\n");
    } else child.stdin.end();
  });
}

/** Starts the elevated host with the plan; the vault's password, when needed, is piped to sudo and zeroed after. */
export async function elevate(
  plan: ElevationPlan,
  vault: CredentialVault | null,
): Promise<{ ok: boolean; detail: string }> {
  if (plan.via === "already") return { ok: true, detail: "already administrator" };
  const r = plan.needsPassword
    ? await vault!.use((s) => runWithSecret(plan.argv, s.password))
    : await runWithSecret(plan.argv);
  // Output of sudo/pkexec never contains the password (it was on stdin); still, only the exit code is reported.
  return { ok: r.code === 0, detail: r.code === 0 ? "started" : `exit ${r.code}` };
}
