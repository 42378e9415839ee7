// The tools' audit trail: every grant, refusal, revocation, request and transfer is a row of `tool_events`, and the
// ones a person should read are also a line of the session's transcript (R-S2); transferred files are listed (R-T1).
import type { Store } from "../store/store.ts";

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
  constructor(private readonly store: Store) {}

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
    this.store.put(
      "INSERT INTO tool_events (session_id, at, tool, action, actor, detail) VALUES (?, ?, ?, ?, ?, ?)",
      e.sessionId,
      e.at,
      e.tool,
      e.action,
      e.actor,
      JSON.stringify(e.detail ?? {}),
    );
    if (!line) return undefined;
    const lineNo = this.store.systemLine(e.sessionId, e.at, line, customerVisible);
    return lineNo === undefined ? undefined : { lineNo, at: e.at, text: line };
  }

  fileOffered(f: Omit<TransferredFile, "sha256" | "outcome" | "endedAt">, fileIndex: number): void {
    this.store.put(
      "INSERT INTO file_transfers (session_id, transfer_id, file_index, purpose, direction, name, size, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      f.sessionId,
      f.transferId,
      fileIndex,
      f.purpose,
      f.direction,
      f.name,
      f.size,
      f.startedAt,
    );
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
    this.store.put(
      `UPDATE file_transfers SET outcome = ?, ended_at = ?, sha256 = COALESCE(?, sha256)
         WHERE session_id = ? AND transfer_id = ? AND (? IS NULL OR file_index = ?) AND ended_at IS NULL`,
      outcome,
      at,
      sha256 ?? null,
      sessionId,
      transferId,
      fileIndex,
      fileIndex,
    );
  }

  /** The list of transferred files, newest first, for one session or all. */
  files(sessionId?: string, limit = 500): TransferredFile[] {
    const rows = (
      sessionId
        ? this.store
            .query("SELECT * FROM file_transfers WHERE session_id = ? ORDER BY id DESC LIMIT ?")
            .all(sessionId, limit)
        : this.store.query("SELECT * FROM file_transfers ORDER BY id DESC LIMIT ?").all(limit)
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
        ? this.store
            .query("SELECT * FROM tool_events WHERE session_id = ? ORDER BY id LIMIT ?")
            .all(sessionId, limit)
        : this.store.query("SELECT * FROM tool_events ORDER BY id DESC LIMIT ?").all(limit)
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
