// The Tandem server: one port for HTTP and WebSocket, the floor on the system clock, the SQLite store, accounts and mail.
import { randomBytes, randomInt } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as Result from "effect/Result";
import * as Schema from "effect/Schema";
import {
  type AgentConfig,
  AgentId,
  type AgentId as AgentIdT,
  defaultAgentPreferences,
  Floor,
  type FloorOptions,
  type PortalConfig,
  PortalId,
  systemClock,
} from "../actors/index.ts";
import { buildConsole } from "../viewer/console/index.ts";
import { type AccountOptions, Accounts, genericLoginFailure } from "./accounts/accounts.ts";
import { hashPassword, passwordProblems, randomPassword } from "./accounts/passwords.ts";
// Load-test support (issue 6): /metrics and connection admission live in their own folders.
import { Admission, type AdmissionOptions, defaultAdmissionOptions } from "./admission/index.ts";
import { FloorAdapter } from "./floorAdapter.ts";
import { Gateway, type GatewayOptions } from "./gateway/gateway.ts";
import { json, Router } from "./http/router.ts";
import { createMailer, type SmtpOptions } from "./mail/mailer.ts";
import {
  defaultEventLoopLagOptions,
  defaultMetricsOptions,
  EventLoopLag,
  GcPauses,
  type MetricsOptions,
  ServerMetrics,
} from "./metrics/index.ts";
import { Pages } from "./pages/pages.ts";
import { checkPreferences } from "./preferences/agentPreferences.ts";
import { createScreenChannel } from "./relay/screenChannel.ts";
import { defaultSettings, floorOptionsOf, type ManagedSettings, mergeSettings } from "./settings.ts";
import { startCheckpointer } from "./store/checkpointer.ts";
import { openDb } from "./store/db.ts";
import type { Account } from "./store/store.ts";
import { Store } from "./store/store.ts";
import { createToolChannel, type ToolGatewayOptions } from "./tools/index.ts";

export interface ServerOptions {
  /** 0 = an ephemeral port (tests). */
  port: number;
  host: string;
  dataDir: string;
  /** How customers and mails reach this server; defaults to http://localhost:<port>. */
  publicUrl?: string;
  gateway?: Partial<GatewayOptions>;
  accounts?: Partial<AccountOptions>;
  smtp: SmtpOptions | null;
  /** Floor options that override the managed settings (tests use short timeouts). */
  floor?: Partial<FloorOptions>;
  log: (line: string) => void;
  /** SIGTERM: how long to wait for sockets to close before cutting them. */
  shutdownDeadlineMs?: number;
  /** Who may read GET /metrics (server/metrics). */
  metrics?: Partial<MetricsOptions>;
  /** Limits past which new WebSocket connections are refused with 503 (server/admission). */
  admission?: Partial<AdmissionOptions>;
  /** Session tools (issue 7): limits and the restart window; tests shorten `rebootReconnectWindowMs`. */
  tools?: Partial<ToolGatewayOptions>;
}

export const defaultGatewayOptions: Omit<GatewayOptions, "publicUrl"> = {
  heartbeatIntervalMs: 30_000,
  controlMessageMaxBytes: 65_536,
  socketFrameMaxBytes: 4 * 1_048_576,
  messagesPerSecondMax: 20,
  messagesBurstMax: 40,
  rateLimitStrikesMax: 50,
  allowedOrigins: [],
  customerGraceMs: 60_000,
  endedCustomerRetentionMs: 10 * 60_000,
  smartCodeFailuresPerAddressMax: 10,
  smartCodeFailuresGlobalMax: 100,
  smartCodeThrottleWindowMs: 600_000,
};

export const defaultAccountOptions: Omit<AccountOptions, "publicUrl"> = {
  sessionTokenTtlMs: 12 * 3_600_000,
  resetTokenTtlMs: 3_600_000,
  loginFailuresPerAccountMax: 5,
  loginFailuresPerAddressMax: 20,
  loginThrottleWindowMs: 900_000,
};

export interface TandemServer {
  port: number;
  url: string;
  store: Store;
  accounts: Accounts;
  floor: Floor;
  /** Stops accepting, tells clients, flushes and closes the database. */
  close(): Promise<void>;
}

