// `npm run agent -- <email> <password> [server]`: a terminal agent for trying the flows before the console exists.
// It prints alerts and chat; type `yes <n>` to answer request n, `say <text>`, `url <url>`, `close [resolution]`, `code <portal>`.
import { createInterface } from "node:readline";
import WebSocket from "ws";

const [email, password, server = "http://localhost:8080"] = process.argv.slice(2);
if (!email || !password) {
  console.error("usage: npm run agent -- <email> <password> [http://localhost:8080]");
  process.exit(2);
}
const res = await fetch(`${server}/api/login`, {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ email, password }),
});
const body = (await res.json()) as { token?: string; message?: string };
if (!body.token) {
  console.error(body.message ?? `login failed (${res.status})`);
  process.exit(1);
}
const ws = new WebSocket(`${server.replace(/^http/, "ws")}/ws`);
const requests: string[] = [];
let session: string | null = null;
ws.on("open", () =>
  ws.send(JSON.stringify({ type: "hello", protocol: 1, role: "agent", token: body.token })),
);
ws.on("close", (code) => {
  console.log(`disconnected (${code})`);
  process.exit(0);
});
ws.on("message", (data) => {
  const m = JSON.parse(String(data));
  if (m.type === "welcome") return console.log(`connected as ${email}; waiting for requests…`);
  if (m.type === "error") return console.log(`! ${m.reason}: ${m.message}`);
  if (m.type === "ack" && m.data?.display)
    return console.log(`code ${m.data.display} — quick URL ${m.data.quickUrl}`);
  if (m.type === "agent.state") {
    for (const r of m.incoming) {
      requests.push(r.requestId);
      console.log(
        `[${requests.length}] waiting request from ${r.customer.name}: ${r.customer.question ?? ""}  (type: yes ${requests.length})`,
      );
    }
    return;
  }
  if (m.type !== "event") return;
  const e = m.event;
  switch (e.type) {
    case "alert.raised":
    case "offer.made":
      if (e.requestId) {
        requests.push(e.requestId);
        const c = e.request?.customer ?? {};
        console.log(
          `[${requests.length}] ${e.colour ?? "offer"} request from ${c.name ?? "?"}: ${c.question ?? ""}  (type: yes ${requests.length})`,
        );
      } else if (e.sessionId) console.log(`${e.colour} alert for session ${e.sessionId}`);
      return;
    case "session.started":
      session = e.sessionId;
      return console.log(`session ${e.sessionId} with ${e.customer.name} started — type: say <text>`);
    case "chat.posted":
      return console.log(`${e.from.kind === "customer" ? "customer" : e.from.agentId}: ${e.text}`);
    case "session.closed":
      return console.log(`session ${e.sessionId} closed (${e.resolution})`);
    case "customer.left":
      return console.log("the customer left");
  }
});
let n = 0;
const send = (m: Record<string, unknown>) => ws.send(JSON.stringify({ ...m, ref: String(++n) }));
createInterface({ input: process.stdin }).on("line", (line) => {
  const [cmd, ...rest] = line.trim().split(" ");
  const arg = rest.join(" ");
  if (cmd === "yes") send({ type: "request.answer", requestId: requests[Number(arg) - 1] ?? arg });
  else if (cmd === "say" && session) send({ type: "chat.send", sessionId: session, text: arg });
  else if (cmd === "url" && session) send({ type: "url.push", sessionId: session, url: arg });
  else if (cmd === "close" && session)
    send({ type: "session.close", sessionId: session, resolution: arg || "resolved" });
  else if (cmd === "code") send({ type: "code.create", portalId: arg || "phone" });
  else if (cmd === "away") send({ type: "agent.setAvailable", available: false });
  else if (cmd === "back") send({ type: "agent.setAvailable", available: true });
  else
    console.log(
      "commands: yes <n> | say <text> | url <url> | close [resolved|notResolved|unknown] | code <portal> | away | back",
    );
});
