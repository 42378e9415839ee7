// Who pauses, stops and restarts the customer's screen, and what the agent's Current clock shows of it (R-S8, R-L4);
// annotations and the laser reaching every viewer, including one that joins later (R-V4); the configuration switch
// for changing the control level during a session (R-S8). Real server, real sockets, the real HostSession.
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { Annotation } from "../../protocol/annotations/index.ts";
import type { ControlLevel } from "../../protocol/screen/index.ts";
import {
  addAdmin,
  answeredSession,
  type Client,
  type Msg,
  type TestServer,
  testServer,
} from "../../server/testing.ts";
import { SyntheticSource } from "../capture/index.ts";
import type { ScreenQuestion } from "../tools/customerPrompt.ts";
import { HostSession } from "./hostSession.ts";
import { TestViewer, until } from "./testViewer.ts";

/** The customer's answers, given by the test when it chooses; each question is kept. */
class Customer {
  readonly questions: ScreenQuestion[] = [];
  private answer: ((level: ControlLevel | null) => void) | null = null;
  readonly consent = (q: ScreenQuestion) => {
    this.questions.push(q);
    return new Promise<ControlLevel | null>((resolve) => {
      this.answer = resolve;
    });
  };
  async says(level: ControlLevel | null): Promise<void> {
    await until(() => this.answer !== null, "a question to the customer");
    const answer = this.answer!;
    this.answer = null;
    answer(level);
  }
}

const stateOf = (viewer: TestViewer) => viewer.messages.filter((m) => m.type === "state").at(-1);

