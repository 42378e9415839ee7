// Chat lines, private notes and pushed URLs (R-S1–S3): the bulk of a session's traffic, and no change of its state.
// The session's own rule says who may write (`lineRefusal`, on the session actor's current snapshot); the floor
// numbers the line and puts it on the stream. As an event of the session's state machine a line cost ≈ 15 µs and a
// new snapshot that lived until the session's next line, which made most of what each young-generation GC copied
// at 5,000 lines a second (issue 6, R-D2).
import type { AnyActorRef } from "xstate";
import type { SessionLineCommand } from "./commands.ts";
import type { DomainEvent } from "./events.ts";
import type { SessionId } from "./ids.ts";
import { lineRefusal, type SessionContext } from "./sessionMachine.ts";

interface OpenSession {
  actor: AnyActorRef;
  /** Chat lines and URLs are numbered for the transcript (R-S2); notes are not. */
  lastLineNo: number;
}

export class SessionLines {
  /**
   * Open sessions by id, from `session.started` to `session.closed`. The gateway looks a session up several times a
   * chat line, and `system.get` with a key built each time cost ≈ 1 µs a lookup among 13,000 actors.
   */
  private readonly open = new Map<SessionId, OpenSession>();

  opened(sessionId: SessionId, actor: AnyActorRef): void {
    this.open.set(sessionId, { actor, lastLineNo: 0 });
  }

  /** The session closed: its actor and its numbering go with it. */
  closed(sessionId: SessionId): void {
    this.open.delete(sessionId);
  }

  /** The open session's context, while it is open. */
  context(sessionId: SessionId): SessionContext | undefined {
    return this.open.get(sessionId)?.actor.getSnapshot().context;
  }

  /** The event a line causes: the line itself, or why it is refused. */
  take(c: SessionLineCommand): DomainEvent {
    const session = this.open.get(c.sessionId);
    const snapshot = session?.actor.getSnapshot();
    if (!session || snapshot.status !== "active") {
      return rejected(c, "unknownSession", `no open session ${c.sessionId}`);
    }
    const context: SessionContext = snapshot.context;
    const refusal = lineRefusal(
      context,
      c.type === "session.chat" ? c.from : { kind: "agent", agentId: c.agentId },
    );
    if (refusal) return rejected(c, refusal[0], `session ${c.sessionId}: ${refusal[1]}`);
    const sessionId = c.sessionId;
    switch (c.type) {
      case "session.chat":
        return { type: "chat.posted", sessionId, from: c.from, text: c.text, lineNo: ++session.lastLineNo };
      case "session.pushUrl":
        return {
          type: "url.pushed",
          sessionId,
          agentId: c.agentId,
          url: c.url,
          lineNo: ++session.lastLineNo,
        };
      case "session.note":
        return { type: "note.added", sessionId, agentId: c.agentId, text: c.text };
    }
  }
}

function rejected(
  c: SessionLineCommand,
  reason: Extract<DomainEvent, { type: "command.rejected" }>["reason"],
  detail: string,
): DomainEvent {
  return { type: "command.rejected", command: c.type, commandId: c.commandId, reason, detail };
}
