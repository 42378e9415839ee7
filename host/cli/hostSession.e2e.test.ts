// Screen sharing end to end over real sockets (R-S8, R-D3, R-L4): the customer's host streams a synthetic desktop
// through the server's relay to the agent's viewer bit-exact; input flows only under shared control from the owner.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { RgbaImage } from "../../protocol/frame/index.ts";
import { screenCloseCodes } from "../../protocol/screen/index.ts";
import {
  addAgent,
  addPortal,
  Client,
  customerPost,
  login,
  type TestServer,
  testServer,
} from "../../server/testing.ts";
import { SyntheticSource } from "../capture/index.ts";
import { PALETTE_256 } from "../encoders/quantize256.ts";
import type { InputSink, RemoteInputEvent } from "../input/index.ts";
import { HostSession } from "./hostSession.ts";
import { samePixels, TestViewer, until } from "./testViewer.ts";

describe("screen sharing through the server", () => {
  let t: TestServer;
  let agent: Client;
  let token: string;
  let sessionId: string;
  let hostKey: string;
  let host: HostSession;
  const sent = new Map<number, RgbaImage>();
  const applied: RemoteInputEvent[] = [];
  const sink: InputSink = {
    apply: async (e) => void applied.push(e),
    releaseAll: async () => {},
    close: async () => {},
  };

  beforeAll(async () => {
    t = await testServer();
    const ann = await addAgent(t, "ann");
    const portalId = addPortal(t, { type: "smartBox", mode: "standard", members: [ann.id] });
    token = await login(t.url, ann.email);
    agent = await Client.hello(t.wsUrl, { role: "agent", token });
    const { c: customer, requestId } = await customerPost(t, { portalId, question: "my screen is weird" });
    await agent.ok({ type: "request.answer", requestId });
    const joined = await customer.next((m) => m.type === "session.joined");
    sessionId = joined.sessionId;
    hostKey = joined.host.sessionKey;
  }, 30_000);

  afterAll(async () => {
    await host?.close();
    await t?.close();
  });

  test("R-S8: the host shares only after the customer's consent, and a wrong key is refused", async () => {
    const refused = new HostSession({
      screenUrl: t.screenUrl,
      sessionId,
      key: hostKey,
      source: new SyntheticSource({ scene: "terminal-typing", width: 320, height: 200 }),
      consent: async () => null,
    });
    expect(await refused.start()).toBe(false);
    const forged = new HostSession({
      screenUrl: t.screenUrl,
      sessionId,
      key: "0".repeat(32),
      source: new SyntheticSource({ scene: "terminal-typing", width: 320, height: 200 }),
      consent: async ({ suggested }) => suggested,
    });
    await expect(forged.start()).rejects.toThrow(/401/);
  });

  test("R-D3: frames reach the owner's viewer bit-exact through the relay, and R-L4 shows the sharing", async () => {
    host = new HostSession({
      screenUrl: t.screenUrl,
      sessionId,
      key: hostKey,
      source: new SyntheticSource({ scene: "terminal-typing", width: 320, height: 200 }),
      consent: async ({ suggested }) => suggested,
      level: "control",
      input: sink,
      framesPerSecondMax: 60,
      onSent: (seq, image) => sent.set(seq, image),
    });
    const viewer = await TestViewer.open(t, sessionId, token);
    expect(await host.start()).toBe(true);
    await agent.event("session.stateChanged", (e) => e.state === "sharingCustomerScreen");
    await until(() => viewer.applied.length >= 8, "eight frames");
    const seq = viewer.applied.at(-1)!;
    expect(samePixels(viewer.display, sent.get(seq)!)).toBe(true);
    expect(viewer.messages.find((m) => m.type === "state" && m.sharing === "on")).toMatchObject({
      level: "control",
      control: true,
    });
    viewer.ws.close();
  });

  test("R-S8: input from the owner is applied under shared control; after a switch to view only it is refused", async () => {
    const viewer = await TestViewer.open(t, sessionId, token);
    await until(() => viewer.messages.some((m) => m.type === "state" && m.control === true), "control state");
    viewer.send({ type: "input.pointer", x: 10, y: 20, buttons: 1 });
    viewer.send({ type: "input.key", key: "a", down: true });
    await until(() => applied.length >= 3, "input applied");
    expect(applied.slice(0, 3)).toEqual([
      { type: "pointer.move", x: 10, y: 20 },
      { type: "pointer.button", button: 1, down: true },
      { type: "key", keysym: 0x61, down: true },
    ]);
    viewer.send({ type: "level", level: "view" });
    await until(
      () => viewer.messages.some((m) => m.type === "state" && m.level === "view"),
      "view-only state",
    );
    viewer.send({ type: "input.pointer", x: 1, y: 1, buttons: 0 });
    await until(
      () => viewer.messages.some((m) => m.type === "error" && m.reason === "NotAllowed"),
      "refusal",
    );
    expect(applied).toHaveLength(3);
    viewer.ws.close();
  });

  test("R-V6: the owner's 256-colour preference reaches the host, which starts over with a key frame of palette colours", async () => {
    const viewer = await TestViewer.open(t, sessionId, token);
    await until(() => viewer.messages.some((m) => m.type === "state" && m.sharing === "on"), "sharing");
    const keyFrames = host.stats.keyFrames;
    viewer.send({ type: "colours", colours: "256" });
    await until(() => host.stats.keyFrames > keyFrames, "a key frame in the new mode");
    const from = viewer.applied.length;
    await until(() => viewer.applied.length >= from + 3, "frames after the switch");
    // Every pixel the viewer holds is one of the palette's (the picture started over from the key frame).
    const pixels = new Uint32Array(viewer.display.pixels.slice().buffer);
    const palette = new Set(PALETTE_256);
    expect(pixels.every((p) => palette.has((p | 0xff000000) >>> 0))).toBe(true);
    viewer.send({ type: "colours", colours: "true" });
    viewer.ws.close();
  });

  test("an agent outside the session cannot watch; closing the session closes the screen channel", async () => {
    const bob = await addAgent(t, "bob");
    await expect(TestViewer.open(t, sessionId, await login(t.url, bob.email))).rejects.toThrow(/401/);
    const viewer = await TestViewer.open(t, sessionId, token);
    await agent.ok({ type: "session.close", sessionId, resolution: "resolved" });
    await until(() => viewer.closeCode === screenCloseCodes.SessionEnded, "session end");
  });
});
