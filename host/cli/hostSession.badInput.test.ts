// What the host does with messages it cannot understand from the server (a newer server, a broken proxy): each is
// logged and left, and sharing goes on; a well-formed one after them still takes effect. A WebSocket server stands in
// for the real one, so the test can send what the real server never would.
import type { AddressInfo } from "node:net";
import { afterEach, expect, test } from "vitest";
import { WebSocketServer } from "ws";
import { screenProtocol } from "../../protocol/screen/index.ts";
import { SyntheticSource } from "../capture/index.ts";
import { HostSession } from "./hostSession.ts";
import { until } from "./testViewer.ts";

let server: WebSocketServer | undefined;
let host: HostSession | undefined;
afterEach(async () => {
  await host?.close();
  await new Promise((resolve) => server?.close(resolve));
});

test("R-S8: malformed or unknown messages from the server are logged and ignored; sharing goes on", async () => {
  server = new WebSocketServer({ port: 0, handleProtocols: () => screenProtocol });
  const fromHost: string[] = [];
  let frames = 0;
  const connected = new Promise<import("ws").WebSocket>((resolve) =>
    server!.on("connection", (ws) => {
      ws.on("message", (data, binary) => (binary ? frames++ : fromHost.push(String(data))));
      resolve(ws);
    }),
  );
  const logged: string[] = [];
  host = new HostSession({
    screenUrl: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/screen`,
    sessionId: "s1",
    key: "k",
    source: new SyntheticSource({ scene: "idle-cursor", width: 160, height: 100 }),
    consent: async ({ suggested }) => suggested,
    log: (line) => logged.push(line),
  });
  expect(await host.start()).toBe(true);
  const ws = await connected;
  await until(() => frames >= 1, "the key frame");
  for (const bad of [
    "not json",
    JSON.stringify({ type: "sharing", action: "explode" }),
    JSON.stringify({ type: "input.pointer", x: -5, y: 1, buttons: 0 }),
    JSON.stringify({ type: "level" }),
    JSON.stringify({ type: "mystery" }),
  ])
    ws.send(bad);
  // A well-formed message after them still works: the pause reaches the host, which reports it.
  ws.send(JSON.stringify({ type: "sharing", action: "pause" }));
  await until(() => fromHost.some((m) => JSON.parse(m).type === "stopped"), "the host's report of the pause");
  expect(host.sharing).toBe("paused");
  expect(logged.filter((l) => l.startsWith("ignored a message from the server"))).toHaveLength(5);
  expect(JSON.parse(fromHost.at(-1)!)).toMatchObject({ type: "stopped", paused: true });
});
