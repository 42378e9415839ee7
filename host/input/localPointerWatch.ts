// Notices the owner moving their own mouse by polling the pointer and comparing it with where remote input last put it.
import type { QueryPointerReply } from "x11";
import type { DisplayConnection } from "../x11/connection.ts";
import type { PointerLedger } from "./pointerLedger.ts";

export interface LocalPointerWatchOptions {
  /** How often the pointer is asked for; a motion shorter than this between two polls can be missed. */
  readonly pollIntervalMs: number;
}

export const defaultLocalPointerWatchOptions: LocalPointerWatchOptions = { pollIntervalMs: 50 };

/**
 * XTEST motion and the query go over the same connection, so the server answers each QueryPointer after every
 * motion injected before it: a position other than the ledger's (as it was when the query left) can only come
 * from someone else — the owner's mouse. Pure polling needs no XInput2 or RECORD, which a pure-JS client would
 * have to parse by hand; its cost is one round trip per interval.
 */
export class LocalPointerWatch {
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(
    private readonly conn: DisplayConnection,
    private readonly ledger: PointerLedger,
    private readonly onLocalMotion: () => void,
    private readonly options: LocalPointerWatchOptions = defaultLocalPointerWatchOptions,
  ) {}

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => void this.poll(), this.options.pollIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One comparison; exposed so that tests can step it without timers. */
  async poll(): Promise<void> {
    if (this.polling || !this.conn.isOpen) return;
    this.polling = true;
    try {
      const expected = this.ledger.position;
      const version = this.ledger.version;
      const p = await this.conn.call<QueryPointerReply>((cb) =>
        this.conn.client.QueryPointer(this.conn.root, cb),
      );
      const seen = { x: p.rootX, y: p.rootY };
      if (expected !== undefined && (seen.x !== expected.x || seen.y !== expected.y)) this.onLocalMotion();
      this.ledger.observed(seen, version);
    } catch {
      // the connection is closing; the next poll (if any) tries again
    } finally {
      this.polling = false;
    }
  }
}
