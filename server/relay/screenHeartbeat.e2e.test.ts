// The screen channel notices a link that died without a close (a dropped network, a sleeping laptop): every socket is
// pinged each heartbeat, and one that never answered is cut, so its viewer stops holding the host's frames (R-D3).
import { afterAll, beforeAll, expect, test } from "vitest";
import { WebSocket } from "ws";
import { screenProtocol } from "../../protocol/screen/index.ts";
import { addAgent, addPortal, Client, customerPost, login, type TestServer, testServer } from "../testing.ts";

let t: TestServer;
let token: string;
let sessionId: string;

beforeAll(async () => {
  t = await testServer({}, { gateway: { heartbeatIntervalMs: 150 } });
  const ann = await addAgent(t, "ann");
  const portalId = addPortal(t, { type: "smartBox", mode: "standard", members: [ann.id] });
  token = await login(t.url, ann.email);
  const agent = await Client.hello(t.wsUrl, { role: "agent", token });
  const { c: customer, requestId } = await customerPost(t, { portalId, question: "frozen screen" });
  await agent.ok({ type: "request.answer", requestId });
  sessionId = (await customer.next((m) => m.type === "session.joined")).sessionId;
}, 30_000);

afterAll(async () => {
  await t?.close();
});

/** A viewer socket; `answersPings: false` stands for a peer whose network went away. */
const viewer = (answersPings: boolean) =>
  new Promise<{ ws: WebSocket; closed: Promise<number> }>((resolve, reject) => {
    const url = `${t.screenUrl}?session=${sessionId}&role=viewer`;
    const ws = new WebSocket(url, [screenProtocol, `auth.${token}`], { autoPong: answersPings });
    const closed = new Promise<number>((done) => ws.once("close", (code) => done(code)));
    ws.once("open", () => resolve({ ws, closed }));
    ws.once("error", reject);
  });

test("R-D3: a screen socket that stops answering pings is cut; one that answers stays", async () => {
  const [silent, alive] = await Promise.all([viewer(false), viewer(true)]);
  const code = await silent.closed;
  expect(code).toBe(1006); // terminated: no close frame, as for a dead link
  await new Promise((r) => setTimeout(r, 500)); // three more heartbeats
  expect(alive.ws.readyState).toBe(WebSocket.OPEN);
  alive.ws.close();
});
