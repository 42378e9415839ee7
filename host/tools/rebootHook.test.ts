// R-T5's OS hook at unit level: what is left for the next boot, what runs, and that nothing is left after.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { desktopName, RebootHook, unitName, xdgDirs } from "./rebootHook.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function hook(now = () => 1_000) {
  const home = mkdtempSync(join(tmpdir(), "tandem-hook-"));
  dirs.push(home);
  const ran: string[][] = [];
  const h = new RebootHook({
    ...xdgDirs({ HOME: home }),
    relaunch: ["/usr/bin/node", "/opt/tandem/host.js", "--prompt", "json"],
    run: async (argv) => {
      ran.push(argv);
      return { code: 0, output: "" };
    },
    now,
  });
  return { h, ran, home };
}

describe("R-T5 reboot hook", () => {
  test("arm leaves a private resume file, an autostart entry and a user unit that relaunch with --resume", async () => {
    const { h, ran, home } = hook();
    await h.arm({ server: "ws://s/ws", sessionId: "123456789", key: "k", deadline: 601_000 });
    expect(statSync(h.resumeFile).mode & 0o777).toBe(0o600);
    const desktop = readFileSync(join(home, ".config", "autostart", desktopName), "utf8");
    expect(desktop).toContain("Exec=/usr/bin/node /opt/tandem/host.js --prompt json --resume");
    const unit = readFileSync(join(home, ".config", "systemd", "user", unitName), "utf8");
    expect(unit).toContain("ExecStart=/usr/bin/node /opt/tandem/host.js --prompt json --resume");
    expect(unit).toContain("WantedBy=default.target");
    expect(ran).toEqual([["systemctl", "--user", "enable", unitName]]);
    expect(await h.pending()).toMatchObject({ sessionId: "123456789", key: "k" });
  });

  test("reboot runs systemctl reboot; safe mode sets the multi-user target first", async () => {
    const { h, ran } = hook();
    await h.reboot();
    await h.reboot(true);
    expect(ran).toEqual([
      ["systemctl", "reboot"],
      ["systemctl", "set-default", "multi-user.target"],
      ["systemctl", "reboot"],
    ]);
  });

  test("past the deadline there is nothing to resume; disarm removes every trace and restores the target", async () => {
    let now = 1_000;
    const { h, ran, home } = hook(() => now);
    await h.arm({ server: "ws://s/ws", sessionId: "123456789", key: "k", deadline: 601_000 });
    now = 601_001;
    expect(await h.pending()).toBeNull();
    await h.disarm("graphical.target");
    expect(existsSync(h.resumeFile)).toBe(false);
    expect(existsSync(join(home, ".config", "autostart", desktopName))).toBe(false);
    expect(existsSync(join(home, ".config", "systemd", "user", unitName))).toBe(false);
    expect(ran.slice(1)).toEqual([
      ["systemctl", "--user", "disable", unitName],
      ["systemctl", "set-default", "graphical.target"],
    ]);
  });
});
