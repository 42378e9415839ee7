// WAL checkpoints on a worker thread with its own connection. SQLite's automatic checkpoint runs inside whichever
// COMMIT crosses 1,000 WAL pages and fsyncs: at 100 requests/s, when commits still ran on the event loop, that was a
// 20–80 ms stall two or three times a second, mostly its fsyncs; on the writer thread (`writer.ts`) it would hold
// every answer waiting for a commit as long. A PASSIVE checkpoint from another connection never blocks the writer.
// The WAL only starts over after a checkpoint in the writer's own connection (one that ends with nothing left to
// copy), so the writer's automatic checkpoint stays on, at ten times its usual size: a tenth of the stalls.
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type { Db } from "./db.ts";

const script = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma("busy_timeout = 5000");
const timer = setInterval(() => {
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch (err) {
    parentPort.postMessage(String(err));
  }
}, workerData.intervalMs);
parentPort.on("message", () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  /** Stops the worker and closes its connection (before the main connection closes, which checkpoints last). */
  stop(): Promise<void>;
}

/** Checkpoints `db` every `intervalMs` on a worker thread; the writer's automatic checkpoint is the backstop only. */
export function startCheckpointer(db: Db, intervalMs = 250): Checkpointer {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(script, { eval: true, workerData: { driver, file: db.name, intervalMs } });
  worker.on("message", (err) => console.error("store: checkpoint failed", err));
  worker.on("error", (err) => console.error("store: checkpointer failed", err));
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  worker.unref();
  return {
    stop: async () => {
      worker.ref();
      worker.postMessage("stop");
      await exited;
    },
  };
}
