// Opens the SQLite file in WAL mode and brings its schema up to date with the versioned migrations below.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";

export type Db = Database.Database;

/**
 * Schema migrations, applied in order; `PRAGMA user_version` records how many have run.
 * Append new ones at the end; never edit one that has shipped.
 */
export const migrations: readonly string[] = [
  // 1: accounts, configuration, the event log, history, transcripts, transfers, diagnostics.
  `
  CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role TEXT NOT NULL CHECK (role IN ('agent', 'admin')),
    first_name TEXT NOT NULL DEFAULT '',
    last_name TEXT NOT NULL DEFAULT '',
    password_hash TEXT,
    password_changed_at INTEGER,
    must_change INTEGER NOT NULL DEFAULT 0,
    email_validated INTEGER NOT NULL DEFAULT 1,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE agent_configs (
    agent_id TEXT PRIMARY KEY REFERENCES accounts(id),
    config TEXT NOT NULL
  );
  CREATE TABLE portals (
    id TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    config TEXT NOT NULL
  );
  CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  CREATE TABLE auth_tokens (
    token_hash TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    kind TEXT NOT NULL CHECK (kind IN ('session', 'reset')),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
  );
  CREATE INDEX auth_tokens_account ON auth_tokens(account_id);
  CREATE TABLE boots (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at INTEGER NOT NULL,
    seed INTEGER NOT NULL
  );
  CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    boot INTEGER NOT NULL REFERENCES boots(id),
    seq INTEGER NOT NULL,
    at INTEGER NOT NULL,
    type TEXT NOT NULL,
    body TEXT NOT NULL
  );
  CREATE TABLE sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL,
    boot INTEGER NOT NULL,
    request_id TEXT NOT NULL,
    portal_id TEXT NOT NULL,
    first_agent_id TEXT NOT NULL,
    owner_id TEXT NOT NULL,
    customer_name TEXT NOT NULL,
    language TEXT NOT NULL,
    question TEXT,
    started_at INTEGER NOT NULL,
    ended_at INTEGER,
    resolution TEXT,
    extra TEXT,
    end_reason TEXT,
    closed_by TEXT
  );
  CREATE INDEX sessions_session_id ON sessions(session_id);
  CREATE TABLE transcript (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_row INTEGER NOT NULL REFERENCES sessions(id),
    line_no INTEGER NOT NULL,
    at INTEGER NOT NULL,
    kind TEXT NOT NULL,
    author TEXT NOT NULL,
    text TEXT NOT NULL,
    customer_visible INTEGER NOT NULL
  );
  CREATE INDEX transcript_session ON transcript(session_row);
  CREATE TABLE transfers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_row INTEGER NOT NULL REFERENCES sessions(id),
    at INTEGER NOT NULL,
    from_agent TEXT NOT NULL,
    target TEXT NOT NULL,
    comments TEXT NOT NULL,
    outcome TEXT NOT NULL DEFAULT 'pending',
    to_agent TEXT
  );
  CREATE TABLE diagnostics (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_row INTEGER NOT NULL REFERENCES sessions(id),
    session_id TEXT NOT NULL,
    agent_id TEXT NOT NULL,
    requested_at INTEGER NOT NULL,
    outcome TEXT,
    answered_at INTEGER
  );
  `,
  // 2 (issue 7, server/tools): the tools audit log and the list of transferred files (R-T1, R-S2, R-M2).
  `
  CREATE TABLE tool_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL,
    at INTEGER NOT NULL,
    tool TEXT NOT NULL,
    action TEXT NOT NULL,
    actor TEXT NOT NULL,
    detail TEXT NOT NULL
  );
  CREATE INDEX tool_events_session ON tool_events(session_id);
  CREATE TABLE file_transfers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL,
    transfer_id INTEGER NOT NULL,
    purpose TEXT NOT NULL,
    direction TEXT NOT NULL,
    name TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT,
    outcome TEXT NOT NULL DEFAULT 'offered',
    started_at INTEGER NOT NULL,
    ended_at INTEGER
  );
  CREATE INDEX file_transfers_session ON file_transfers(session_id);
  `,
  // The agent console's preferences (R-L1 sections and columns, alerts, chat), remembered per agent on the server.
  `
  CREATE TABLE agent_preferences (
    agent_id TEXT PRIMARY KEY REFERENCES accounts(id),
    preferences TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );
  `,
  // 4 (issue 7, server/tools): files are found by their place in the offer (folders of thousands of files).
  `
  ALTER TABLE file_transfers ADD COLUMN file_index INTEGER;
  CREATE INDEX file_transfers_transfer ON file_transfers(session_id, transfer_id, file_index);
  `,
];

export function openDb(dataDir: string): Db {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, "tandem.sqlite"));
  db.pragma("journal_mode = WAL");
  // NORMAL in WAL mode: a commit survives a killed process (the OS has the pages); only power loss may lose the last ones.
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  migrate(db);
  return db;
}

export function migrate(db: Db): void {
  const version = db.pragma("user_version", { simple: true }) as number;
  for (let i = version; i < migrations.length; i++) {
    db.transaction(() => {
      db.exec(migrations[i]!);
      db.pragma(`user_version = ${i + 1}`);
    })();
  }
}
