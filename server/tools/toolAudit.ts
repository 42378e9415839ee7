// The tools' audit trail: every grant, refusal, revocation, request and transfer is a row of `tool_events`, and the
// ones a person should read are also a line of the session's transcript (R-S2); transferred files are listed (R-T1).
import type { Db } from "../store/db.ts";

// biome-ignore lint/suspicious/noExplicitAny: SQLite rows, read by column name
type Row = Record<string, any>;

export interface ToolEventRow {
  id: number;
  sessionId: string;
  at: number;
  tool: string;
  action: string;
  actor: string;
  detail: Record<string, unknown>;
}

export interface TransferredFile {
  sessionId: string;
  transferId: number;
  purpose: string;
  direction: "hostToAgent" | "agentToHost";
  name: string;
  size: number;
  sha256: string | null;
  outcome: string;
  startedAt: number;
  endedAt: number | null;
}

export class ToolAudit {
  constructor(private readonly db: Db) {}

  /** One audit row; with `line`, also a transcript line that the customer sees unless `customerVisible` is false. */
  record(
    e: {
      sessionId: string;
      at: number;
      tool: string;
      action: string;
      actor: string;
      detail?: Record<string, unknown>;
    },
    line?: string,
    customerVisible = true,
  ): { lineNo: number; at: number; text: string } | undefined {
    this.db
      .prepare(
        "INSERT INTO tool_events (session_id, at, tool, action, actor, detail) VALUES (?, ?, ?, ?, ?, ?)",
      )
      .run(e.sessionId, e.at, e.tool, e.action, e.actor, JSON.stringify(e.detail ?? {}));
    return line ? this.line(e.sessionId, e.at, line, customerVisible) : undefined;
  }

  /** A system line in the open session's transcript, numbered like the store's own system lines. */
  private line(
    sessionId: string,
    at: number,
    text: string,
    visible: boolean,
  ): { lineNo: number; at: number; text: string } | undefined {
    const row = this.db
      .prepare("SELECT id FROM sessions WHERE session_id = ? AND ended_at IS NULL ORDER BY id DESC LIMIT 1")
      .get(sessionId) as { id: number } | undefined;
    if (!row) return undefined;
    const { n } = this.db
      .prepare("SELECT COALESCE(MAX(line_no), 0) n FROM transcript WHERE session_row = ?")
      .get(row.id) as { n: number };
    this.db
      .prepare(
        "INSERT INTO transcript (session_row, line_no, at, kind, author, text, customer_visible) VALUES (?, ?, ?, 'system', '', ?, ?)",
      )
      .run(row.id, n, at, text, visible ? 1 : 0);
    return { lineNo: n, at, text };
  }

  fileOffered(f: Omit<TransferredFile, "sha256" | "outcome" | "endedAt">, fileIndex: number): void {
    this.db
      .prepare(
        "INSERT INTO file_transfers (session_id, transfer_id, file_index, purpose, direction, name, size, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      )
      .run(f.sessionId, f.transferId, fileIndex, f.purpose, f.direction, f.name, f.size, f.startedAt);
  }

  /** One file's outcome (`fileIndex`), or, with null, that of every file of the transfer not ended yet. */
  fileEnded(
    sessionId: string,
    transferId: number,
    fileIndex: number | null,
    outcome: string,
    at: number,
    sha256?: string,
  ): void {
    this.db
      .prepare(
        `UPDATE file_transfers SET outcome = ?, ended_at = ?, sha256 = COALESCE(?, sha256)
         WHERE session_id = ? AND transfer_id = ? AND (? IS NULL OR file_index = ?) AND ended_at IS NULL`,
      )
      .run(outcome, at, sha256 ?? null, sessionId, transferId, fileIndex, fileIndex);
  }

  /** The list of transferred files, newest first, for one session or all. */
  files(sessionId?: string, limit = 500): TransferredFile[] {
    const rows = (
      sessionId
        ? this.db
            .prepare("SELECT * FROM file_transfers WHERE session_id = ? ORDER BY id DESC LIMIT ?")
            .all(sessionId, limit)
        : this.db.prepare("SELECT * FROM file_transfers ORDER BY id DESC LIMIT ?").all(limit)
    ) as Row[];
    return rows.map((r) => ({
      sessionId: r.session_id,
      transferId: r.transfer_id,
      purpose: r.purpose,
      direction: r.direction,
      name: r.name,
      size: r.size,
      sha256: r.sha256,
      outcome: r.outcome,
      startedAt: r.started_at,
      endedAt: r.ended_at,
    }));
  }

  events(sessionId?: string, limit = 500): ToolEventRow[] {
    const rows = (
      sessionId
        ? this.db
            .prepare("SELECT * FROM tool_events WHERE session_id = ? ORDER BY id LIMIT ?")
            .all(sessionId, limit)
        : this.db.prepare("SELECT * FROM tool_events ORDER BY id DESC LIMIT ?").all(limit)
    ) as Row[];
    return rows.map((r) => ({
      id: r.id,
      sessionId: r.session_id,
      at: r.at,
      tool: r.tool,
      action: r.action,
      actor: r.actor,
      detail: JSON.parse(r.detail),
    }));
  }
}
