// Try the console before the server serves it: `npx tsx viewer/console/dev.ts` (with `npm start` running) serves the
// bundle on http://localhost:8081/ and passes /api, /h, /assets and the /ws WebSocket through to the Tandem server.
// Options: --server http://localhost:8080 --port 8081.
import { createServer, request as httpRequest } from "node:http";
import { connect } from "node:net";
import { buildConsole } from "./build.ts";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const upstream = new URL(arg("server", "http://localhost:8080"));
const port = Number(arg("port", "8081"));
const bundle = await buildConsole({ assetBase: "/console-assets" });

const own: Record<string, { type: string; body: string }> = {
  "/": { type: "text/html; charset=utf-8", body: bundle.html },
  "/console": { type: "text/html; charset=utf-8", body: bundle.html },
  "/console-assets/console.js": { type: "text/javascript; charset=utf-8", body: bundle.js },
  "/console-assets/console.css": { type: "text/css; charset=utf-8", body: bundle.css },
};

const server = createServer((req, res) => {
  const path = new URL(req.url ?? "/", "http://x").pathname;
  const mine = own[path];
  if (mine) {
    res.writeHead(200, { "content-type": mine.type, "cache-control": "no-store" });
    res.end(mine.body);
    return;
  }
  // Everything else goes to the server unchanged, Host included (the gateway compares Origin with Host).
  const forward = httpRequest(
    { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  forward.on("error", () => {
    res.writeHead(502).end("Tandem server unreachable");
  });
  req.pipe(forward);
});

// The WebSocket upgrade is passed through as raw bytes.
server.on("upgrade", (req, socket, head) => {
  const target = connect(Number(upstream.port), upstream.hostname, () => {
    const headers = Object.entries(req.headers).map(
      ([k, v]) => `${k}: ${Array.isArray(v) ? v.join(", ") : v}`,
    );
    target.write(`${req.method} ${req.url} HTTP/1.1\r\n${headers.join("\r\n")}\r\n\r\n`);
    if (head.length) target.write(head);
    target.pipe(socket);
    socket.pipe(target);
  });
  target.on("error", () => socket.destroy());
  socket.on("error", () => target.destroy());
});

server.listen(port, () => console.log(`console: http://localhost:${port}/  (server ${upstream.origin})`));
