// The store: accounts, configuration, tokens, the append-only domain event log and the history/transcript projections.
// Writes are queued into this turn's batch and run on the writer thread (`writer.ts`), one transaction per batch, so a
// caller can wrap a floor dispatch and its writes in one atomic unit; reads run here, after the writes before them.
import { createHash } from "node:crypto";
import type Database from "better-sqlite3";
import type { AgentConfig, AgentId, PortalConfig, RecordedEvent } from "../../actors/index.ts";
import type { TranscriptLine } from "../../protocol/messages/index.ts";
import type { Db } from "./db.ts";
import { eventJson } from "./eventJson.ts";
import { type SqlValue, StoreWriter } from "./writer.ts";

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

/** Runs one answer that waited for a commit; one that throws does not keep the others from running. */
function runAnswer(fn: () => void): void {
  try {
    fn();
  } catch (err) {
    console.error("store: after-commit work failed", err);
  }
}

export class Store {
  boot = 0;
  /** Open sessions of this boot: 9-digit id → history row. */
  private readonly openRows = new Map<string, number>();
  /** Open sessions of this boot: 9-digit id → the number of its newest transcript line (system lines repeat it). */
  private readonly lastLineNo = new Map<string, number>();
  /** Row ids handed out here, not read back from an INSERT: the insert runs later, on the writer. */
  private nextSessionRow: number;
  private nextDiagnosticsId: number;

  /** Compiled statements by SQL text: compiling costs more than running most of them. */
  private readonly statements = new Map<string, Statement>();
  private readonly writer: StoreWriter;
  private batchScheduled = false;
  /** Answers waiting for the open batch, which has no id until it is posted. */
  private afterCommitQueue: Array<() => void> = [];
  /** Answers waiting for a posted batch, by its id. */
  private readonly afterBatch = new Map<number, Array<() => void>>();
  private lastCommitAt = Number.NEGATIVE_INFINITY;
  /** Where the outermost `tx` began in the writer's queue: a read inside it posts only what came before (`settle`). */
  private txDepth = 0;
  private txStart = 0;
  /**
   * Least time between two commits. Each COMMIT writes every page its turn dirtied to the WAL, and the checkpointer
   * copies them again: at 100 requests/s there were over a thousand turns a second, most rewriting the same few leaf
   * pages. Past this rate a turn's writes join the open batch and its answers wait at most this long.
   */
  commitGapMs = 4;

  constructor(readonly db: Db) {
    this.nextSessionRow = this.maxId("sessions") + 1;
    this.nextDiagnosticsId = this.maxId("diagnostics") + 1;
    this.writer = new StoreWriter(db.name);
    this.writer.onBatchDone = (id, failed) => this.batchDone(id, failed);
  }

  private maxId(table: "sessions" | "diagnostics" | "boots"): number {
    return (this.db.prepare(`SELECT COALESCE(MAX(id), 0) n FROM ${table}`).get() as { n: number }).n;
  }