const AgentInput = Schema.Struct({
  email: Schema.String.check(Schema.isPattern(/^[^\s@]+@[^\s@]+$/)),
  firstName: Schema.String.check(Schema.isMaxLength(60)),
  lastName: Schema.String.check(Schema.isMaxLength(60)),
  password: Schema.optional(Schema.String),
  maxSessions: Schema.optional(Schema.Number),
  mayReceiveTransfers: Schema.optional(Schema.Boolean),
  mayReceiveInvitations: Schema.optional(Schema.Boolean),
  disabled: Schema.optional(Schema.Boolean),
});
const PortalInput = Schema.Struct({
  id: Schema.optional(Schema.String.check(Schema.isPattern(/^[a-z0-9-]{1,40}$/))),
  name: Schema.optional(Schema.String.check(Schema.isMaxLength(80))),
  type: Schema.optional(Schema.Literals(["smartButton", "smartBox", "smartMatch", "smartCode"])),
  mode: Schema.optional(Schema.Literals(["standard", "phone", "queue"])),
  language: Schema.optional(Schema.Literals(["en", "fr"])),
  members: Schema.optional(Schema.Array(Schema.String)),
  tier: Schema.optional(Schema.Boolean),
});

export async function startServer(options: ServerOptions): Promise<TandemServer> {
  const log = options.log;
  const db = openDb(options.dataDir);
  const checkpointer = startCheckpointer(db);
  const store = new Store(db);
  const http: Server = createServer();
  // A deep accept queue (Node's default is 511): a burst of new sockets waits for admission's clean 503 instead of
  // having its SYNs dropped and retried for seconds (R-D2).
  await new Promise<void>((resolve) =>
    http.listen({ port: options.port, host: options.host, backlog: 4096 }, resolve),
  );
  const port = (http.address() as AddressInfo).port;
  const publicUrl = options.publicUrl ?? `http://localhost:${port}`;

  let settings: ManagedSettings = mergeSettings(defaultSettings, store.settings()).ok
    ? (mergeSettings(defaultSettings, store.settings()) as { value: ManagedSettings }).value
    : defaultSettings;
  // A fresh seed per boot: session ids (unique 9-digit numbers) must not repeat those of earlier runs.
  const seed = randomInt(1, 2 ** 31);
  store.startBoot(seed, Date.now());
  const floor = new Floor({
    clock: systemClock,
    seed,
    options: { ...floorOptionsOf(settings, publicUrl), ...options.floor },
  });

  const configs = new Map<string, AgentConfig>();
  const portals = new Map<string, PortalConfig>();
  const nameOf = (id: AgentIdT) => configs.get(id)?.name ?? id;
  const adapter = new FloorAdapter(floor, store, nameOf);
  const mailer = createMailer(options.smtp, log);
  const accountOptions: AccountOptions = { ...defaultAccountOptions, publicUrl, ...options.accounts };
  const accounts = new Accounts(
    store,
    mailer,
    accountOptions,
    () => Date.now(),
    () => (settings.passwordExpiryDays === null ? null : settings.passwordExpiryDays * 86_400_000),
  );
  const gatewayOptions: GatewayOptions = { ...defaultGatewayOptions, publicUrl, ...options.gateway };
  const gateway = new Gateway(adapter, store, accounts, gatewayOptions, nameOf, (id) => portals.get(id));
  // The screen channel's sockets are pinged as often as the console's.
  const screen = createScreenChannel(
    floor,
    adapter,
    accounts,
    gateway,
    () => settings.screenLevelSwitchEnabled,
    {
      heartbeatIntervalMs: gatewayOptions.heartbeatIntervalMs,
    },
  );
  // Session tools (issue 7): files, clipboard, diagnostics, restart, elevation, credentials on `/tools`.
  const tools = createToolChannel({
    floor,
    adapter,
    store,
    accounts,
    gateway,
    nameOf: (id) => nameOf(id as AgentIdT),
    portalMode: (id) => portals.get(id)?.mode,
    runAsServiceEnabled: () => settings.runAsServiceEnabled,
    ...(options.tools ? { options: options.tools } : {}),
    log,
  });
  // Metrics and admission (issue 6): they watch the floor's stream and time the adapter; nothing else changes.
  const lag = new EventLoopLag();
  const gc = new GcPauses();
  const admissionOptions = { ...defaultAdmissionOptions, ...options.admission };
  // Admission reacts to the last quarter second, not to the metrics' one-second window.
  const loopNow = new EventLoopLag({
    ...defaultEventLoopLagOptions,
    lagWindowMs: admissionOptions.throttle.windowMs,
  });
  const admission = new Admission(admissionOptions, { lagMs: () => loopNow.p99Ms, busy: () => loopNow.busy });
  gateway.admitPost = () => admission.admitRequest(gateway.openSockets());
  const metrics = new ServerMetrics(
    { ...defaultMetricsOptions, ...options.metrics },
    {
      connectionsByRole: () => gateway.connectionsByRole(),
      lag,
      gc,
      refusals: () => admission.refused,
      shed: () => admission.shed,
      admissionShare: () => admission.throttle.share(),
    },
  );
  floor.subscribe((e) => metrics.observe(e));
  metrics.instrument(adapter);

  // Configuration is reloaded into the new floor: every agent, then every portal.
  for (const c of store.agentConfigs()) {
    configs.set(c.id, c);
    adapter.dispatch({ type: "floor.addAgent", config: c });
  }
  for (const p of store.portals()) {
    portals.set(p.id, p);
    const r = adapter.dispatch({ type: "floor.addPortal", config: p });
    if (!r.ok) log(`portal ${p.id} not loaded: ${r.rejection.detail}`);
  }

  const pages = new Pages(() => [...portals.values()]);
  await pages.build();
  // The agent console (viewer/console), bundled in memory at start like the customer pages.
  // Only the page's HTML is kept as a string; the bundles live in `pages` as bytes.
  const { html: consoleHtml, ...consoleBundle } = await buildConsole();
  pages.register("console.js", "text/javascript; charset=utf-8", consoleBundle.js);
  pages.register("console.css", "text/css; charset=utf-8", consoleBundle.css);
  pages.register("screenWorker.js", "text/javascript; charset=utf-8", consoleBundle.worker);

  const router = new Router((token, params) => {
    if (!token) return { principal: "anonymous" };
    const account = accounts.authenticate(token);
    if (account?.role === "admin") return { principal: "admin", accountId: account.id };
    if (account?.role === "agent") {
      const principal = params.session
        ? gateway.agentRelation(AgentId(account.id), params.session)
        : "ownerAgent";
      return { principal, accountId: account.id };
    }
    const customer = params.session ? gateway.customerRelation(token, params.session) : null;
    return { principal: customer ?? "anonymous" };
  });

  const accountView = (a: Account) => ({
    id: a.id,
    email: a.email,
    role: a.role,
    firstName: a.firstName,
    lastName: a.lastName,
    disabled: a.disabled,
    ...(a.role === "agent" ? { config: configs.get(a.id) } : {}),
  });

  const createAgent = async (
    input: typeof AgentInput.Type,
  ): Promise<{ ok: true; account: Account; password?: string } | { ok: false; error: string }> => {
    if (store.accountByEmail(input.email))
      return { ok: false, error: "an account with this login ID exists" };
    const id = `a${randomBytes(5).toString("hex")}`;
    const generated = input.password === undefined ? randomPassword(randomBytes) : undefined;
    const password = input.password ?? generated!;
    const problems = passwordProblems(password, input);
    if (problems.length) return { ok: false, error: `password ${problems.join("; ")}` };
    const config: AgentConfig = {
      id: AgentId(id),
      name: `${input.firstName} ${input.lastName}`.trim() || input.email,
      email: input.email,
      maxSessions: input.maxSessions ?? 8,
      mayReceiveTransfers: input.mayReceiveTransfers ?? true,
      mayReceiveInvitations: input.mayReceiveInvitations ?? true,
      preferences: defaultAgentPreferences,
    };
    const hash = await hashPassword(password);
    const error = adapter.tx(() => {
      const r = adapter.dispatch({ type: "floor.addAgent", config });
      if (!r.ok) return r.rejection.detail;
      store.createAccount(
        {
          id,
          email: input.email,
          role: "agent",
          firstName: input.firstName,
          lastName: input.lastName,
          passwordHash: hash,
          mustChange: generated !== undefined,
          emailValidated: true,
          disabled: false,
        },
        Date.now(),
      );
      store.putAgentConfig(config);
      configs.set(id, config);
      return null;
    });
    if (error) return { ok: false, error };
    return { ok: true, account: store.accountById(id)!, ...(generated ? { password: generated } : {}) };
  };

  const putPortal = (config: PortalConfig, create: boolean): string | null =>
    adapter.tx(() => {
      const r = adapter.dispatch({ type: create ? "floor.addPortal" : "floor.configurePortal", config });
      if (!r.ok) return r.rejection.detail;
      store.putPortal(config);
      portals.set(config.id, config);
      return null;
    });

  const decode = <S extends Schema.Top>(schema: S, value: unknown) => {
    const r = Schema.decodeUnknownResult(schema as never)(value);
    return Result.isSuccess(r)
      ? { ok: true as const, value: r.success as S["Type"] }
      : { ok: false as const, error: String(r.failure.message) };
  };

  router
    .on("GET /", ({ res }) => pages.landing(res))
    .on("GET /healthz", ({ res }) => json(res, 200, { ok: true }))
    .on("GET /metrics", ({ req, res, address }) => {
      if (!metrics.allowed(address, req.headers.authorization))
        return json(res, 403, {
          error: "Unauthorised",
          message: "metrics are for loopback or the metrics token",
        });
      res.writeHead(200, {
        "content-type": "text/plain; version=0.0.4; charset=utf-8",
        "cache-control": "no-store",
      });
      res.end(metrics.render());
    })
    .on("GET /h/:portal", ({ res, params }) => pages.customer(res, params.portal!))
    .on("GET /assets/:file", ({ res, params }) => pages.asset(res, params.file!))
    .on("GET /reset", ({ res }) => pages.reset(res))
    .on("GET /admin", ({ res }) => pages.admin(res))
    .on("GET /api/portals/:portal", ({ res, params }) => {
      const p = portals.get(params.portal!);
      if (!p) return json(res, 404, { error: "NotFound" });
      const agents =
        p.type === "smartMatch"
          ? p.members
              .map((id) => floor.agent(id))
              .filter((a) => a?.loggedIn && a.connected && a.available)
              .map((a) => ({ id: a!.id, name: a!.config.name }))
          : [];
      json(res, 200, { id: p.id, name: p.name, type: p.type, mode: p.mode, language: p.language, agents });
    })
    .on("POST /api/login", async ({ res, body, address }) => {
      const b = (await body()) as { email?: unknown; password?: unknown };
      if (typeof b.email !== "string" || typeof b.password !== "string")
        return json(res, 400, { error: "Malformed" });
      const r = await accounts.login(b.email, b.password, address);
      if (r.ok) return json(res, 200, { token: r.token, account: accountView(r.account) });
      if (r.reason === "passwordExpired")
        return json(res, 403, {
          error: "PasswordExpired",
          message: "Your password has expired: change it to log in.",
        });
      if (r.reason === "throttled")
        return json(res, 429, { error: "Throttled", message: "Too many attempts. Try again later." });
      return json(res, 401, { error: "LoginFailed", message: genericLoginFailure });
    })
    .on("POST /api/logout", ({ res, accountId }) => {
      accounts.logout(accountId!);
      json(res, 200, { ok: true });
    })
    .on("GET /api/me", ({ res, accountId }) => json(res, 200, accountView(store.accountById(accountId!)!)))
    .on("GET /api/me/preferences", ({ res, accountId }) =>
      json(res, 200, store.agentPreferences(accountId!) ?? {}),
    )
    .on("PUT /api/me/preferences", async ({ res, body, accountId }) => {
      const checked = checkPreferences(await body());
      if (!checked.ok) return json(res, checked.reason === "TooLarge" ? 413 : 400, checked);
      const config = configs.get(accountId! as AgentIdT);
      if (config) {
        const next = { ...config, preferences: { ...config.preferences, ...checked.floor } };
        configs.set(config.id, next);
        store.putAgentConfig(next);
        adapter.dispatch({ type: "floor.configureAgent", config: next });
      }
      store.putAgentPreferences(accountId!, checked.document, Date.now());
      return json(res, 200, { ok: true });
    })
    .on("GET /console", ({ res }) => pages.console(res, consoleHtml))
    .on("GET /api/console/directory", ({ res }) =>
      json(res, 200, {
        portals: [...portals.values()].map(({ id, name, type, mode, tier, members }) => ({
          id,
          name,
          type,
          mode,
          tier,
          members,
        })),
        agents: [...configs.values()].map((c) => {
          const view = floor.agent(c.id);
          return {
            id: c.id,
            name: c.name,
            loggedIn: view?.loggedIn ?? false,
            available: view?.available ?? false,
            mayReceiveTransfers: c.mayReceiveTransfers,
            mayReceiveInvitations: c.mayReceiveInvitations,
          };
        }),
      }),
    )
    .on("GET /api/console/settings", ({ res }) =>
      json(res, 200, {
        quickPhrases: settings.quickPhrases,
        quickUrls: settings.quickUrls,
        transferEnabled: settings.transferEnabled,
        inviteEnabled: settings.inviteEnabled,
        runAsServiceEnabled: settings.runAsServiceEnabled,
        screenLevelSwitchEnabled: settings.screenLevelSwitchEnabled,
        resolutionExtraField: settings.resolutionExtraField,
        alertDisplayMs: settings.alertDisplayMs,
        requestAttentionMs: settings.requestAttentionMs,
        requestWarningMs: settings.requestWarningMs,
        requestExpiryMs: settings.requestExpiryMs,
      }),
    )
    .on("POST /api/password/change", async ({ res, body, address }) => {
      const b = (await body()) as Record<string, unknown>;
      const [email, current, next, repeat] = [b.email, b.current, b.next, b.repeat];
      if (![email, current, next, repeat].every((v) => typeof v === "string"))
        return json(res, 400, { error: "Malformed" });
      const r = await accounts.changePassword(
        { email, current, next, repeat } as Record<string, string> as never,
        address,
      );
      if (r.ok) return json(res, 200, { ok: true });
      const status = r.reason === "throttled" ? 429 : r.reason === "invalid" ? 401 : 400;
      return json(res, status, {
        error: r.reason,
        ...(r.reason === "invalid" ? { message: genericLoginFailure } : {}),
        ...(r.problems ? { problems: r.problems } : {}),
      });
    })
    .on("POST /api/password/forgot", async ({ res, body }) => {
      const b = (await body()) as Record<string, unknown>;
      if (typeof b.email !== "string" || typeof b.repeat !== "string")
        return json(res, 400, { error: "Malformed" });
      const r = await accounts.forgot(b.email, b.repeat);
      if (!r.ok) return json(res, 400, { error: "mismatch", message: "The two login IDs differ." });
      json(res, 200, { ok: true, message: "If this login ID is known, a link has been sent to it." });
    })
    .on("POST /api/password/reset", async ({ res, body }) => {
      const b = (await body()) as Record<string, unknown>;
      if (typeof b.token !== "string" || typeof b.next !== "string" || typeof b.repeat !== "string")
        return json(res, 400, { error: "Malformed" });
      const r = await accounts.reset(b.token, b.next, b.repeat);
      if (r.ok) return json(res, 200, { ok: true });
      json(res, 400, { error: r.reason, ...("problems" in r ? { problems: r.problems } : {}) });
    })
    .on("GET /api/sessions/:session/transcript.txt", ({ res, params, principal }) => {
      const lines = store.transcript(params.session!, principal === "customer");
      const text = lines
        .map(
          (l) =>
            `[${new Date(l.at).toISOString()}] ${l.kind === "chat" ? `${l.author}: ${l.text}` : l.kind === "url" ? `${l.author} pushed ${l.text}` : `(${l.kind}) ${l.author ? `${l.author}: ` : ""}${l.text}`}`,
        )
        .join("\n");
      res.writeHead(200, {
        "content-type": "text/plain; charset=utf-8",
        "content-disposition": `attachment; filename="tandem-${params.session}.txt"`,
      });
      res.end(`${text}\n`);
    })
    .on("GET /api/admin/settings", ({ res }) => json(res, 200, settings))
    .on("PUT /api/admin/settings", async ({ res, body }) => {
      const r = mergeSettings(settings, await body());
      if (!r.ok) return json(res, 400, { error: "Invalid", message: r.error });
      settings = r.value;
      store.putSettings(settings);
      json(res, 200, { settings, note: "floor timings and switches take effect at the next start" });
    })
    .on("GET /api/admin/agents", ({ res }) => json(res, 200, store.accounts("agent").map(accountView)))
    .on("POST /api/admin/agents", async ({ res, body }) => {
      const d = decode(AgentInput, await body());
      if (!d.ok) return json(res, 400, { error: "Invalid", message: d.error });
      const r = await createAgent(d.value);
      if (!r.ok) return json(res, 400, { error: "Invalid", message: r.error });
      json(res, 201, { ...accountView(r.account), ...(r.password ? { initialPassword: r.password } : {}) });
    })
    .on("PUT /api/admin/agents/:agent", async ({ res, body, params }) => {
      const account = store.accountById(params.agent!);
      const current = configs.get(params.agent!);
      if (!account || !current) return json(res, 404, { error: "NotFound" });
      const d = decode(
        Schema.Struct({
          ...AgentInput.fields,
          email: Schema.optional(AgentInput.fields.email),
          firstName: Schema.optional(Schema.String),
          lastName: Schema.optional(Schema.String),
        }),
        await body(),
      );
      if (!d.ok) return json(res, 400, { error: "Invalid", message: d.error });
      const v = d.value;
      const firstName = v.firstName ?? account.firstName;
      const lastName = v.lastName ?? account.lastName;
      const config: AgentConfig = {
        ...current,
        name: `${firstName} ${lastName}`.trim() || current.name,
        email: v.email ?? current.email,
        maxSessions: v.maxSessions ?? current.maxSessions,
        mayReceiveTransfers: v.mayReceiveTransfers ?? current.mayReceiveTransfers,
        mayReceiveInvitations: v.mayReceiveInvitations ?? current.mayReceiveInvitations,
      };
      const error = adapter.tx(() => {
        const r = adapter.dispatch({ type: "floor.configureAgent", config });
        if (!r.ok) return r.rejection.detail;
        store.putAgentConfig(config);
        store.updateAccount(account.id, {
          firstName,
          lastName,
          email: config.email,
          ...(v.disabled !== undefined ? { disabled: v.disabled } : {}),
        });
        configs.set(account.id, config);
        return null;
      });
      if (error) return json(res, 400, { error: "Invalid", message: error });
      if (v.password !== undefined) {
        const problems = passwordProblems(v.password, { email: config.email, firstName, lastName });
        if (problems.length) return json(res, 400, { error: "Invalid", message: problems.join("; ") });
        store.setPassword(account.id, await hashPassword(v.password), Date.now(), true);
      }
      // Disabling an agent ends their sessions at once: sockets close, the floor logs them out.
      if (v.disabled) accounts.logout(account.id);
      json(res, 200, accountView(store.accountById(account.id)!));
    })
    .on("GET /api/admin/portals", ({ res }) => json(res, 200, [...portals.values()]))
    .on("POST /api/admin/portals", async ({ res, body }) => {
      const d = decode(PortalInput, await body());
      if (!d.ok || !d.value.id || !d.value.type || !d.value.mode)
        return json(res, 400, {
          error: "Invalid",
          message: d.ok ? "id, type and mode are required" : d.error,
        });
      const v = d.value;
      if (portals.has(v.id!)) return json(res, 400, { error: "Invalid", message: `portal ${v.id} exists` });
      const config: PortalConfig = {
        id: PortalId(v.id!),
        name: v.name ?? v.id!,
        type: v.type!,
        mode: v.mode!,
        language: v.language ?? "en",
        members: (v.members ?? []).map(AgentId),
        tier: v.tier ?? false,
      };
      const error = putPortal(config, true);
      if (error) return json(res, 400, { error: "Invalid", message: error });
      json(res, 201, config);
    })
    .on("PUT /api/admin/portals/:portal", async ({ res, body, params }) => {
      const current = portals.get(params.portal!);
      if (!current) return json(res, 404, { error: "NotFound" });
      const d = decode(PortalInput, await body());
      if (!d.ok) return json(res, 400, { error: "Invalid", message: d.error });
      const v = d.value;
      const config: PortalConfig = {
        ...current,
        ...(v.name !== undefined ? { name: v.name } : {}),
        ...(v.type !== undefined ? { type: v.type } : {}),
        ...(v.mode !== undefined ? { mode: v.mode } : {}),
        ...(v.language !== undefined ? { language: v.language } : {}),
        ...(v.members !== undefined ? { members: v.members.map(AgentId) } : {}),
        ...(v.tier !== undefined ? { tier: v.tier } : {}),
      };
      const error = putPortal(config, false);
      if (error) return json(res, 400, { error: "Invalid", message: error });
      json(res, 200, config);
    })
    .on("GET /api/admin/history", ({ res, query }) =>
      json(res, 200, store.history(Number(query.get("limit") ?? 200), query.get("agent") ?? undefined)),
    )
    .on("GET /api/admin/sessions/:session/transcript", ({ res, params }) =>
      json(res, 200, store.transcript(params.session!, false)),
    )
    .on("GET /api/admin/diagnostics", ({ res }) => json(res, 200, store.diagnosticsLog()))
    // Session tools (issue 7): the tools audit log and the list of transferred files.
    .on("GET /api/admin/tools", ({ res, query }) =>
      json(res, 200, {
        events: tools.audit.events(query.get("session") ?? undefined),
        files: tools.audit.files(query.get("session") ?? undefined),
      }),
    )
    .on("GET /api/admin/events", ({ res, query }) =>
      json(
        res,
        200,
        store.events(Number(query.get("after") ?? 0)).map((r) => ({ ...r, body: JSON.parse(r.body) })),
      ),
    );
  const missing = router.missing();
  if (missing.length)
    throw new Error(`routes in the authorisation table without a handler: ${missing.join(", ")}`);

  http.on("request", (req, res) => {
    // Group commit (server/store): an answer leaves only once what its handler wrote is on disk.
    const end = res.end.bind(res) as (...args: unknown[]) => typeof res;
    res.end = ((...args: unknown[]) => {
      store.afterCommit(() => end(...args));
      return res;
    }) as typeof res.end;
    void router.handle(req, res);
  });
  http.on("upgrade", (req, socket, head) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    // The screen channel (frames, input, annotations) of sessions already running.
    if (path === "/screen") return void screen.upgrade(req, socket, head);
    // Session tools (issue 7).
    if (path === "/tools") return void tools.upgrade(req, socket, head);
    if (path !== "/ws") return void socket.destroy();
    // Admission (issue 6): past the limits, 503 before any handshake work; open sockets are untouched.
    if (!admission.admit(socket, gateway.openSockets())) return;
    gateway.upgrade(req, socket, head);
  });

  let closed: Promise<void> | null = null;
  const close = () => {
    closed ??= (async () => {
      http.close();
      http.closeIdleConnections();
      gateway.shutdown();
      screen.close();
      tools.shutdown();
      const deadline = Date.now() + (options.shutdownDeadlineMs ?? 5_000);
      while (gateway.openSockets() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      gateway.terminateAll();
      http.closeAllConnections();
      floor.stop();
      lag.stop();
      gc.stop();
      loopNow.stop();
      await store.close();
      await checkpointer.stop();
      db.pragma("wal_checkpoint(TRUNCATE)");
      db.close();
    })();
    return closed;
  };

  return { port, url: publicUrl, store, accounts, floor, close, createAgent, putPortal } as TandemServer & {
    createAgent: typeof createAgent;
    putPortal: typeof putPortal;
  };
}

export type TandemServerInternals = TandemServer & {
  createAgent: (input: {
    email: string;
    firstName: string;
    lastName: string;
    password?: string;
    maxSessions?: number;
  }) => Promise<{ ok: true; account: Account; password?: string } | { ok: false; error: string }>;
  putPortal: (config: PortalConfig, create: boolean) => string | null;
};