describe("sharing control through the server", () => {
  let t: TestServer;
  let agent: Client;
  let token: string;
  let sessionId: string;
  let hostKey: string;
  let customer: Customer;
  let host: HostSession;
  const told: string[] = [];
  let inked = 0;
  const clock = (state: string) =>
    agent.event("session.stateChanged", (e) => e.sessionId === sessionId && e.state === state);

  beforeEach(async () => {
    t = await testServer();
    ({ agent, token, sessionId, hostKey } = await answeredSession(t));
    customer = new Customer();
    told.length = 0;
    inked = 0;
    host = new HostSession({
      screenUrl: t.screenUrl,
      sessionId,
      key: hostKey,
      source: new SyntheticSource({ scene: "idle-cursor", width: 320, height: 200 }),
      consent: customer.consent,
      level: "control",
      framesPerSecondMax: 30,
      onRemoteSharing: (state) => told.push(state),
      onAnnotations: () => inked++,
    });
  }, 30_000);

  afterEach(async () => {
    await host?.close();
    await t?.close();
  });

  test("R-L4: connecting while the customer is asked, chat only after their no, sharing once they agree to the agent's new ask", async () => {
    const viewer = await TestViewer.open(t, sessionId, token);
    const started = host.start();
    await clock("connecting");
    await customer.says(null);
    expect(await started).toBe(false);
    await clock("chatOnly");
    await until(() => stateOf(viewer)?.sharing === "stopped", "the no, as a stop");
    viewer.send({ type: "sharing", action: "restart" });
    await customer.says("view");
    expect(customer.questions.map((q) => q.reason)).toEqual(["start", "restart"]);
    await clock("sharingCustomerScreen");
    await until(() => viewer.applied.length > 0, "frames after the yes");
    expect(told).toEqual(["sharing"]);
  });

  test("R-S8: the agent's pause is a pause and the agent's stop a stop, and the customer is told of each", async () => {
    const viewer = await TestViewer.open(t, sessionId, token);
    const started = host.start();
    await customer.says("control");
    expect(await started).toBe(true);
    await until(() => stateOf(viewer)?.sharing === "on", "sharing");
    viewer.send({ type: "sharing", action: "pause" });
    await until(() => stateOf(viewer)?.sharing === "paused", "paused");
    await clock("chatOnly");
    viewer.send({ type: "sharing", action: "restart" });
    await customer.says("control");
    await until(() => stateOf(viewer)?.sharing === "on", "on again");
    viewer.send({ type: "sharing", action: "stop" });
    await until(() => stateOf(viewer)?.sharing === "stopped", "stopped");
    expect(told).toEqual(["paused", "sharing", "stopped"]);
    expect(host.sharing).toBe("stopped");
  });

  test("R-S8: the customer pauses and resumes on their own machine; after their stop only the agent restarts", async () => {
    const viewer = await TestViewer.open(t, sessionId, token);
    const started = host.start();
    await customer.says("view");
    await started;
    await clock("sharingCustomerScreen");
    await until(() => viewer.applied.length > 0, "frames");
    expect(host.pauseHere()).toBe(true);
    await until(() => stateOf(viewer)?.sharing === "paused", "the customer's pause");
    await clock("chatOnly");
    const framesWhilePaused = host.stats.framesSent;
    expect(await host.resumeHere()).toBe(true);
    await until(() => stateOf(viewer)?.sharing === "on", "resumed by the customer");
    await clock("sharingCustomerScreen");
    await until(() => host.stats.framesSent > framesWhilePaused, "frames after the resume");
    host.stopHere();
    await until(() => stateOf(viewer)?.sharing === "stopped", "the customer's stop");
    expect(await host.resumeHere()).toBe(false); // a stop waits for the agent
    viewer.send({ type: "sharing", action: "restart" });
    await customer.says("view");
    await until(() => stateOf(viewer)?.sharing === "on", "restarted by the agent");
    // The agent's pause is not the customer's to lift.
    viewer.send({ type: "sharing", action: "pause" });
    await until(() => host.sharing === "paused", "the agent's pause");
    expect(await host.resumeHere()).toBe(false);
  });

  test("R-S8: a stop the agent asks for while the customer answers the first question is kept: nothing is shared", async () => {
    const viewer = await TestViewer.open(t, sessionId, token);
    const started = host.start();
    await clock("connecting");
    viewer.send({ type: "sharing", action: "stop" });
    // Ink sent after the stop reaches the host after it, on the same sockets: then the stop has been taken too.
    viewer.send({ type: "annotations", diff: { added: [], updated: [], removed: [], clear: true } });
    await until(() => inked > 0, "the stop to reach the host");
    await customer.says("control");
    expect(await started).toBe(false);
    await until(() => stateOf(viewer)?.sharing === "stopped", "stopped");
    expect(host.sharing).toBe("stopped");
    expect(told).toEqual(["stopped"]);
    expect(host.stats.framesSent).toBe(0);
  });

  test("R-S8: a level the customer agrees to after the agent paused waits for the restart; it does not turn the screen on", async () => {
    const viewer = await TestViewer.open(t, sessionId, token);
    const started = host.start();
    await customer.says("view");
    await started;
    await until(() => stateOf(viewer)?.sharing === "on", "sharing");
    viewer.send({ type: "level", level: "control" });
    await until(() => customer.questions.length === 2, "the level question");
    viewer.send({ type: "sharing", action: "pause" });
    await until(() => host.sharing === "paused", "the pause");
    await customer.says("control");
    viewer.send({ type: "sharing", action: "restart" });
    await until(() => customer.questions.length === 3, "the restart question");
    // Until the customer answers the restart, the screen stays paused.
    expect(stateOf(viewer)?.sharing).toBe("paused");
    expect(customer.questions[2]).toMatchObject({ reason: "restart", suggested: "control" });
    await customer.says("control");
    await until(
      () => stateOf(viewer)?.sharing === "on" && stateOf(viewer)?.level === "control",
      "on, in control",
    );
  });

  test("R-V4: a viewer joining later gets the annotations already drawn, and the laser reaches the other viewers", async () => {
    const first = await TestViewer.open(t, sessionId, token);
    const started = host.start();
    await customer.says("view");
    await started;
    const stroke = (id: string, author: string): Annotation => ({
      id,
      version: 1,
      kind: "pen",
      points: [10, 10, 40, 30],
      colour: "#1e5bff",
      author,
    });
    first.send({ type: "annotations", diff: { added: [stroke("a1", "ann")], updated: [], removed: [] } });
    host.sendAnnotations({ added: [stroke("c1", "customer")], updated: [], removed: [] });
    await until(
      () => first.messages.some((m) => m.type === "annotations" && m.diff.added[0]?.id === "c1"),
      "the customer's stroke",
    );
    // An invited agent, or the same agent after a reconnect, joins now.
    const later = await TestViewer.open(t, sessionId, token);
    await until(() => later.messages.some((m) => m.type === "state"), "the state");
    const ids = (m: Msg[]) =>
      m
        .filter((x) => x.type === "annotations")
        .flatMap((x) => x.diff.added.map((a: Annotation) => a.id))
        .sort();
    await until(() => ids(later.messages).length === 2, "both strokes");
    expect(ids(later.messages)).toEqual(["a1", "c1"]);
    first.send({ type: "laser", x: 50, y: 60 });
    await until(() => later.messages.some((m) => m.type === "laser" && m.x === 50 && m.y === 60), "laser");
    // A clear by anyone leaves nothing for the next one to join.
    first.send({ type: "annotations", diff: { added: [], updated: [], removed: [], clear: true } });
    await until(() => later.messages.some((m) => m.type === "annotations" && m.diff.clear), "the clear");
    const third = await TestViewer.open(t, sessionId, token);
    // What a joining viewer is owed comes before its key frame, on the same socket.
    await until(() => third.applied.length > 0, "the key frame");
    expect(third.messages.filter((m) => m.type === "annotations")).toEqual([]);
  });

  test("R-S8: with level switching turned off in the configuration, the owner's switch is refused and the level stays", async () => {
    const admin = await addAdmin(t);
    const setSwitch = async (on: boolean) => {
      const res = await fetch(`${t.url}/api/admin/settings`, {
        method: "PUT",
        headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
        body: JSON.stringify({ screenLevelSwitchEnabled: on }),
      });
      expect(res.status).toBe(200);
    };
    const viewer = await TestViewer.open(t, sessionId, token);
    const started = host.start();
    await customer.says("control");
    await started;
    await until(() => stateOf(viewer)?.level === "control", "control");
    await setSwitch(false);
    viewer.send({ type: "level", level: "view" });
    await until(() => viewer.messages.some((m) => m.type === "error"), "the refusal");
    expect(viewer.messages.find((m) => m.type === "error")).toMatchObject({
      reason: "NotAllowed",
      message: expect.stringMatching(/configuration/),
    });
    expect(customer.questions).toHaveLength(1); // the customer was never asked
    expect(stateOf(viewer)?.level).toBe("control");
    await setSwitch(true);
    viewer.send({ type: "level", level: "view" });
    await customer.says("view");
    await until(() => stateOf(viewer)?.level === "view", "view only");
  });
});
