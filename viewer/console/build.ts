// Bundles the console with esbuild, in memory: one script, one stylesheet and the page that loads them.
// The server serves these (see README: `GET /console`, `/assets/console.js`, `/assets/console.css`).
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { decodeKernelsPlugin } from "../decoders/wasm/esbuildPlugin.ts";
import { buildBundle } from "./bundler.ts";

const here = dirname(fileURLToPath(import.meta.url));

export interface ConsoleBundle {
  html: string;
  js: string;
  css: string;
  /** The shared screen's decode worker (viewer/screen/decodeWorker.ts), served as /assets/screenWorker.js. */
  worker: string;
}

/** The console page; `assetBase` is where console.js and console.css are served from. */
export function consoleHtml(assetBase = "/assets"): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tandem — agent console</title><link rel="stylesheet" href="${assetBase}/console.css"></head>
<body><div id="app"></div><script type="module" src="${assetBase}/console.js"></script></body></html>`;
}

export async function buildConsole(
  options: { minify?: boolean; assetBase?: string } = {},
): Promise<ConsoleBundle> {
  const bundle = async (entry: string) =>
    (
      await buildBundle({
        entryPoints: [join(here, entry)],
        bundle: true,
        write: false,
        format: "esm",
        target: "es2022",
        minify: options.minify ?? false,
        legalComments: "none",
        logLevel: "silent",
        plugins: [decodeKernelsPlugin()],
      })
    ).outputFiles[0]!.text;
  const [js, worker, css] = await Promise.all([
    bundle("main.ts"),
    bundle("../screen/decodeWorker.ts"),
    readFile(join(here, "style.css"), "utf8"),
  ]);
  return { html: consoleHtml(options.assetBase), js, css, worker };
}
