// The store: accounts, configuration, tokens, the append-only domain event log and the history/transcript projections.
// Every method is synchronous (better-sqlite3), so a caller can wrap a floor dispatch and its writes in one transaction.
import { createHash } from "node:crypto";
import type Database from "better-sqlite3";
import type { AgentConfig, AgentId, PortalConfig, RecordedEvent } from "../../actors/index.ts";
import type { TranscriptLine } from "../../protocol/messages/index.ts";
import type { Db } from "./db.ts";
import { eventJson } from "./eventJson.ts";

type Statement = Database.Statement<unknown[]>;

export type Role = "agent" | "admin";

export interface Account {
  id: string;
  email: string;
  role: Role;
  firstName: string;
  lastName: string;
  passwordHash: string | null;
  passwordChangedAt: number | null;
  mustChange: boolean;
  emailValidated: boolean;
  disabled: boolean;
}

export interface HistoryRow {
  sessionId: string;
  requestId: string;
  portalId: string;
  firstAgentId: string;
  ownerId: string;
  customerName: string;
  language: string;
  question: string | null;
  startedAt: number;
  endedAt: number | null;
  resolution: string | null;
  extra: string | null;
  endReason: string | null;
  closedBy: string | null;
  transfers: Array<{
    at: number;
    from: string;
    target: string;
    comments: string;
    outcome: string;
    toAgent: string | null;
  }>;
}

export const hashToken = (raw: string) => createHash("sha256").update(raw).digest("hex");

// biome-ignore lint/suspicious/noExplicitAny: rows straight from SQLite
type Row = any;

function toAccount(r: Row): Account {
  return {
    id: r.id,
    email: r.email,
    role: r.role,
    firstName: r.first_name,
    lastName: r.last_name,
    passwordHash: r.password_hash,
    passwordChangedAt: r.password_changed_at,
    mustChange: r.must_change === 1,
    emailValidated: r.email_validated === 1,
    disabled: r.disabled === 1,
  };
}

export class Store {
  boot = 0;
  /** Open sessions of this boot: 9-digit id → history row. */
  private readonly openRows = new Map<string, number>();

  /** Compiled statements by SQL text: compiling costs more than running most of them. */
  private readonly statements = new Map<string, Statement>();
  private batchOpen = false;
  private afterCommitQueue: Array<() => void> = [];
  private lastCommitAt = Number.NEGATIVE_INFINITY;
  /**
   * Least time between two commits. Each COMMIT writes every page its turn dirtied to the WAL, and the checkpointer
   * copies them again: at 100 requests/s there were over a thousand turns a second, most rewriting the same few leaf
   * pages. Past this rate a turn's writes join the open transaction and its answers wait at most this long.
   */
  commitGapMs = 4;

  constructor(readonly db: Db) {}

  private sql(text: string): Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  /**
   * Runs `fn` atomically (a savepoint) inside this event-loop turn's transaction, opened here if none is. Group
   * commit: every write of one turn (of a few turns, under load: `commitGapMs`) shares one COMMIT at its end, which
   * costs far less than a transaction per command; whoever must not speak before the data is on disk waits with
   * `afterCommit`.
   */
  tx<T>(fn: () => T): T {
    this.openBatch();
    return this.db.transaction(fn)();
  }

  /**
   * Runs `fn` inside this turn's transaction without a savepoint of its own: for the floor's commands, whose events
   * are facts of the in-memory floor even when a command fails halfway, so the log keeps them (a savepoint per
   * command cost 4 % of the server's time at 100 requests/s).
   */
  write<T>(fn: () => T): T {
    this.openBatch();
    return fn();
  }

  private openBatch(): void {
    if (this.db.inTransaction) return;
    this.db.exec("BEGIN");
    this.batchOpen = true;
    const waitMs = this.lastCommitAt + this.commitGapMs - performance.now();
    if (waitMs > 0) setTimeout(this.commitNow, waitMs);
    else setImmediate(this.commitNow);
  }

  private readonly commitNow = () => this.commit();