  /** A statement for reading, once every write queued before it is committed: reads see their own writes. */
  query(text: string): Statement {
    this.settle();
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  /** Queues one write into this turn's batch (inside a `tx`, dropped if it throws); it runs on the writer thread. */
  put(sql: string, ...params: SqlValue[]): void {
    this.writer.run(sql, params);
    this.scheduleBatch();
  }

  /**
   * Runs `fn` atomically inside this event-loop turn's batch: if it throws, its writes are dropped. Group commit:
   * every write of one turn (of a few turns, under load: `commitGapMs`) shares one COMMIT, which costs far less than
   * a transaction per command; whoever must not speak before the data is on disk waits with `afterCommit`.
   */
  tx<T>(fn: () => T): T {
    const keep = this.writer.mark();
    if (this.txDepth++ === 0) this.txStart = keep;
    try {
      return fn();
    } catch (err) {
      this.writer.truncate(keep);
      throw err;
    } finally {
      this.txDepth--;
    }
  }

  private scheduleBatch(): void {
    if (this.batchScheduled) return;
    this.batchScheduled = true;
    const waitMs = this.lastCommitAt + this.commitGapMs - performance.now();
    if (waitMs > 0) setTimeout(this.postBatch, waitMs);
    else setImmediate(this.postBatch);
  }

  /** Posts the open batch to the writer; the answers that waited for it now wait for its commit. */
  private readonly postBatch = (): number => {
    this.batchScheduled = false;
    this.lastCommitAt = performance.now();
    const id = this.writer.post();
    const waiting = this.afterCommitQueue;
    this.afterCommitQueue = [];
    for (const fn of waiting) this.whenCommitted(id, fn);
    return id;
  };

  private whenCommitted(id: number, fn: () => void): void {
    if (this.writer.reported(id)) return runAnswer(fn);
    const waiting = this.afterBatch.get(id);
    if (waiting) waiting.push(fn);
    else this.afterBatch.set(id, [fn]);
  }

  /**
   * Posts what was queued before (before the outermost `tx`, inside one, which may still throw) and blocks until the
   * writer has committed it: a read then sees every write made before it.
   */
  private settle(): void {
    const id = this.writer.post(this.txDepth > 0 ? this.txStart : this.writer.mark());
    if (id > 0) this.writer.wait(id);
  }

  /** Runs `fn` once the writes queued so far are committed (at once when none is outstanding). */
  afterCommit(fn: () => void): void {
    // Behind the open batch, or else the newest posted batch not yet reported, so that answers keep their order.
    if (this.writer.pending > 0 || this.afterCommitQueue.length > 0) this.afterCommitQueue.push(fn);
    else this.whenCommitted(this.writer.unreported, fn);
  }

  private batchDone(id: number, failed: boolean): void {
    const waiting = this.afterBatch.get(id);
    if (!waiting) return;
    this.afterBatch.delete(id);
    // Nothing of a failed batch reached the disk, so nobody is told about it (the sockets see a missing answer).
    if (failed) return void console.error(`store: commit failed, ${waiting.length} answers withheld`);
    for (const fn of waiting) runAnswer(fn);
  }

  /** Commits what is queued and runs what waited for it, before returning. */
  commit(): void {
    const id = this.postBatch();
    if (id === 0) return;
    try {
      this.writer.wait(id);
    } finally {
      this.writer.reportUpTo(id);
    }
  }

  /** Commits what is queued, runs what waited for it, and stops the writer (before the database closes). */
  async close(): Promise<void> {
    this.commit();
    await this.writer.stop();
  }

  /** Records a new boot; sessions left open by the previous run are closed as interrupted (their live state is gone). */
  startBoot(seed: number, now: number): number {
    this.put(
      "UPDATE sessions SET ended_at = ?, resolution = 'unknown', end_reason = 'serverRestart' WHERE ended_at IS NULL",
      now,
    );
    this.boot = this.maxId("boots") + 1;
    this.put("INSERT INTO boots (id, started_at, seed) VALUES (?, ?, ?)", this.boot, now, seed);
    return this.boot;
  }

  // ——— accounts ———

  createAccount(
    a: Omit<Account, "passwordChangedAt"> & { passwordChangedAt?: number | null },
    now: number,
  ): void {
    this.put(
      `INSERT INTO accounts (id, email, role, first_name, last_name, password_hash, password_changed_at, must_change,
          email_validated, disabled, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
    const r = this.query("SELECT * FROM accounts WHERE email = ?").get(email.trim());
    return r ? toAccount(r) : undefined;
  }

  accountById(id: string): Account | undefined {
    const r = this.query("SELECT * FROM accounts WHERE id = ?").get(id);
    return r ? toAccount(r) : undefined;
  }

  accounts(role: Role): Account[] {
    return this.query("SELECT * FROM accounts WHERE role = ? ORDER BY created_at, id")
      .all(role)
      .map(toAccount);
  }

  setPassword(id: string, hash: string, now: number, mustChange = false): void {
    this.put(
      "UPDATE accounts SET password_hash = ?, password_changed_at = ?, must_change = ? WHERE id = ?",
      hash,
      now,
      mustChange ? 1 : 0,
      id,
    );
  }

  updateAccount(
    id: string,
    patch: Partial<Pick<Account, "firstName" | "lastName" | "email" | "disabled">>,
  ): void {
    const a = this.accountById(id);
    if (!a) return;
    const next = { ...a, ...patch };
    this.put(
      "UPDATE accounts SET first_name = ?, last_name = ?, email = ?, disabled = ? WHERE id = ?",
      next.firstName,
      next.lastName,
      next.email,
      next.disabled ? 1 : 0,
      id,
    );
  }

  // ——— tokens (stored hashed: a copy of the database does not log anyone in) ———

  addToken(raw: string, accountId: string, kind: "session" | "reset", now: number, ttlMs: number): void {
    this.put(
      "INSERT INTO auth_tokens (token_hash, account_id, kind, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
      hashToken(raw),
      accountId,
      kind,
      now,
      now + ttlMs,
    );
  }

  /** The account behind a live, unused token of this kind. */
  tokenAccount(raw: string, kind: "session" | "reset", now: number): Account | undefined {
    const r = this.query(
      "SELECT account_id FROM auth_tokens WHERE token_hash = ? AND kind = ? AND used_at IS NULL AND expires_at > ?",
    ).get(hashToken(raw), kind, now) as { account_id: string } | undefined;
    return r ? this.accountById(r.account_id) : undefined;
  }

  /** Marks a token used; true only for the first caller (single use, R-A4). */
  consumeToken(raw: string, now: number): boolean {
    // Check, then mark: this thread alone queues writes, so nothing can use the token in between.
    const hash = hashToken(raw);
    const live = this.query(
      "SELECT 1 FROM auth_tokens WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?",
    ).get(hash, now);
    if (!live) return false;
    this.put("UPDATE auth_tokens SET used_at = ? WHERE token_hash = ?", now, hash);
    return true;
  }

  revokeTokens(accountId: string, kind: "session" | "reset", now: number): void {
    this.put(
      "UPDATE auth_tokens SET used_at = ? WHERE account_id = ? AND kind = ? AND used_at IS NULL",
      now,
      accountId,
      kind,
    );
  }

  // ——— configuration (R-M1) ———

  agentConfigs(): AgentConfig[] {
    return this.query(
      "SELECT config FROM agent_configs JOIN accounts ON accounts.id = agent_id ORDER BY accounts.created_at, agent_id",
    )
      .all()
      .map((r: Row) => JSON.parse(r.config));
  }

  putAgentConfig(config: AgentConfig): void {
    this.put(
      "INSERT INTO agent_configs (agent_id, config) VALUES (?, ?) ON CONFLICT(agent_id) DO UPDATE SET config = excluded.config",
      config.id,
      JSON.stringify(config),
    );
  }

  /** The console preferences an agent saved, as the JSON object they sent, or undefined. */
  agentPreferences(agentId: string): Record<string, unknown> | undefined {
    const row = this.query("SELECT preferences FROM agent_preferences WHERE agent_id = ?").get(agentId) as
      | Row
      | undefined;
    return row ? JSON.parse(row.preferences) : undefined;
  }

  putAgentPreferences(agentId: string, preferences: Record<string, unknown>, now: number): void {
    this.put(
      "INSERT INTO agent_preferences (agent_id, preferences, updated_at) VALUES (?, ?, ?) ON CONFLICT(agent_id) DO UPDATE SET preferences = excluded.preferences, updated_at = excluded.updated_at",
      agentId,
      JSON.stringify(preferences),
      now,
    );
  }

  portals(): PortalConfig[] {
    return this.query("SELECT config FROM portals ORDER BY position")
      .all()
      .map((r: Row) => JSON.parse(r.config));
  }

  putPortal(config: PortalConfig): void {
    const position = (this.query("SELECT COUNT(*) n FROM portals").get() as { n: number }).n;
    this.put(
      "INSERT INTO portals (id, position, config) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET config = excluded.config",
      config.id,
      position,
      JSON.stringify(config),
    );
  }

  settings(): Record<string, unknown> {
    return Object.fromEntries(
      this.query("SELECT key, value FROM settings")
        .all()
        .map((r: Row) => [r.key, JSON.parse(r.value)]),
    );
  }

  putSettings(values: Record<string, unknown>): void {
    for (const [k, v] of Object.entries(values))
      this.put(
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        k,
        JSON.stringify(v),
      );
  }

  // ——— the event log and its projections ———

  /** Appends one domain event and updates history, transcripts and transfers from it. */
  record(e: RecordedEvent, nameOf: (id: AgentId) => string): void {
    this.put(
      "INSERT INTO events (boot, seq, at, type, body) VALUES (?, ?, ?, ?, ?)",
      this.boot,
      e.seq,
      e.at,
      e.type,
      eventJson(e),
    );
    this.project(e, nameOf);
  }

  /** A system line in an open session's transcript, numbered like the store's own; undefined if it is not open. */
  systemLine(sessionId: string, at: number, text: string, visible: boolean): number | undefined {
    return this.line(sessionId, at, "system", "", text, visible);
  }

  /** Appends a transcript line to an open session and returns its number (undefined if the session is not open). */
  private line(
    sessionId: string,
    at: number,
    kind: TranscriptLine["kind"],
    author: string,
    text: string,
    visible: boolean,
    lineNo?: number,
  ): number | undefined {
    const row = this.openRows.get(sessionId);
    if (row === undefined) return undefined;
    const n = lineNo ?? this.lastLineNo.get(sessionId) ?? 0;
    this.lastLineNo.set(sessionId, Math.max(n, this.lastLineNo.get(sessionId) ?? 0));
    this.put(
      "INSERT INTO transcript (session_row, line_no, at, kind, author, text, customer_visible) VALUES (?, ?, ?, ?, ?, ?, ?)",
      row,
      n,
      at,
      kind,
      author,
      text,
      visible ? 1 : 0,
    );
    return n;
  }

  private project(e: RecordedEvent, nameOf: (id: AgentId) => string): void {
    switch (e.type) {
      case "session.started": {
        const row = this.nextSessionRow++;
        this.put(
          `INSERT INTO sessions (id, session_id, boot, request_id, portal_id, first_agent_id, owner_id, customer_name,
              language, question, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          row,
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
        this.openRows.set(e.sessionId, row);
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
        this.put(
          "INSERT INTO transfers (session_row, at, from_agent, target, comments) VALUES (?, ?, ?, ?, ?)",
          row,
          e.at,
          e.from,
          JSON.stringify(e.to),
          e.comments,
        );
        const to = "portalId" in e.to ? `portal ${e.to.portalId}` : nameOf(e.to.agentId);
        this.line(e.sessionId, e.at, "transfer", nameOf(e.from), `transfer requested to ${to}`, true);
        return;
      }
      case "transfer.cancelled": {
        const row = this.openRows.get(e.sessionId);
        if (row === undefined) return;
        this.put(
          "UPDATE transfers SET outcome = ? WHERE session_row = ? AND outcome = 'pending'",
          `cancelled:${e.reason}`,
          row,
        );
        this.line(e.sessionId, e.at, "transfer", "", `transfer cancelled (${e.reason})`, true);
        return;
      }
      case "session.ownerChanged": {
        const row = this.openRows.get(e.sessionId);
        if (row === undefined) return;
        this.put("UPDATE sessions SET owner_id = ? WHERE id = ?", e.to, row);
        if (e.reason === "transfer") {
          this.put(
            "UPDATE transfers SET outcome = 'accepted', to_agent = ? WHERE session_row = ? AND outcome = 'pending'",
            e.to,
            row,
          );
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
        this.put(
          "UPDATE sessions SET ended_at = ?, resolution = ?, extra = ?, end_reason = ?, closed_by = ? WHERE id = ?",
          e.at,
          e.resolution,
          e.extra,
          e.reason,
          e.by,
          row,
        );
        this.openRows.delete(e.sessionId);
        this.lastLineNo.delete(e.sessionId);
        return;
      }
    }
  }

  // ——— diagnostics (R-T3, R-M2) ———

  addDiagnostics(sessionId: string, agentId: string, now: number): number | undefined {
    const row = this.openRows.get(sessionId);
    if (row === undefined) return undefined;
    const id = this.nextDiagnosticsId++;
    this.put(
      "INSERT INTO diagnostics (id, session_row, session_id, agent_id, requested_at) VALUES (?, ?, ?, ?, ?)",
      id,
      row,
      sessionId,
      agentId,
      now,
    );
    return id;
  }

  answerDiagnostics(id: number, sessionId: string, outcome: string, now: number): boolean {
    const open = this.query(
      "SELECT 1 FROM diagnostics WHERE id = ? AND session_id = ? AND outcome IS NULL",
    ).get(id, sessionId);
    if (!open) return false;
    this.put("UPDATE diagnostics SET outcome = ?, answered_at = ? WHERE id = ?", outcome, now, id);
    return true;
  }

  diagnosticsLog(limit = 200): Row[] {
    return this.query("SELECT * FROM diagnostics ORDER BY id DESC LIMIT ?").all(limit);
  }

  // ——— reading the logs (R-M2) ———

  /** The newest history row for a 9-digit session id (ids are unique per boot; across boots the newest wins). */
  private sessionRow(sessionId: string): number | undefined {
    const open = this.openRows.get(sessionId);
    if (open !== undefined) return open;
    const r = this.query("SELECT id FROM sessions WHERE session_id = ? ORDER BY id DESC LIMIT 1").get(
      sessionId,
    ) as { id: number } | undefined;
    return r?.id;
  }

  /** Owner and first agent of the newest history row of a session id, for authorising reads of finished sessions. */
  pastSession(sessionId: string): { ownerId: string; firstAgentId: string } | undefined {
    const r = this.query(
      "SELECT owner_id, first_agent_id FROM sessions WHERE session_id = ? ORDER BY id DESC LIMIT 1",
    ).get(sessionId) as { owner_id: string; first_agent_id: string } | undefined;
    return r ? { ownerId: r.owner_id, firstAgentId: r.first_agent_id } : undefined;
  }

  transcript(sessionId: string, forCustomer: boolean): TranscriptLine[] {
    const row = this.sessionRow(sessionId);
    if (row === undefined) return [];
    return this.query(
      `SELECT line_no lineNo, at, kind, author, text FROM transcript WHERE session_row = ? ${forCustomer ? "AND customer_visible = 1" : ""} ORDER BY id`,
    ).all(row) as TranscriptLine[];
  }

  history(limit = 200, agentId?: string): HistoryRow[] {
    const rows = agentId
      ? this.query(
          "SELECT * FROM sessions WHERE owner_id = ? OR first_agent_id = ? ORDER BY id DESC LIMIT ?",
        ).all(agentId, agentId, limit)
      : this.query("SELECT * FROM sessions ORDER BY id DESC LIMIT ?").all(limit);
    const transfers = this.query("SELECT * FROM transfers WHERE session_row = ? ORDER BY id");
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
    return this.query(
      "SELECT id, boot, seq, at, type, body FROM events WHERE id > ? ORDER BY id LIMIT ?",
    ).all(afterId, limit);
  }
}
