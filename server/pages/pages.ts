// The pages the server serves: landing, one customer page per portal (its script bundled with esbuild at start),
// the password-reset page and the management center page.
import { readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { PortalConfig } from "../../actors/index.ts";
import { buildBundle } from "../../viewer/console/bundler.ts";

const here = dirname(fileURLToPath(import.meta.url));

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

const css = readFileSync(join(here, "style.css"), "utf8");

function page(title: string, lang: string, body: string, script?: string): string {
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><link rel="stylesheet" href="/assets/style.css"></head>
<body>${body}${script ? `<script type="module" src="/assets/${script}"></script>` : ""}</body></html>`;
}

export class Pages {
  /** Kept as bytes, outside V8's heap: the bundles are megabytes that the garbage collector need never walk or grow for. */
  private readonly assets = new Map<string, { type: string; body: Buffer }>();

  constructor(private readonly portals: () => PortalConfig[]) {}

  /** Bundles the browser scripts once, in memory (no build step before `npm start`). */
  async build(): Promise<void> {
    this.register("style.css", "text/css; charset=utf-8", css);
    for (const name of ["customer", "reset", "admin"]) {
      const out = await buildBundle({
        entryPoints: [join(here, `${name}.client.ts`)],
        bundle: true,
        write: false,
        format: "esm",
        target: "es2022",
        minify: false,
        logLevel: "silent",
      });
      this.register(`${name}.js`, "text/javascript; charset=utf-8", out.outputFiles[0]!.contents);
    }
  }

  private html(res: ServerResponse, status: number, html: string): void {
    res.writeHead(status, {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy":
        "default-src 'self'; connect-src 'self' ws: wss:; style-src 'self'; img-src 'self' data:",
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
    });
    res.end(html);
  }

  /** Adds an asset built elsewhere (the agent console's bundle). */
  register(file: string, type: string, body: string | Uint8Array): void {
    this.assets.set(file, {
      type,
      body: typeof body === "string" ? Buffer.from(body, "utf8") : Buffer.from(body),
    });
  }

  /** The agent console: its page, under the same security headers as every other page. */
  console(res: ServerResponse, html: string): void {
    this.html(res, 200, html);
  }

  asset(res: ServerResponse, file: string): void {
    const a = this.assets.get(file);
    if (!a) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": a.type, "cache-control": "no-cache" });
    res.end(a.body);
  }

  landing(res: ServerResponse): void {
    const rows = this.portals()
      .map(
        (p) =>
          `<li><a href="/h/${encodeURIComponent(p.id)}">${escapeHtml(p.name)}</a> <small>${p.type} · ${p.mode}${p.tier ? " · tier" : ""}</small></li>`,
      )
      .join("");
    this.html(
      res,
      200,
      page(
        "Tandem",
        "en",
        `<main><h1>Tandem</h1><p>Customers: pick a portal to ask for help.</p><ul>${rows || "<li>No portal yet.</li>"}</ul>
        <p>Agents connect with the console over <code>/ws</code> after <code>POST /api/login</code>. Administrators: <a href="/admin">management center</a>.</p></main>`,
      ),
    );
  }

  customer(res: ServerResponse, portalId: string): void {
    const portal = this.portals().find((p) => p.id === portalId);
    if (!portal) {
      this.html(res, 404, page("Not found", "en", "<main><h1>No such portal</h1></main>"));
      return;
    }
    const data = escapeHtml(
      JSON.stringify({
        id: portal.id,
        name: portal.name,
        type: portal.type,
        mode: portal.mode,
        language: portal.language,
      }),
    );
    this.html(
      res,
      200,
      page(
        portal.name,
        portal.language,
        `<main id="app" data-portal="${data}"><h1>${escapeHtml(portal.name)}</h1><noscript>This page needs JavaScript.</noscript></main>`,
        "customer.js",
      ),
    );
  }

  reset(res: ServerResponse): void {
    this.html(
      res,
      200,
      page(
        "Tandem — new password",
        "en",
        `<main><h1>Set a new password</h1><form id="reset"><label>New password <input type="password" name="next" required></label>
        <label>Repeat <input type="password" name="repeat" required></label><button>Save</button></form><p id="result" role="status"></p></main>`,
        "reset.js",
      ),
    );
  }

  admin(res: ServerResponse): void {
    this.html(
      res,
      200,
      page(
        "Tandem — management center",
        "en",
        `<main><h1>Management center</h1>
        <form id="login"><label>Login ID <input name="email" type="email" required></label>
        <label>Password <input name="password" type="password" required></label><button>Sign in</button></form>
        <section id="center" hidden>
          <nav><button data-view="portals">Portals</button><button data-view="agents">Agents</button><button data-view="settings">Settings</button>
          <button data-view="history">History</button><button data-view="diagnostics">Diagnostics</button></nav>
          <pre id="view"></pre>
          <p>Changes: <code>PUT</code>/<code>POST</code> on <code>/api/admin/…</code> (see docs/management.md).</p>
        </section><p id="result" role="status"></p></main>`,
        "admin.js",
      ),
    );
  }
}