  /** Runs `fn` once this turn's writes are committed (at once when nothing is pending). */
  afterCommit(fn: () => void): void {
    if (this.batchOpen) this.afterCommitQueue.push(fn);
    else fn();
  }

  /** Commits the turn's transaction and runs what waited for it; also called before the database closes. */
  commit(): void {
    if (!this.batchOpen) return;
    this.batchOpen = false;
    this.lastCommitAt = performance.now();
    const waiting = this.afterCommitQueue;
    this.afterCommitQueue = [];
    try {
      this.db.exec("COMMIT");
    } catch (err) {
      // Nothing of this turn reached the disk, so nobody is told about it (the sockets see a missing answer).
      if (this.db.inTransaction) this.db.exec("ROLLBACK");
      console.error(`store: commit failed, ${waiting.length} answers withheld`, err);
      return;
    }
    for (const fn of waiting) {
      try {
        fn();
      } catch (err) {
        console.error("store: after-commit work failed", err);
      }
    }
  }

  /** Records a new boot; sessions left open by the previous run are closed as interrupted (their live state is gone). */
  startBoot(seed: number, now: number): number {
    this.sql(
      "UPDATE sessions SET ended_at = ?, resolution = 'unknown', end_reason = 'serverRestart' WHERE ended_at IS NULL",
    ).run(now);
    this.boot = Number(
      this.sql("INSERT INTO boots (started_at, seed) VALUES (?, ?)").run(now, seed).lastInsertRowid,
    );
    return this.boot;
  }

  // ——— accounts ———

