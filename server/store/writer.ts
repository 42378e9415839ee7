// The store's writes, run on a worker thread with its own connection (R-D2, issue 6). At 100 requests/s with 5,000
// chat lines/s the event log's inserts, their projections and the COMMITs took ≈ 17 % of the event loop; here the
// loop only queues each write and posts a batch per commit, and the worker runs the batch as one transaction. Whoever
// must not speak before the data is on disk waits for the batch's commit (`Store.afterCommit`); a read waits for
// every batch posted before it (`settle`), so the main connection reads its own writes as it always did.
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/** A statement's parameters, as better-sqlite3 binds them. */
export type SqlValue = string | number | bigint | null;

const script = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma("synchronous = NORMAL");
db.pragma("foreign_keys = ON");
db.pragma("busy_timeout = 5000");
db.pragma("wal_autocheckpoint = 10000");
const progress = new Int32Array(workerData.progress);
const statements = [];
parentPort.on("message", (m) => {
  if (m.type === "stop") {
    db.close();
    parentPort.close();
    return;
  }
  for (const [id, sql] of m.define) statements[id] = sql;
  const errors = [];
  let failed = false;
  try {
    db.exec("BEGIN");
    for (const op of m.ops) {
      try {
        let statement = statements[op[0]];
        if (typeof statement === "string") statement = statements[op[0]] = db.prepare(statement);
        statement.run(...op.slice(1));
      } catch (err) {
        errors.push(String(err && err.message || err));
      }
    }
    db.exec("COMMIT");
  } catch (err) {
    failed = true;
    errors.push("commit: " + String(err && err.message || err));
    try { if (db.inTransaction) db.exec("ROLLBACK"); } catch {}
  }
  if (failed) Atomics.store(progress, 1, m.id);
  Atomics.store(progress, 0, m.id);
  Atomics.notify(progress, 0);
  parentPort.postMessage({ id: m.id, failed, errors });
});
`;

/** How long a read may wait for the writer before the store gives up on it (a stuck disk, a dead worker). */
const settleTimeoutMs = 30_000;

export class StoreWriterFailed extends Error {
  readonly _tag = "StoreWriterFailed";
}

/** Queues statements into batches; each batch runs on the worker as one transaction. */
export class StoreWriter {
  private readonly worker: Worker;
  /** [0]: the last batch the worker finished; [1]: the last one whose COMMIT failed. Written by the worker. */
  private readonly progress = new Int32Array(new SharedArrayBuffer(8));
  private readonly statementIds = new Map<string, number>();
  /** Statements the worker has not been sent yet: it compiles each once, by id. */
  private unsent: Array<[number, string]> = [];
  private ops: Array<[number, ...SqlValue[]]> = [];
  /** Statements ever queued, and ever posted: a `mark` stays valid while earlier statements are posted. */
  private queued = 0;
  private posted = 0;
  private lastPosted = 0;
  private lastHandled = 0;
  private exited = false;
  private readonly exitedPromise: Promise<void>;
  /** Told when a batch is committed (`failed` false) or not (true), in batch order, on the event loop. */
  onBatchDone: (id: number, failed: boolean) => void = () => {};

  constructor(file: string) {
    const driver = createRequire(import.meta.url).resolve("better-sqlite3");
    this.worker = new Worker(script, {
      eval: true,
      workerData: { driver, file, progress: this.progress.buffer },
    });
    this.worker.on("message", (m: { id: number; failed: boolean; errors: string[] }) => {
      for (const e of m.errors) console.error(`store: write failed in batch ${m.id}: ${e}`);
      this.done(m.id, m.failed);
    });
    this.worker.on("error", (err) => console.error("store: writer failed", err));
    this.exitedPromise = new Promise<void>((resolve) =>
      this.worker.once("exit", () => {
        this.exited = true;
        resolve();
      }),
    );
    // An idle writer does not keep the process alive; `stop` waits for it.
    this.worker.unref();
  }

  /** Queues one statement into the open batch. */
  run(sql: string, params: SqlValue[]): void {
    let id = this.statementIds.get(sql);
    if (id === undefined) {
      id = this.statementIds.size;
      this.statementIds.set(sql, id);
      this.unsent.push([id, sql]);
    }
    this.ops.push([id, ...params]);
    this.queued++;
  }

  /** Statements queued and not yet posted. */
  get pending(): number {
    return this.ops.length;
  }

  /** A point in the queue, for `truncate` and `post`. */
  mark(): number {
    return this.queued;
  }

  /** Drops the statements queued after `mark` (a transaction that threw); they were not posted. */
  truncate(mark: number): void {
    this.ops.length = Math.max(0, mark - this.posted);
    this.queued = mark;
  }

  /** Posts the statements queued before `upTo` as one batch; returns its id (the newest id when there is none). */
  post(upTo = this.queued): number {
    const count = upTo - this.posted;
    if (count <= 0) return this.lastPosted;
    if (this.exited) throw new StoreWriterFailed("the store's writer has stopped");
    const ops = count === this.ops.length ? this.ops : this.ops.slice(0, count);
    this.ops = count === this.ops.length ? [] : this.ops.slice(count);
    this.posted = upTo;
    this.lastPosted++;
    this.worker.postMessage({ type: "batch", id: this.lastPosted, define: this.unsent, ops });
    this.unsent = [];
    return this.lastPosted;
  }

  /** The newest posted batch `onBatchDone` has not been told of yet, or 0: what a new answer must wait behind. */
  get unreported(): number {
    return this.lastHandled < this.lastPosted ? this.lastPosted : 0;
  }

  /** Whether `onBatchDone` was told of batch `id` (0: no batch, nothing to wait for). */
  reported(id: number): boolean {
    return id <= this.lastHandled;
  }

  /**
   * Blocks until batch `id` is finished (committed or failed); throws when it failed. Its `onBatchDone` still comes
   * on the event loop, so that no answer is sent from inside a caller's read.
   */
  wait(id: number): void {
    const deadline = Date.now() + settleTimeoutMs;
    for (;;) {
      const done = Atomics.load(this.progress, 0);
      if (done >= id) break;
      if (this.exited || Date.now() > deadline) throw new StoreWriterFailed(`batch ${id} was not written`);
      Atomics.wait(this.progress, 0, done, 100);
    }
    if (Atomics.load(this.progress, 1) === id) throw new StoreWriterFailed(`batch ${id} was not committed`);
  }

  /** Tells `onBatchDone` once per batch (a batch `stop` waited for may also be reported by its message). */
  private done(id: number, failed: boolean): void {
    if (id <= this.lastHandled) return;
    this.lastHandled = id;
    this.onBatchDone(id, failed);
  }

  /** After `wait(id)`: tells `onBatchDone` now about every batch up to `id`, instead of on the event loop. */
  reportUpTo(id: number): void {
    const finished = Math.min(id, Atomics.load(this.progress, 0));
    for (let b = this.lastHandled + 1; b <= finished; b++) this.done(b, Atomics.load(this.progress, 1) === b);
  }

  /** Posts what is queued, waits for it, and stops the worker. */
  async stop(): Promise<void> {
    if (this.exited) return;
    const last = this.post();
    this.worker.ref();
    try {
      this.wait(last);
    } catch (err) {
      console.error("store: the last writes were not committed", err);
    }
    this.reportUpTo(last);
    this.worker.postMessage({ type: "stop" });
    await this.exitedPromise;
  }
}
