// The asking side of the tools protocol's `ref`s, shared by both clients that speak it (host/tools/toolLink.ts in
// Node, viewer/console/tools/toolsLink.ts in the browser): requests waiting for their ack or error, and which closes
// end a link for good.
import { toolCloseCodes } from "./errors.ts";
import type { ToolServerMessage, ToolServerMessageOf } from "./messages.ts";

/** A refusal from the server (`tools.error`): `reason` is the protocol's (NotGranted, TooLarge, PeerAbsent …). */
export class ToolRefused extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

type Answer = ToolServerMessageOf<"tools.ack"> | ToolServerMessageOf<"tools.error">;

/** Requests sent with a `ref`, each waiting for the server's ack or error. */
export class PendingAnswers {
  private refs = 0;
  private readonly waiting = new Map<string, (a: Answer) => void>();

  /** `prefix` tells one client's refs from the other's in a log. */
  constructor(private readonly prefix: string) {}

  /** A fresh ref, and the promise of its answer: the ack's data, or a ToolRefused. */
  open(): { ref: string; answer: Promise<Record<string, unknown>> } {
    const ref = `${this.prefix}${++this.refs}`;
    const answer = new Promise<Record<string, unknown>>((resolve, reject) => {
      this.waiting.set(ref, (a) =>
        a.type === "tools.ack" ? resolve(a.data ?? {}) : reject(new ToolRefused(a.reason, a.message)),
      );
    });
    return { ref, answer };
  }

  /** Settles the request `m` answers; false when it answers none (not an answer, or not one of ours). */
  settle(m: ToolServerMessage): boolean {
    if ((m.type !== "tools.ack" && m.type !== "tools.error") || m.ref === undefined) return false;
    const settle = this.waiting.get(m.ref);
    if (!settle) return false;
    this.waiting.delete(m.ref);
    settle(m);
    return true;
  }

  /** Fails every request still waiting: the connection dropped, so their answers will never come. */
  dropAll(): void {
    for (const settle of this.waiting.values())
      settle({ type: "tools.error", reason: "Disconnected", message: "the connection dropped" });
    this.waiting.clear();
  }
}

const finalCloseCodes = new Set(Object.values(toolCloseCodes).filter((code) => code !== null));

/** The server closed for a refusal or the session's end (`toolCloseCodes`): reconnecting would not help. */
export const isFinalToolClose = (code: number): boolean => finalCloseCodes.has(code);
