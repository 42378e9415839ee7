// Worker threads do not inherit the main thread's `--import tsx` hooks on Node 20: register them, then load the
// TypeScript worker named in workerData.entry.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.entry);
