// Compiles AssemblyScript kernels to WebAssembly from source — the viewer's decode kernels and the host's capture
// kernels — and keeps the result by content hash in node_modules/.cache, so only a changed source or compiler
// compiles again (~1.5 s; then a file read). Node only; the `assemblyscript` dev dependency does the compiling.
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** SIMD and bulk memory: Chromium ≥ 91 and Node ≥ 16 have both. */
const OPTIONS = {
  optimizeLevel: 3,
  shrinkLevel: 0,
  runtime: "stub",
  noAssert: true,
  enable: ["bulk-memory", "simd"],
} as const;

const cacheRoot = join(fileURLToPath(new URL(".", import.meta.url)), "../../node_modules/.cache");

/**
 * The .wasm bytes of the AssemblyScript `sources` (file names in `dir`), compiled as one program. `name` names the
 * cache folder and the error.
 */
export const compileAssembly = async (
  name: string,
  dir: string,
  sources: readonly string[],
): Promise<Uint8Array<ArrayBuffer>> => {
  const texts: Record<string, string> = {};
  for (const file of sources) texts[file] = await readFile(join(dir, file), "utf8");
  const require = createRequire(import.meta.url);
  const ascVersion = (require("assemblyscript/package.json") as { version: string }).version;
  const key = createHash("sha256")
    .update(JSON.stringify({ texts, ascVersion, OPTIONS }))
    .digest("hex")
    .slice(0, 16);
  const cacheDir = join(cacheRoot, `tandem-${name}`);
  const cached = join(cacheDir, `${key}.wasm`);
  try {
    return new Uint8Array(await readFile(cached));
  } catch {
    // not built yet
  }
  const { default: asc } = await import("assemblyscript/asc");
  const result = await asc.compileString(texts, { ...OPTIONS, enable: [...OPTIONS.enable] });
  if (result.error || !result.binary) {
    throw new Error(`${name} failed to compile: ${result.error?.message}\n${result.stderr.toString()}`);
  }
  await mkdir(cacheDir, { recursive: true });
  // Several test workers may compile at once: each writes its own file, and the rename is atomic.
  const temp = `${cached}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  await writeFile(temp, result.binary);
  await rename(temp, cached);
  return new Uint8Array(result.binary);
};