  createAccount(
    a: Omit<Account, "passwordChangedAt"> & { passwordChangedAt?: number | null },
    now: number,
  ): void {
    this.sql(
      `INSERT INTO accounts (id, email, role, first_name, last_name, password_hash, password_changed_at, must_change,
          email_validated, disabled, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      a.id,
      a.email,
      a.role,
      a.firstName,
      a.lastName,
      a.passwordHash,
      a.passwordChangedAt ?? (a.passwordHash ? now : null),
      a.mustChange ? 1 : 0,
      a.emailValidated ? 1 : 0,
      a.disabled ? 1 : 0,
      now,
    );
  }

  accountByEmail(email: string): Account | undefined {
    const r = this.sql("SELECT * FROM accounts WHERE email = ?").get(email.trim());
    return r ? toAccount(r) : undefined;
  }

  accountById(id: string): Account | undefined {
    const r = this.sql("SELECT * FROM accounts WHERE id = ?").get(id);
    return r ? toAccount(r) : undefined;
  }

  accounts(role: Role): Account[] {
    return this.sql("SELECT * FROM accounts WHERE role = ? ORDER BY created_at, id").all(role).map(toAccount);
  }

  setPassword(id: string, hash: string, now: number, mustChange = false): void {
    this.sql(
      "UPDATE accounts SET password_hash = ?, password_changed_at = ?, must_change = ? WHERE id = ?",
    ).run(hash, now, mustChange ? 1 : 0, id);
  }

  updateAccount(
    id: string,
    patch: Partial<Pick<Account, "firstName" | "lastName" | "email" | "disabled">>,
  ): void {
    const a = this.accountById(id);
    if (!a) return;
    const next = { ...a, ...patch };
    this.sql("UPDATE accounts SET first_name = ?, last_name = ?, email = ?, disabled = ? WHERE id = ?").run(
      next.firstName,
      next.lastName,
      next.email,
      next.disabled ? 1 : 0,
      id,
    );
  }

  // ——— tokens (stored hashed: a copy of the database does not log anyone in) ———

  addToken(raw: string, accountId: string, kind: "session" | "reset", now: number, ttlMs: number): void {
    this.sql(
      "INSERT INTO auth_tokens (token_hash, account_id, kind, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
    ).run(hashToken(raw), accountId, kind, now, now + ttlMs);
  }

  /** The account behind a live, unused token of this kind. */
  tokenAccount(raw: string, kind: "session" | "reset", now: number): Account | undefined {
    const r = this.sql(
      "SELECT account_id FROM auth_tokens WHERE token_hash = ? AND kind = ? AND used_at IS NULL AND expires_at > ?",
    ).get(hashToken(raw), kind, now) as { account_id: string } | undefined;
    return r ? this.accountById(r.account_id) : undefined;
  }

  /** Marks a token used; true only for the first caller (single use, R-A4). */
  consumeToken(raw: string, now: number): boolean {
    return (
      this.sql(
        "UPDATE auth_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?",
      ).run(now, hashToken(raw), now).changes === 1
    );
  }

  revokeTokens(accountId: string, kind: "session" | "reset", now: number): void {
    this.sql("UPDATE auth_tokens SET used_at = ? WHERE account_id = ? AND kind = ? AND used_at IS NULL").run(
      now,
      accountId,
      kind,
    );
  }

  // ——— configuration (R-M1) ———

  agentConfigs(): AgentConfig[] {
    return this.sql(
      "SELECT config FROM agent_configs JOIN accounts ON accounts.id = agent_id ORDER BY accounts.created_at, agent_id",
    )
      .all()
      .map((r: Row) => JSON.parse(r.config));
  }

  putAgentConfig(config: AgentConfig): void {
    this.sql(
      "INSERT INTO agent_configs (agent_id, config) VALUES (?, ?) ON CONFLICT(agent_id) DO UPDATE SET config = excluded.config",
    ).run(config.id, JSON.stringify(config));
  }

  /** The console preferences an agent saved, as the JSON object they sent, or undefined. */
  agentPreferences(agentId: string): Record<string, unknown> | undefined {
    const row = this.sql("SELECT preferences FROM agent_preferences WHERE agent_id = ?").get(agentId) as
      | Row
      | undefined;
    return row ? JSON.parse(row.preferences) : undefined;
  }

  putAgentPreferences(agentId: string, preferences: Record<string, unknown>, now: number): void {
    this.sql(
      "INSERT INTO agent_preferences (agent_id, preferences, updated_at) VALUES (?, ?, ?) ON CONFLICT(agent_id) DO UPDATE SET preferences = excluded.preferences, updated_at = excluded.updated_at",
    ).run(agentId, JSON.stringify(preferences), now);
  }

  portals(): PortalConfig[] {
    return this.sql("SELECT config FROM portals ORDER BY position")
      .all()
      .map((r: Row) => JSON.parse(r.config));
  }

  putPortal(config: PortalConfig): void {
    const position = (this.sql("SELECT COUNT(*) n FROM portals").get() as { n: number }).n;
    this.sql(
      "INSERT INTO portals (id, position, config) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET config = excluded.config",
    ).run(config.id, position, JSON.stringify(config));
  }

  settings(): Record<string, unknown> {
    return Object.fromEntries(
      this.sql("SELECT key, value FROM settings")
        .all()
        .map((r: Row) => [r.key, JSON.parse(r.value)]),
    );
  }

  putSettings(values: Record<string, unknown>): void {
    const put = this.sql(
      "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    );
    for (const [k, v] of Object.entries(values)) put.run(k, JSON.stringify(v));
  }

  // ——— the event log and its projections ———

  /** Appends one domain event and updates history, transcripts and transfers from it. */
  record(e: RecordedEvent, nameOf: (id: AgentId) => string): void {
    this.sql("INSERT INTO events (boot, seq, at, type, body) VALUES (?, ?, ?, ?, ?)").run(
      this.boot,
      e.seq,
      e.at,
      e.type,
      eventJson(e),
    );
    this.project(e, nameOf);
  }

  private line(
    sessionId: string,
    at: number,
    kind: TranscriptLine["kind"],
    author: string,
    text: string,
    visible: boolean,
    lineNo?: number,
  ) {
    const row = this.openRows.get(sessionId);
    if (row === undefined) return;
    const n =
      lineNo ??
      (
        this.sql("SELECT COALESCE(MAX(line_no), 0) n FROM transcript WHERE session_row = ?").get(row) as {
          n: number;
        }
      ).n;
    this.sql(
      "INSERT INTO transcript (session_row, line_no, at, kind, author, text, customer_visible) VALUES (?, ?, ?, ?, ?, ?, ?)",
    ).run(row, n, at, kind, author, text, visible ? 1 : 0);
  }

  private project(e: RecordedEvent, nameOf: (id: AgentId) => string): void {
    switch (e.type) {
      case "session.started": {
        const row = this.sql(
          `INSERT INTO sessions (session_id, boot, request_id, portal_id, first_agent_id, owner_id, customer_name, language,
              question, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          e.sessionId,
          this.boot,
          e.requestId,
          e.portalId,
          e.agentId,
          e.agentId,
          e.customer.name,
          e.customer.language,
          e.customer.question ?? null,
          e.at,
        );
        this.openRows.set(e.sessionId, Number(row.lastInsertRowid));
        this.line(e.sessionId, e.at, "system", "", `${nameOf(e.agentId)} joined`, true);
        return;
      }
      case "chat.posted":
        this.line(
          e.sessionId,
          e.at,
          "chat",
          e.from.kind === "customer" ? "customer" : nameOf(e.from.agentId),
          e.text,
          true,
          e.lineNo,
        );
        return;
      case "url.pushed":
        this.line(e.sessionId, e.at, "url", nameOf(e.agentId), e.url, true, e.lineNo);
        return;
      case "note.added":
        this.line(e.sessionId, e.at, "note", nameOf(e.agentId), e.text, false);
        return;
      case "participant.joined":
        this.line(
          e.sessionId,
          e.at,
          "system",
          "",
          `${nameOf(e.agentId)} joined${e.hidden ? " (hidden)" : ""}`,
          !e.hidden,
        );
        return;
      case "participant.left":
        this.line(e.sessionId, e.at, "system", "", `${nameOf(e.agentId)} left`, true);
        return;
      case "transfer.requested": {
        const row = this.openRows.get(e.sessionId);
        if (row === undefined) return;
        this.sql(
          "INSERT INTO transfers (session_row, at, from_agent, target, comments) VALUES (?, ?, ?, ?, ?)",
        ).run(row, e.at, e.from, JSON.stringify(e.to), e.comments);
        const to = "portalId" in e.to ? `portal ${e.to.portalId}` : nameOf(e.to.agentId);
        this.line(e.sessionId, e.at, "transfer", nameOf(e.from), `transfer requested to ${to}`, true);
        return;
      }
      case "transfer.cancelled": {
        const row = this.openRows.get(e.sessionId);
        if (row === undefined) return;
        this.sql("UPDATE transfers SET outcome = ? WHERE session_row = ? AND outcome = 'pending'").run(
          `cancelled:${e.reason}`,
          row,
        );
        this.line(e.sessionId, e.at, "transfer", "", `transfer cancelled (${e.reason})`, true);
        return;
      }
      case "session.ownerChanged": {
        const row = this.openRows.get(e.sessionId);
        if (row === undefined) return;
        this.sql("UPDATE sessions SET owner_id = ? WHERE id = ?").run(e.to, row);
        if (e.reason === "transfer") {
          this.sql(
            "UPDATE transfers SET outcome = 'accepted', to_agent = ? WHERE session_row = ? AND outcome = 'pending'",
          ).run(e.to, row);
          this.line(
            e.sessionId,
            e.at,
            "transfer",
            "",
            `transferred from ${nameOf(e.from)} to ${nameOf(e.to)}`,
            true,
          );
        }
        return;
      }
      case "customer.left":
        this.line(e.sessionId, e.at, "system", "", "the customer left", true);
        return;
      case "session.closed": {
        const row = this.openRows.get(e.sessionId);
        if (row === undefined) return;
        this.line(e.sessionId, e.at, "system", "", `session closed: ${e.resolution}`, true);
        this.sql(
          "UPDATE sessions SET ended_at = ?, resolution = ?, extra = ?, end_reason = ?, closed_by = ? WHERE id = ?",
        ).run(e.at, e.resolution, e.extra, e.reason, e.by, row);
        this.openRows.delete(e.sessionId);
        return;
      }
    }
  }

  // ——— diagnostics (R-T3, R-M2) ———

  addDiagnostics(sessionId: string, agentId: string, now: number): number | undefined {
    const row = this.openRows.get(sessionId);
    if (row === undefined) return undefined;
    return Number(
      this.sql(
        "INSERT INTO diagnostics (session_row, session_id, agent_id, requested_at) VALUES (?, ?, ?, ?)",
      ).run(row, sessionId, agentId, now).lastInsertRowid,
    );
  }

  answerDiagnostics(id: number, sessionId: string, outcome: string, now: number): boolean {
    return (
      this.sql(
        "UPDATE diagnostics SET outcome = ?, answered_at = ? WHERE id = ? AND session_id = ? AND outcome IS NULL",
      ).run(outcome, now, id, sessionId).changes === 1
    );
  }

  diagnosticsLog(limit = 200): Row[] {
    return this.sql("SELECT * FROM diagnostics ORDER BY id DESC LIMIT ?").all(limit);
  }

  // ——— reading the logs (R-M2) ———

  /** The newest history row for a 9-digit session id (ids are unique per boot; across boots the newest wins). */
  private sessionRow(sessionId: string): number | undefined {
    const open = this.openRows.get(sessionId);
    if (open !== undefined) return open;
    const r = this.sql("SELECT id FROM sessions WHERE session_id = ? ORDER BY id DESC LIMIT 1").get(
      sessionId,
    ) as { id: number } | undefined;
    return r?.id;
  }

  /** Owner and first agent of the newest history row of a session id, for authorising reads of finished sessions. */
  pastSession(sessionId: string): { ownerId: string; firstAgentId: string } | undefined {
    const r = this.sql(
      "SELECT owner_id, first_agent_id FROM sessions WHERE session_id = ? ORDER BY id DESC LIMIT 1",
    ).get(sessionId) as { owner_id: string; first_agent_id: string } | undefined;
    return r ? { ownerId: r.owner_id, firstAgentId: r.first_agent_id } : undefined;
  }

  transcript(sessionId: string, forCustomer: boolean): TranscriptLine[] {
    const row = this.sessionRow(sessionId);
    if (row === undefined) return [];
    return this.sql(
      `SELECT line_no lineNo, at, kind, author, text FROM transcript WHERE session_row = ? ${forCustomer ? "AND customer_visible = 1" : ""} ORDER BY id`,
    ).all(row) as TranscriptLine[];
  }

  history(limit = 200, agentId?: string): HistoryRow[] {
    const rows = agentId
      ? this.sql(
          "SELECT * FROM sessions WHERE owner_id = ? OR first_agent_id = ? ORDER BY id DESC LIMIT ?",
        ).all(agentId, agentId, limit)
      : this.sql("SELECT * FROM sessions ORDER BY id DESC LIMIT ?").all(limit);
    const transfers = this.sql("SELECT * FROM transfers WHERE session_row = ? ORDER BY id");
    return rows.map((r: Row) => ({
      sessionId: r.session_id,
      requestId: r.request_id,
      portalId: r.portal_id,
      firstAgentId: r.first_agent_id,
      ownerId: r.owner_id,
      customerName: r.customer_name,
      language: r.language,
      question: r.question,
      startedAt: r.started_at,
      endedAt: r.ended_at,
      resolution: r.resolution,
      extra: r.extra,
      endReason: r.end_reason,
      closedBy: r.closed_by,
      transfers: transfers.all(r.id).map((t: Row) => ({
        at: t.at,
        from: t.from_agent,
        target: t.target,
        comments: t.comments,
        outcome: t.outcome,
        toAgent: t.to_agent,
      })),
    }));
  }

  events(afterId = 0, limit = 500): Row[] {
    return this.sql("SELECT id, boot, seq, at, type, body FROM events WHERE id > ? ORDER BY id LIMIT ?").all(
      afterId,
      limit,
    );
  }
}
