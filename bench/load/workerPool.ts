// The coordinator's side of the load-generator workers: start N worker threads (worker.ts), each with its share of
// the agents and of the customers, and call them with small request/answer messages.
import { Worker } from "node:worker_threads";
import type { Loose } from "./clients.ts";
import type { Profile } from "./profiles.ts";
import type { Organisation, SeededAgent } from "./seed.ts";

export interface WorkerInit {
  index: number;
  workers: number;
  url: string;
  wsUrl: string;
  profile: Profile;
  org: Organisation;
  /** This worker's agents (every worker knows the whole organisation's portals). */
  agents: SeededAgent[];
}

export interface LoadWorker {
  index: number;
  call<T = Loose>(type: string, args?: Record<string, unknown>): Promise<T>;
  terminate(): Promise<number>;
}

export function startWorkers(
  n: number,
  base: Omit<WorkerInit, "index" | "workers" | "agents">,
  onError: (err: Error) => void,
): LoadWorker[] {
  const entry = new URL("./worker.ts", import.meta.url).href;
  return Array.from({ length: n }, (_, index) => {
    const init: WorkerInit & { entry: string } = {
      ...base,
      index,
      workers: n,
      // Agents round-robin, so that every team has agents in every worker.
      agents: base.org.agents.filter((_, i) => i % n === index),
      entry,
    };
    const worker = new Worker(new URL("./workerBoot.mjs", import.meta.url), { workerData: init });
    const waiting = new Map<number, { resolve: (v: Loose) => void; reject: (e: Error) => void }>();
    let ids = 0;
    worker.on("message", (m: Loose) => {
      const w = waiting.get(m.id);
      if (!w) return;
      waiting.delete(m.id);
      if (m.ok) w.resolve(m);
      else w.reject(new Error(`worker ${index}: ${m.error}`));
    });
    worker.on("error", (err) => {
      onError(err);
      for (const w of waiting.values()) w.reject(err);
      waiting.clear();
    });
    return {
      index,
      call: (type, args = {}) =>
        new Promise((resolve, reject) => {
          const id = ++ids;
          waiting.set(id, { resolve, reject });
          worker.postMessage({ id, type, ...args });
        }),
      terminate: () => worker.terminate(),
    };
  });
}
