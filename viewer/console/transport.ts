// The one file that knows how the console talks to the server: HTTP routes and WebSocket messages. Every wiring
// change (a new route, a renamed message) lands here; the views call these methods and never build a request.
import type { ServerMessage } from "../../protocol/messages/server.ts";
import {
  Connection,
  type ConnectionStatus,
  consoleProtocolVersion,
  defaultConnectionTimings,
  RequestFailed,
} from "./connection.ts";
import { defaultPreferences, type Preferences } from "./preferences.ts";

export interface Account {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
}

export type LoginResult =
  | { ok: true; token: string; account: Account }
  | { ok: false; reason: "failed" | "expired" | "throttled" | "error"; message?: string };

export interface DirectoryPortal {
  id: string;
  name: string;
  type: string;
  mode: string;
  tier: boolean;
  members: string[];
}
export interface DirectoryAgent {
  id: string;
  name: string;
  available?: boolean;
  loggedIn?: boolean;
}
/** Portals and agents for the SmartCode portal choice and the transfer/invite tree and search (R-S6, R-S7). */
export interface Directory {
  portals: DirectoryPortal[];
  agents: DirectoryAgent[];
}

/** What the management center configures that the console shows (R-M1, R-S3, R-S4, R-P9, R-L3). */
export interface ConsoleSettings {
  quickPhrases: { category: string; text: string }[];
  quickUrls: { label: string; url: string }[];
  transferEnabled: boolean;
  inviteEnabled: boolean;
  runAsServiceEnabled: boolean;
  /** R-S8: the owner may switch the control level during a session. */
  screenLevelSwitchEnabled: boolean;
  resolutionExtraField: string | null;
  alertDisplayMs: number;
  requestAttentionMs: number;
  requestWarningMs: number;
  requestExpiryMs: number;
}

export const defaultConsoleSettings: ConsoleSettings = {
  quickPhrases: [],
  quickUrls: [],
  transferEnabled: true,
  inviteEnabled: true,
  runAsServiceEnabled: true,
  screenLevelSwitchEnabled: true,
  resolutionExtraField: null,
  alertDisplayMs: 30_000,
  requestAttentionMs: 60_000,
  requestWarningMs: 180_000,
  requestExpiryMs: 900_000,
};

export type Target = { agentId: string } | { portalId: string };

