// Seeds the organisation a load run needs through the server's own management REST API: settings, agents with
// maxima from 1 to 8, and per team one portal of every type and mode, plus a portal whose requests expire.
import type { Profile } from "./profiles.ts";

export interface SeededAgent {
  id: string;
  email: string;
  maxSessions: number;
  team: number;
}

export interface Team {
  index: number;
  agents: SeededAgent[];
  portals: { button: string; box: string; match: string; queue: string; phone: string };
}

export interface Organisation {
  teams: Team[];
  agents: SeededAgent[];
  /** A portal whose only member never logs in: its requests wait until `requestExpiryMs` and expire. */
  expiryPortal: string;
}

export const agentPassword = "Load-agent-1!";
/** Maxima cycle through this list: every value from 1 to 8 occurs, most agents take several sessions (R-A7). */
const maxima = [8, 8, 8, 6, 4, 3, 2, 1];

export async function api(url: string, token: string | null, method: string, path: string, body?: unknown) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** Runs `fn` over `items` with at most `width` at once. */
export async function pooled<T, R>(
  items: T[],
  width: number,
  fn: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}

export async function adminToken(url: string, email: string, password: string): Promise<string> {
  const r = await api(url, null, "POST", "/api/login", { email, password });
  if (r.status !== 200) throw new Error(`admin login: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.token as string;
}

/** Floor timings for the run (they take effect at the next start: the runner restarts the server after this). */
export async function putSettings(url: string, token: string, profile: Profile): Promise<void> {
  const r = await api(url, token, "PUT", "/api/admin/settings", {
    requestExpiryMs: profile.requestExpiryMs,
    queueOfferTimeoutMs: profile.queueOfferTimeoutMs,
    smartCodesPerAgentMax: 10,
  });
  if (r.status !== 200) throw new Error(`settings: ${r.status} ${JSON.stringify(r.body)}`);
}

export async function seedOrganisation(url: string, token: string, profile: Profile): Promise<Organisation> {
  const specs = Array.from({ length: profile.agents + 1 }, (_, i) => ({
    email: `agent${i}@bench.tandem.test`,
    firstName: "Agent",
    lastName: `No ${i}`,
    password: agentPassword,
    maxSessions: maxima[i % maxima.length]!,
  }));
  const created = await pooled(specs, 6, async (s, i) => {
    const r = await api(url, token, "POST", "/api/admin/agents", s);
    if (r.status !== 201) throw new Error(`agent ${s.email}: ${r.status} ${JSON.stringify(r.body)}`);
    return {
      id: r.body.id as string,
      email: s.email,
      maxSessions: s.maxSessions,
      team: Math.floor(i / profile.teamSize),
    };
  });
  const ghost = created.pop()!;
  const teams: Team[] = [];
  for (let t = 0; t * profile.teamSize < created.length; t++) {
    const agents = created.slice(t * profile.teamSize, (t + 1) * profile.teamSize);
    const members = agents.map((a) => a.id);
    const portals = {
      button: `t${t}-button`,
      box: `t${t}-box`,
      match: `t${t}-match`,
      queue: `t${t}-queue`,
      phone: `t${t}-phone`,
    };
    const configs = [
      { id: portals.button, type: "smartButton", mode: "standard" },
      { id: portals.box, type: "smartBox", mode: "standard" },
      { id: portals.match, type: "smartMatch", mode: "standard" },
      { id: portals.queue, type: "smartBox", mode: "queue" },
      { id: portals.phone, type: "smartCode", mode: "phone" },
    ];
    for (const c of configs) {
      const r = await api(url, token, "POST", "/api/admin/portals", { ...c, members });
      if (r.status !== 201) throw new Error(`portal ${c.id}: ${r.status} ${JSON.stringify(r.body)}`);
    }
    teams.push({ index: t, agents, portals });
  }
  const expiry = await api(url, token, "POST", "/api/admin/portals", {
    id: "expiry",
    type: "smartButton",
    mode: "standard",
    members: [ghost.id],
  });
  if (expiry.status !== 201) throw new Error(`portal expiry: ${expiry.status}`);
  return { teams, agents: created, expiryPortal: "expiry" };
}
