// The server's in-memory bundles leave no esbuild process behind (bundler.ts).
import { execFileSync } from "node:child_process";
import { build, stop } from "esbuild";
import { describe, expect, it } from "vitest";
import { buildBundle } from "./bundler.ts";

/** esbuild processes this process started (its build service). */
function esbuildChildren(): number {
  const out = execFileSync("ps", ["--ppid", String(process.pid), "-o", "args="], { encoding: "utf8" });
  return out.split("\n").filter((line) => /esbuild --service/.test(line)).length;
}

const source = {
  stdin: { contents: "export const answer: number = 42;", loader: "ts" as const },
  write: false as const,
};

describe.runIf(process.platform === "linux")("bundles built in memory", () => {
  it("leave esbuild's service running when built with esbuild's own build (the control)", async () => {
    const before = esbuildChildren();
    await build(source);
    expect(esbuildChildren()).toBe(before + 1);
    await stop();
  });

  it("stop esbuild's service once the last of several concurrent builds is done, and a later build still works", async () => {
    const before = esbuildChildren();
    const [a, b] = await Promise.all([buildBundle(source), buildBundle(source)]);
    expect(a.outputFiles[0]!.text).toContain("42");
    expect(b.outputFiles[0]!.text).toContain("42");
    await new Promise((r) => setTimeout(r, 100));
    expect(esbuildChildren()).toBe(before);
    const later = await buildBundle(source);
    expect(later.outputFiles[0]!.text).toContain("answer");
    await new Promise((r) => setTimeout(r, 100));
    expect(esbuildChildren()).toBe(before);
  });
});
