// Compiles the decode kernels (assembly/, AssemblyScript) to WebAssembly from source — when the console or a test
// harness bundles the decode worker, and in tests and benches — and keeps the result by content hash in
// node_modules/.cache, so only a changed source or compiler compiles again (~1.5 s). Node only.
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const SOURCES = ["lz4.ts", "pixels.ts"] as const;
/** SIMD and bulk memory: Chromium ≥ 91 and Node ≥ 16 have both. */
const OPTIONS = {
  optimizeLevel: 3,
  shrinkLevel: 0,
  runtime: "stub",
  noAssert: true,
  enable: ["bulk-memory", "simd"],
} as const;

let built: Promise<Uint8Array<ArrayBuffer>> | undefined;

/** The kernels' .wasm bytes, compiled once per process (and per source on disk). */
export const buildDecodeKernels = (): Promise<Uint8Array<ArrayBuffer>> => {
  built ??= compile();
  return built;
};

const compile = async (): Promise<Uint8Array<ArrayBuffer>> => {
  const sources: Record<string, string> = {};
  for (const name of SOURCES) sources[name] = await readFile(join(here, "assembly", name), "utf8");
  const require = createRequire(import.meta.url);
  const ascVersion = (require("assemblyscript/package.json") as { version: string }).version;
  const key = createHash("sha256")
    .update(JSON.stringify({ sources, ascVersion, OPTIONS }))
    .digest("hex")
    .slice(0, 16);
  const cacheDir = join(here, "../../../node_modules/.cache/tandem-decode-kernels");
  const cached = join(cacheDir, `${key}.wasm`);
  try {
    return new Uint8Array(await readFile(cached));
  } catch {
    // not built yet
  }
  const { default: asc } = await import("assemblyscript/asc");
  const result = await asc.compileString(sources, { ...OPTIONS, enable: [...OPTIONS.enable] });
  if (result.error || !result.binary) {
    throw new Error(
      `decode kernels failed to compile: ${result.error?.message}\n${result.stderr.toString()}`,
    );
  }
  await mkdir(cacheDir, { recursive: true });
  // Several test workers may compile at once: each writes its own file, and the rename is atomic.
  const temp = `${cached}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  await writeFile(temp, result.binary);
  await rename(temp, cached);
  return new Uint8Array(result.binary);
};
