// `npm start` runs the server from one bundled file with plain `node`, not through tsx. Under tsx every module's
// source stays in memory as tsx compiled it, inline source map included, and tsx's loader runs in each worker
// thread too: an idle server held ≈ 50 MiB more that way (issue 6's memory target). The bundle is rebuilt on every
// start (`prestart`, ≈ 0.2 s), so it is never stale; packages stay external and load from node_modules as usual.
import { randomUUID } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Plugin } from "esbuild";
import { buildBundle } from "../viewer/console/bundler.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Where `npm start` finds the bundle (inside node_modules, so the bundle's imports resolve from there). */
export const serverBundleFile = join(root, "node_modules/.cache/tandem-server/main.mjs");

/**
 * Each module keeps its own `import.meta.url`: the server finds its stylesheet, its browser entry points and its
 * native drivers relative to the source files, wherever the bundle lies.
 */
const sourceLocation: Plugin = {
  name: "source-import-meta-url",
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async ({ path }) => ({
      contents: (await readFile(path, "utf8")).replaceAll(
        "import.meta.url",
        JSON.stringify(pathToFileURL(path).href),
      ),
      loader: "ts",
    }));
  },
};

/** Bundles `server/main.ts` into `outFile`. */
export const bundleServer = (outFile = serverBundleFile) =>
  bundleForNode(join(root, "server/main.ts"), outFile);

/**
 * Bundles one of our modules as the server is bundled (tests use it for a module alone); each file is written whole,
 * then renamed: a process starting meanwhile reads the old one whole.
 */
export async function bundleForNode(entry: string, outFile: string): Promise<string> {
  const { outputFiles } = await buildBundle({
    entryPoints: [entry],
    outfile: outFile,
    write: false,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    plugins: [sourceLocation],
    // Stack traces point into the bundle; `node --enable-source-maps` maps them back to the TypeScript.
    sourcemap: "linked",
    logLevel: "warning",
  });
  await mkdir(dirname(outFile), { recursive: true });
  for (const file of outputFiles) {
    const partial = `${file.path}.${randomUUID()}.partial`;
    await writeFile(partial, file.contents);
    await rename(partial, file.path);
  }
  return outFile;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await bundleServer();
