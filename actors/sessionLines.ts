// Chat lines, private notes and pushed URLs (R-S1–S3): the bulk of a session's traffic, and no change of its state.
// The session's own rule says who may write (`lineRefusal`, on the session actor's current snapshot); the floor
// numbers the line and puts it on the stream. As an event of the session's state machine a line cost ≈ 15 µs and a
// new snapshot that lived until the session's next line, which made most of what each young-generation GC copied
// at 5,000 lines a second (issue 6, R-D2).
import type { SessionLineCommand } from "./commands.ts";
import type { DomainEvent } from "./events.ts";
import type { SessionId } from "./ids.ts";
import { lineRefusal, type SessionContext } from "./sessionMachine.ts";

export class SessionLines {
  /** The last line number of each open session: chat lines and URLs are numbered for the transcript (R-S2). */
  private readonly lastLineNo = new Map<SessionId, number>();

  /** The event a line causes: the line itself, or why it is refused. `session`: the open session's context. */
  take(c: SessionLineCommand, session: SessionContext | undefined): DomainEvent {
    if (!session) return rejected(c, "unknownSession", `no open session ${c.sessionId}`);
    const refusal = lineRefusal(
      session,
      c.type === "session.chat" ? c.from : { kind: "agent", agentId: c.agentId },
    );
    if (refusal) return rejected(c, refusal[0], `session ${c.sessionId}: ${refusal[1]}`);
    const sessionId = c.sessionId;
    switch (c.type) {
      case "session.chat":
        return { type: "chat.posted", sessionId, from: c.from, text: c.text, lineNo: this.number(sessionId) };
      case "session.pushUrl":
        return {
          type: "url.pushed",
          sessionId,
          agentId: c.agentId,
          url: c.url,
          lineNo: this.number(sessionId),
        };
      case "session.note":
        return { type: "note.added", sessionId, agentId: c.agentId, text: c.text };
    }
  }

  /** The session closed: its numbering goes with it. */
  forget(sessionId: SessionId): void {
    this.lastLineNo.delete(sessionId);
  }

  private number(sessionId: SessionId): number {
    const lineNo = (this.lastLineNo.get(sessionId) ?? 0) + 1;
    this.lastLineNo.set(sessionId, lineNo);
    return lineNo;
  }
}

function rejected(
  c: SessionLineCommand,
  reason: Extract<DomainEvent, { type: "command.rejected" }>["reason"],
  detail: string,
): DomainEvent {
  return { type: "command.rejected", command: c.type, commandId: c.commandId, reason, detail };
}
