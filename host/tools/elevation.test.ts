// R-T4: how the host is elevated on each kind of Linux machine, and that a password only ever travels on stdin.
import { describe, expect, test } from "vitest";
import { elevationPlan, runWithSecret } from "./elevation.ts";

const platform = (uid: number, ...has: string[]) => ({ uid, has: (b: string) => has.includes(b) });
const host = ["node", "host.js"];

describe("R-T4 run as service", () => {
  test("already root: nothing to do", () => {
    expect(elevationPlan(platform(0), "123456789", host, false)).toMatchObject({ via: "already", argv: [] });
  });

  test("typed credentials: sudo reads them on stdin and starts a transient systemd unit", () => {
    const plan = elevationPlan(platform(1000, "sudo", "systemd-run", "pkexec"), "123456789", host, true)!;
    expect(plan.via).toBe("systemd");
    expect(plan.needsPassword).toBe(true);
    expect(plan.argv).toEqual([
      "sudo",
      "-S",
      "-p",
      "",
      "systemd-run",
      "--unit=tandem-host-123456789",
      "--collect",
      "--quiet",
      "--",
      "node",
      "host.js",
      "--elevated",
    ]);
  });

  test("no credentials: polkit asks on the customer's screen (pkexec); nothing available: no plan", () => {
    expect(elevationPlan(platform(1000, "pkexec"), "1", host, false)).toEqual({
      via: "pkexec",
      argv: ["pkexec", "node", "host.js", "--elevated"],
      needsPassword: false,
    });
    expect(elevationPlan(platform(1000), "1", host, false)).toBeNull();
  });

  test("the password goes to stdin, never onto the command line", async () => {
    const ok = await runWithSecret(["sh", "-c", 'read -r p; [ "$p" = "s3cret" ]'], Buffer.from("s3cret"));
    expect(ok.code).toBe(0);
    const wrong = await runWithSecret(["sh", "-c", 'read -r p; [ "$p" = "s3cret" ]'], Buffer.from("nope"));
    expect(wrong.code).toBe(1);
  });
});