async function http(
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(path, {
    method,
    headers: {
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  let json: Record<string, unknown> = {};
  try {
    json = (await res.json()) as Record<string, unknown>;
  } catch {
    // An empty or non-JSON body: the status says enough.
  }
  return { status: res.status, json };
}

// ——— before sign-in (R-A1–A4) ———

export async function login(email: string, password: string): Promise<LoginResult> {
  try {
    const r = await http("POST", "/api/login", { email, password });
    if (r.status === 200)
      return { ok: true, token: String(r.json.token), account: r.json.account as Account };
    if (r.status === 403) return { ok: false, reason: "expired" };
    if (r.status === 429) return { ok: false, reason: "throttled" };
    if (r.status === 401) return { ok: false, reason: "failed" };
    return { ok: false, reason: "error", message: String(r.json.message ?? r.json.error ?? r.status) };
  } catch (err) {
    return { ok: false, reason: "error", message: String(err) };
  }
}

export async function changePassword(input: {
  email: string;
  current: string;
  next: string;
  repeat: string;
}): Promise<{ ok: true } | { ok: false; reason: string; problems?: string[] }> {
  const r = await http("POST", "/api/password/change", input);
  if (r.status === 200) return { ok: true };
  return {
    ok: false,
    reason: String(r.json.error ?? r.status),
    ...(Array.isArray(r.json.problems) ? { problems: r.json.problems as string[] } : {}),
  };
}

export async function forgotPassword(
  email: string,
  repeat: string,
): Promise<{ ok: boolean; reason?: string }> {
  const r = await http("POST", "/api/password/forgot", { email, repeat });
  return r.status === 200 ? { ok: true } : { ok: false, reason: String(r.json.error ?? r.status) };
}

// ——— signed in ———

export class Transport {
  readonly connection: Connection;

  constructor(
    readonly token: string,
    readonly agentId: string,
    onMessage: (m: ServerMessage) => void,
    onStatus: (s: ConnectionStatus) => void,
  ) {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    this.connection = new Connection({
      url: `${scheme}//${location.host}/ws`,
      token,
      protocolVersion: consoleProtocolVersion,
      ...defaultConnectionTimings,
      onMessage,
      onStatus,
    });
  }

  start(): void {
    this.connection.start();
  }

  stop(): void {
    this.connection.stop();
  }

  private send(type: string, fields: Record<string, unknown> = {}) {
    return this.connection.request({ type, ...fields });
  }

  setAvailable = (available: boolean) => this.send("agent.setAvailable", { available });
  answer = (requestId: string) => this.send("request.answer", { requestId });
  decline = (requestId: string) => this.send("request.decline", { requestId });
  acceptTransfer = (sessionId: string) => this.send("session.acceptTransfer", { sessionId });
  acceptInvite = (sessionId: string) => this.send("session.acceptInvite", { sessionId });
  createCode = (portalId: string, name?: string) =>
    this.send("code.create", { portalId, ...(name ? { name } : {}) });
  cancelCode = (code: string) => this.send("code.cancel", { code });
  chat = (sessionId: string, text: string) => this.send("chat.send", { sessionId, text });
  note = (sessionId: string, text: string) => this.send("note.add", { sessionId, text });
  pushUrl = (sessionId: string, url: string) => this.send("url.push", { sessionId, url });
  invite = (sessionId: string, to: Target, hidden: boolean, comments: string) =>
    this.send("session.invite", { sessionId, to, hidden, comments });
  cancelInvite = (sessionId: string) => this.send("session.cancelInvite", { sessionId });
  transfer = (sessionId: string, to: Target, comments: string) =>
    this.send("session.transfer", { sessionId, to, comments });
  cancelTransfer = (sessionId: string) => this.send("session.cancelTransfer", { sessionId });
  leave = (sessionId: string) => this.send("session.leave", { sessionId });
  close = (sessionId: string, resolution: string, extra?: string) =>
    this.send("session.close", { sessionId, resolution, ...(extra ? { extra } : {}) });
  closeAll = (resolution: string, extra?: string) =>
    this.send("session.closeAll", { resolution, ...(extra ? { extra } : {}) });
  transcript = (sessionId: string) => this.send("session.transcript", { sessionId });
  /** R-S8: the presenter key and `tandem-host --present` command for the agent's own screen (in the ack's data). */
  presentScreen = (sessionId: string) => this.send("screen.present", { sessionId });

  /** R-A5: the socket's `agent.logout` when connected (the server revokes the token), else the HTTP route. */
  async logout(): Promise<void> {
    try {
      if (this.connection.status.kind === "online") await this.send("agent.logout");
      else await http("POST", "/api/logout", {}, this.token);
    } catch {
      // Logged out either way: the token is forgotten by the page.
    }
    this.stop();
  }

  /**
   * Portals and agents (R-S6, R-S7, R-P6). Wanted from the server: `GET /api/console/directory`. Until it exists
   * the console falls back to what it has learnt from events (the caller merges), so this returns null.
   */
  async directory(): Promise<Directory | null> {
    try {
      const r = await http("GET", "/api/console/directory", undefined, this.token);
      if (r.status !== 200) return null;
      return {
        portals: (r.json.portals as DirectoryPortal[]) ?? [],
        agents: (r.json.agents as DirectoryAgent[]) ?? [],
      };
    } catch {
      return null;
    }
  }

  /** Quick phrases, switches and timings (R-S3, R-S4, R-M1). Wanted: `GET /api/console/settings`. */
  async settings(): Promise<ConsoleSettings> {
    try {
      const r = await http("GET", "/api/console/settings", undefined, this.token);
      if (r.status === 200) return { ...defaultConsoleSettings, ...(r.json as Partial<ConsoleSettings>) };
    } catch {
      // fall through to the defaults
    }
    return defaultConsoleSettings;
  }

  /**
   * The agent's preferences, saved on the server (wanted: `GET/PUT /api/me/preferences`); until that route exists
   * they are kept in this browser's localStorage under the agent's id.
   */
  async loadPreferences(): Promise<Preferences> {
    try {
      const r = await http("GET", "/api/me/preferences", undefined, this.token);
      if (r.status === 200) return { ...defaultPreferences, ...(r.json as Partial<Preferences>) };
    } catch {
      // fall through
    }
    const local = localStorage.getItem(`tandem.prefs.${this.agentId}`);
    return local
      ? { ...defaultPreferences, ...(JSON.parse(local) as Partial<Preferences>) }
      : defaultPreferences;
  }

  async savePreferences(p: Preferences): Promise<void> {
    localStorage.setItem(`tandem.prefs.${this.agentId}`, JSON.stringify(p));
    try {
      await http("PUT", "/api/me/preferences", p, this.token);
    } catch {
      // kept locally
    }
  }
}

export { RequestFailed };
