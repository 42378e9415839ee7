// `npm start`: the Tandem server on PORT with its data in DATA_DIR; a demo organisation on an empty database.

import { admissionOptionsFromEnv } from "./admission/index.ts";
import { createDemo } from "./demo.ts";
import { startServer, type TandemServerInternals } from "./server.ts";

const env = process.env;
const port = Number(env.PORT ?? 8080);
const dataDir = env.DATA_DIR ?? "./data";
const log = (line: string) => console.log(line);

const server = (await startServer({
  port,
  host: env.HOST ?? "0.0.0.0",
  dataDir,
  ...(env.PUBLIC_URL ? { publicUrl: env.PUBLIC_URL } : {}),
  smtp: env.SMTP_HOST
    ? {
        host: env.SMTP_HOST,
        port: Number(env.SMTP_PORT ?? 587),
        secure: env.SMTP_SECURE === "1",
        from: env.SMTP_FROM ?? "tandem@localhost",
        ...(env.SMTP_USER ? { user: env.SMTP_USER, pass: env.SMTP_PASS ?? "" } : {}),
      }
    : null,
  log,
  shutdownDeadlineMs: 5_000,
  // Issue 6: TANDEM_CONNECTIONS_MAX etc. (server/admission) and METRICS_TOKEN / METRICS_LOOPBACK=0 (server/metrics).
  admission: admissionOptionsFromEnv(env),
  metrics: { metricsToken: env.METRICS_TOKEN || null, metricsLoopbackAllowed: env.METRICS_LOOPBACK !== "0" },
})) as TandemServerInternals;

const empty = server.store.accounts("agent").length === 0 && server.store.accounts("admin").length === 0;
if (empty && env.TANDEM_DEMO !== "0") {
  for (const line of await createDemo(server)) log(line);
} else if (empty) {
  log("Empty database. Create an administrator: npm run admin -- create <email>");
}
// Printed last: once it shows, the server is ready (tests wait for this line).
log(`Tandem listening on ${server.url} (data in ${dataDir})`);

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  log(`${signal}: stopping (telling clients, flushing)…`);
  // Exit within 10 s whatever happens.
  setTimeout(() => process.exit(1), 9_000).unref();
  void server.close().then(() => {
    log("stopped");
    process.exit(0);
  });
};
process.on("SIGTERM", () => stop("SIGTERM"));
process.on("SIGINT", () => stop("SIGINT"));
