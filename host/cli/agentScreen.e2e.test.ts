// The agent's own screen shown to the customer, end to end over real sockets (R-S8, R-L4): the owner's tandem-host
// presents with the key of `screen.present`; the customer watches with the session's host key; the customer may stop
// it but only the agent restarts it; shared control goes the other way round (the customer drives the agent's input).
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import WebSocket from "ws";
import type { RgbaImage } from "../../protocol/frame/index.ts";
import { screenCloseCodes, screenProtocol } from "../../protocol/screen/index.ts";
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
import type { InputSink, RemoteInputEvent } from "../input/index.ts";
import { HostSession } from "./hostSession.ts";
import { samePixels, TestViewer, until } from "./testViewer.ts";

describe("the agent's screen shown to the customer", () => {
  let t: TestServer;
  let owner: Client;
  let ownerToken: string;
  let invitee: Client;
  let sessionId: string;
  let hostKey: string;
  let presenter: HostSession;
  const sent = new Map<number, RgbaImage>();
  const applied: RemoteInputEvent[] = [];
  const asked: string[] = [];
  const sink: InputSink = {
    apply: async (e) => void applied.push(e),
    releaseAll: async () => {},
    close: async () => {},
  };
  const screenUrl = () => t.screenUrl;
  const lastState = (v: TestViewer) => v.messages.filter((m) => m.type === "state").at(-1);

  beforeAll(async () => {
    t = await testServer();
    const ann = await addAgent(t, "ann");
    const ian = await addAgent(t, "ian");
    const portalId = addPortal(t, { type: "smartBox", mode: "standard", members: [ann.id] });
    ownerToken = await login(t.url, ann.email);
    owner = await Client.hello(t.wsUrl, { role: "agent", token: ownerToken });
    invitee = await Client.hello(t.wsUrl, { role: "agent", token: await login(t.url, ian.email) });
    const { c: customer, requestId } = await customerPost(t, { portalId, question: "show me how" });
    await owner.ok({ type: "request.answer", requestId });
    const joined = await customer.next((m) => m.type === "session.joined");
    sessionId = joined.sessionId;
    hostKey = joined.host.sessionKey;
    await owner.ok({ type: "session.invite", sessionId, to: { agentId: ian.id }, hidden: false });
    await invitee.ok({ type: "session.acceptInvite", sessionId });
  }, 30_000);

  afterAll(async () => {
    await presenter?.close();
    await t?.close();
  });

  test("R-S8: only the owner gets a presenter key, and only that key presents the agent's screen", async () => {
    const refused = await invitee.request({ type: "screen.present", sessionId });
    expect(refused).toMatchObject({ type: "error", reason: "Unauthorised" });
    const { data } = await owner.ok({ type: "screen.present", sessionId });
    expect(data.command).toContain(`--present`);
    expect(data.command).toContain(`--key ${data.key}`);
    // The same key again while the owner keeps the session (the command shown stays valid).
    expect((await owner.ok({ type: "screen.present", sessionId })).data.key).toBe(data.key);
    const withCustomerKey = new HostSession({
      screenUrl: screenUrl(),
      sessionId,
      key: hostKey,
      presenting: true,
      source: new SyntheticSource({ scene: "idle-cursor", width: 160, height: 120 }),
      consent: async ({ suggested }) => suggested,
    });
    await expect(withCustomerKey.start()).rejects.toThrow(/401/);
  });

  test("R-S8, R-L4: the agent consents, the customer sees the agent's screen bit-exact, the console shows the sharing", async () => {
    const { data } = await owner.ok({ type: "screen.present", sessionId });
    presenter = new HostSession({
      screenUrl: screenUrl(),
      sessionId,
      key: data.key,
      presenting: true,
      source: new SyntheticSource({ scene: "document-scroll", width: 320, height: 200 }),
      consent: async (q) => {
        asked.push(`${q.reason}:${q.presenting}`);
        return "control";
      },
      input: sink,
      framesPerSecondMax: 60,
      onSent: (seq, image) => sent.set(seq, image),
    });
    const customer = await TestViewer.open(t, sessionId, hostKey, "agent");
    expect(await presenter.start()).toBe(true);
    expect(asked).toEqual(["start:true"]);
    await owner.event("session.stateChanged", (e) => e.state === "sharingAgentScreen");
    await until(() => customer.applied.length >= 6, "six frames at the customer");
    expect(samePixels(customer.display, sent.get(customer.applied.at(-1)!)!)).toBe(true);
    expect(lastState(customer)).toMatchObject({ sharing: "on", level: "control", control: true });
    // The customer's host key opens only the agent's screen as a viewer, never the customer's own screen channel.
    await expect(TestViewer.open(t, sessionId, hostKey, "customer")).rejects.toThrow(/401/);
    customer.ws.close();
  });

  test("R-S8: under shared control the customer drives the agent's input; the agents' own input is refused", async () => {
    const customer = await TestViewer.open(t, sessionId, hostKey, "agent");
    const agentViewer = await TestViewer.open(t, sessionId, ownerToken, "agent");
    await until(() => lastState(agentViewer)?.sharing === "on", "the owner sees the state");
    expect(lastState(agentViewer)).toMatchObject({ control: false });
    agentViewer.send({ type: "input.pointer", x: 5, y: 5, buttons: 0 });
    await until(
      () => agentViewer.messages.some((m) => m.type === "error" && m.reason === "NotAllowed"),
      "refusal",
    );
    customer.send({ type: "input.pointer", x: 30, y: 40, buttons: 0 });
    await until(() => applied.length >= 1, "the customer's input applied");
    expect(applied).toEqual([{ type: "pointer.move", x: 30, y: 40 }]);
    customer.ws.close();
    agentViewer.ws.close();
  });

  test("R-S8: the customer can stop the agent's screen but not restart it; the agent restarts it", async () => {
    const customer = await TestViewer.open(t, sessionId, hostKey, "agent");
    const agentViewer = await TestViewer.open(t, sessionId, ownerToken, "agent");
    await until(() => lastState(customer)?.sharing === "on", "sharing");
    customer.send({ type: "level", level: "view" });
    await until(
      () => customer.messages.some((m) => m.type === "error" && m.reason === "NotAllowed"),
      "level refused",
    );
    customer.send({ type: "sharing", action: "pause" });
    await until(() => lastState(customer)?.sharing === "paused", "paused by the customer");
    // Stop works while paused too; a later pause does not turn the stop back into a pause.
    customer.send({ type: "sharing", action: "stop" });
    await until(() => lastState(customer)?.sharing === "stopped", "stopped by the customer");
    await owner.event("session.stateChanged", (e) => e.state === "chatOnly");
    const states = customer.messages.filter((m) => m.type === "state").length;
    customer.send({ type: "sharing", action: "pause" });
    await until(
      () => customer.messages.filter((m) => m.type === "state").length > states,
      "the host's answer",
    );
    expect(lastState(customer)?.sharing).toBe("stopped");
    const before = customer.messages.filter((m) => m.type === "error").length;
    customer.send({ type: "sharing", action: "restart" });
    await until(() => customer.messages.filter((m) => m.type === "error").length > before, "restart refused");
    expect(customer.messages.at(-1)).toMatchObject({
      reason: "NotAllowed",
      message: /only the agent restarts/,
    });
    expect(presenter.sharing).toBe("stopped");
    // From the console (the owner's viewer): the agent's host asks the agent again, and the picture comes back.
    agentViewer.send({ type: "sharing", action: "restart" });
    await until(() => lastState(customer)?.sharing === "on", "restarted by the agent");
    expect(asked.at(-1)).toBe("restart:true");
    // The agent stops at their own machine, and starts again there.
    presenter.stopHere();
    await until(() => lastState(customer)?.sharing === "stopped", "stopped by the agent");
    expect(await presenter.restartHere()).toBe(true);
    await until(() => lastState(customer)?.sharing === "on", "on again");
    const from = customer.applied.length;
    await until(() => customer.applied.length >= from + 2, "frames after the restart");
    customer.ws.close();
    agentViewer.ws.close();
  });

  test("the same viewer connecting again is not held back by its old socket (a reconnect after a dropped network)", async () => {
    // The old socket takes frames and never acknowledges them, as one left half-open by a dropped network.
    const silent = new WebSocket(`${screenUrl()}?session=${sessionId}&role=viewer&source=agent`, [
      screenProtocol,
      `auth.${hostKey}`,
    ]);
    let got = 0;
    silent.on("message", (_data, binary) => void (binary && got++));
    await until(() => got >= 2, "the silent viewer holds the host's frames");
    const again = await TestViewer.open(t, sessionId, hostKey, "agent");
    await until(
      () => again.applied.length >= 3,
      "frames for the newcomer, long before any ack timeout",
      5_000,
    );
    again.ws.close();
    silent.close();
  });

  test("R-S8: when the agent's host goes away the screen is stopped, and asking its host for anything says so", async () => {
    const customer = await TestViewer.open(t, sessionId, hostKey, "agent");
    const agentViewer = await TestViewer.open(t, sessionId, ownerToken, "agent");
    await presenter.close();
    await until(() => lastState(customer)?.sharing === "stopped", "stopped");
    agentViewer.send({ type: "sharing", action: "restart" });
    await until(
      () => agentViewer.messages.some((m) => m.type === "error" && m.reason === "NotSharing"),
      "NotSharing",
    );
    // The agent runs tandem-host again: the customer sees the screen again.
    presenter = new HostSession({
      screenUrl: screenUrl(),
      sessionId,
      key: (await owner.ok({ type: "screen.present", sessionId })).data.key,
      presenting: true,
      source: new SyntheticSource({ scene: "document-scroll", width: 320, height: 200 }),
      consent: async () => "view",
      framesPerSecondMax: 60,
    });
    expect(await presenter.start()).toBe(true);
    await until(() => lastState(customer)?.sharing === "on", "on again");
    customer.ws.close();
    agentViewer.ws.close();
  });

  test("R-S8: after a transfer the former owner's screen is no longer shown, and their key no longer presents", async () => {
    const { data } = await owner.ok({ type: "screen.present", sessionId });
    const tom = await addAgent(t, "tom");
    const newOwner = await Client.hello(t.wsUrl, { role: "agent", token: await login(t.url, tom.email) });
    await owner.ok({ type: "session.transfer", sessionId, to: { agentId: tom.id } });
    await newOwner.ok({ type: "session.acceptTransfer", sessionId });
    await until(() => presenter.sharing === "closed", "the former owner's host disconnected");
    const again = new HostSession({
      screenUrl: screenUrl(),
      sessionId,
      key: data.key,
      presenting: true,
      source: new SyntheticSource({ scene: "idle-cursor", width: 160, height: 120 }),
      consent: async ({ suggested }) => suggested,
    });
    await expect(again.start()).rejects.toThrow(/401/);
    // The new owner gets a key of their own; closing the session closes the agent's screen for everyone.
    const mine = (await newOwner.ok({ type: "screen.present", sessionId })).data.key;
    expect(mine).not.toBe(data.key);
    const customer = await TestViewer.open(t, sessionId, hostKey, "agent");
    await newOwner.ok({ type: "session.close", sessionId, resolution: "resolved" });
    await until(() => customer.closeCode === screenCloseCodes.SessionEnded, "session end");
  });
});

