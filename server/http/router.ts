// A small HTTP router whose routes are exactly the keys of the authorisation table: a route cannot exist unlisted,
// and every request is checked against the table before its handler runs.
import type { IncomingMessage, ServerResponse } from "node:http";
import { mayUse, type Principal, type RouteKey, routePermissions } from "../../protocol/messages/index.ts";

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  query: URLSearchParams;
  principal: Principal;
  /** The account behind the bearer token, for agent and admin principals. */
  accountId?: string;
  address: string;
  body: () => Promise<unknown>;
}

export type Handler = (ctx: RouteContext) => Promise<void> | void;

/** Resolves the principal of a request for a route's target (the session named in its path, if any). */
export type Authenticate = (
  token: string | undefined,
  params: Record<string, string>,
) => { principal: Principal; accountId?: string };

interface Compiled {
  key: RouteKey;
  method: string;
  pattern: RegExp;
  names: string[];
}

const bodyMaxBytes = 65_536;

function compile(key: RouteKey): Compiled {
  const [method, path] = key.split(" ") as [string, string];
  const names: string[] = [];
  const source = path
    .split("/")
    .map((part) => {
      const m = /^:(\w+)(.*)$/.exec(part);
      if (!m) return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      names.push(m[1]!);
      return `([^/]+)${m[2]!.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`;
    })
    .join("/");
  return { key, method, pattern: new RegExp(`^${source}$`), names };
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(text);
}

export function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > bodyMaxBytes) {
        reject(new Error("PayloadTooLarge"));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => {
      try {
        const text = Buffer.concat(chunks).toString("utf8");
        resolve(text ? JSON.parse(text) : {});
      } catch {
        reject(new Error("BadJson"));
      }
    });
    req.on("error", reject);
  });
}

export class Router {
  private readonly routes: Compiled[] = (Object.keys(routePermissions) as RouteKey[]).map(compile);
  private readonly handlers = new Map<RouteKey, Handler>();

  constructor(private readonly authenticate: Authenticate) {}

  on(key: RouteKey, handler: Handler): this {
    this.handlers.set(key, handler);
    return this;
  }

  /** Table entries without a handler: the server refuses to start with any (the table and the code stay one). */
  missing(): RouteKey[] {
    return this.routes.map((r) => r.key).filter((k) => !this.handlers.has(k));
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://x");
    const route = this.routes.find((r) => r.method === req.method && r.pattern.test(url.pathname));
    if (!route) return json(res, 404, { error: "NotFound" });
    const match = route.pattern.exec(url.pathname)!;
    const params = Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(match[i + 1]!)]));
    const auth = req.headers.authorization;
    const token = auth?.startsWith("Bearer ") ? auth.slice(7) : undefined;
    const who = this.authenticate(token, params);
    if (!mayUse(routePermissions[route.key], who.principal)) {
      return json(res, who.principal === "anonymous" ? 401 : 403, {
        error: who.principal === "anonymous" ? "NotAuthenticated" : "Unauthorised",
      });
    }
    const handler = this.handlers.get(route.key)!;
    try {
      await handler({
        req,
        res,
        params,
        query: url.searchParams,
        principal: who.principal,
        ...(who.accountId ? { accountId: who.accountId } : {}),
        address: req.socket.remoteAddress ?? "?",
        body: () => readBody(req),
      });
    } catch (err) {
      const reason = (err as Error).message;
      if (reason === "BadJson" || reason === "PayloadTooLarge")
        return json(res, reason === "BadJson" ? 400 : 413, { error: reason });
      console.error("http: handler failed", err);
      if (!res.headersSent) json(res, 500, { error: "Internal" });
    }
  }
}
