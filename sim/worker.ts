// A worker thread of the seed pool: runs the seeds it is sent and posts each result back.
import { parentPort, workerData } from "node:worker_threads";
import { runJobSeed, type WorkerJob } from "./pool.ts";

const job = workerData as WorkerJob;
parentPort!.on("message", (m: { seed: number; keepSeries: boolean }) => {
  parentPort!.postMessage(runJobSeed(job, m.seed, m.keepSeries));
});
