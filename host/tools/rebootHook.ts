// R-T5's OS hook: before the restart the host leaves a resume file (0600) and asks the desktop session to start it
// again after login (an XDG autostart entry and a systemd user unit); after the restart `--resume` reads the file,
// rejoins the same session with the same key, and removes every trace. The reboot itself is one injected command.
import { chmod, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

export interface ResumeState {
  /** The server's control URL (`ws://…/ws`), session and key, as on the host's command line. */
  server: string;
  sessionId: string;
  key: string;
  /** After this (epoch ms) the session has expired: the host does not try. */
  deadline: number;
  /** Restore the default boot target after a safe-mode restart. */
  restoreTarget?: string;
}

export type Runner = (argv: string[]) => Promise<{ code: number; output: string }>;

export interface RebootHookOptions {
  /** Where the resume file lives ($XDG_STATE_HOME/tandem). */
  stateDir: string;
  /** $XDG_CONFIG_HOME/autostart */
  autostartDir: string;
  /** $XDG_CONFIG_HOME/systemd/user */
  systemdUserDir: string;
  /** How to start the host again: the command line run after login. */
  relaunch: string[];
  run: Runner;
  now?: () => number;
}

export const unitName = "tandem-host-resume.service";
export const desktopName = "tandem-host-resume.desktop";

/** Default locations from the XDG variables of `env`. */
export function xdgDirs(env: NodeJS.ProcessEnv = process.env) {
  const home = env.HOME ?? "/root";
  const config = env.XDG_CONFIG_HOME ?? join(home, ".config");
  const state = env.XDG_STATE_HOME ?? join(home, ".local", "state");
  return {
    stateDir: join(state, "tandem"),
    autostartDir: join(config, "autostart"),
    systemdUserDir: join(config, "systemd", "user"),
  };
}

const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`);

export class RebootHook {
  constructor(private readonly o: RebootHookOptions) {}

  get resumeFile(): string {
    return join(this.o.stateDir, "resume.json");
  }

  /** Everything the next boot needs, written before the restart starts. */
  async arm(state: ResumeState): Promise<void> {
    await mkdir(this.o.stateDir, { recursive: true, mode: 0o700 });
    await writeFile(this.resumeFile, JSON.stringify(state), { mode: 0o600 });
    await chmod(this.resumeFile, 0o600);
    const exec = [...this.o.relaunch, "--resume"].map(quote).join(" ");
    await mkdir(this.o.autostartDir, { recursive: true });
    await writeFile(
      join(this.o.autostartDir, desktopName),
      `[Desktop Entry]\nType=Application\nName=Tandem support (reconnecting)\nExec=${exec}\nX-GNOME-Autostart-enabled=true\nNoDisplay=true\n`,
    );
    await mkdir(this.o.systemdUserDir, { recursive: true });
    await writeFile(
      join(this.o.systemdUserDir, unitName),
      `[Unit]\nDescription=Tandem support: reconnect after restart\nAfter=graphical-session.target\n\n[Service]\nType=simple\nExecStart=${exec}\n\n[Install]\nWantedBy=default.target\n`,
    );
    // Without a user manager (containers, minimal systems) the autostart entry alone brings the host back.
    await this.o.run(["systemctl", "--user", "enable", unitName]).catch(() => ({ code: 1, output: "" }));
  }

  /** Restarts the computer (normal, or into the safe target when elevated). */
  async reboot(safeMode = false): Promise<{ code: number; output: string }> {
    if (safeMode) {
      const r = await this.o.run(["systemctl", "set-default", "multi-user.target"]);
      if (r.code !== 0) return r;
    }
    return this.o.run(["systemctl", "reboot"]);
  }

  /** The state left by `arm`, if it is still within its window. */
  async pending(): Promise<ResumeState | null> {
    try {
      const s = JSON.parse(await readFile(this.resumeFile, "utf8")) as ResumeState;
      return s.deadline > (this.o.now ?? Date.now)() ? s : null;
    } catch {
      return null;
    }
  }

  /** Back (or given up): no trace left, and the default target restored after a safe-mode restart. */
  async disarm(restoreTarget?: string): Promise<void> {
    await rm(this.resumeFile, { force: true });
    await rm(join(this.o.autostartDir, desktopName), { force: true });
    await this.o.run(["systemctl", "--user", "disable", unitName]).catch(() => ({ code: 1, output: "" }));
    await rm(join(this.o.systemdUserDir, unitName), { force: true });
    if (restoreTarget) await this.o.run(["systemctl", "set-default", restoreTarget]);
  }
}