describe("a customer who left", () => {
  test("R-S8: no longer sees the agent's screen, and their key no longer opens it", async () => {
    const t = await testServer();
    try {
      const ann = await addAgent(t, "ann");
      const portalId = addPortal(t, { type: "smartBox", mode: "standard", members: [ann.id] });
      const owner = await Client.hello(t.wsUrl, { role: "agent", token: await login(t.url, ann.email) });
      const { c: customer, requestId } = await customerPost(t, { portalId, question: "bye" });
      await owner.ok({ type: "request.answer", requestId });
      const joined = await customer.next((m) => m.type === "session.joined");
      const { data } = await owner.ok({ type: "screen.present", sessionId: joined.sessionId });
      const presenter = new HostSession({
        screenUrl: t.screenUrl,
        sessionId: joined.sessionId,
        key: data.key,
        presenting: true,
        source: new SyntheticSource({ scene: "idle-cursor", width: 160, height: 120 }),
        consent: async () => "control",
      });
      expect(await presenter.start()).toBe(true);
      const viewer = await TestViewer.open(t, joined.sessionId, joined.host.sessionKey, "agent");
      await until(() => viewer.messages.some((m) => m.type === "state" && m.control), "control");
      await customer.ok({ type: "customer.leave", sessionId: joined.sessionId });
      await until(() => viewer.closeCode === screenCloseCodes.Unauthorised, "the customer's viewer closed");
      await expect(TestViewer.open(t, joined.sessionId, joined.host.sessionKey, "agent")).rejects.toThrow(
        /401/,
      );
      await presenter.close();
    } finally {
      await t.close();
    }
  });
});
