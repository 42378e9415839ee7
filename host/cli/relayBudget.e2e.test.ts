// The relay's per-viewer budget over real sockets (R-D3): a viewer that stops reading and acknowledging neither slows
// the host nor another viewer, is sent no more than its budget, and is brought back with a key frame when it reads
// again.

import { afterAll, beforeAll, describe, expect, test } from "vitest";
import WebSocket from "ws";
import { screenProtocol } from "../../protocol/screen/index.ts";
import { defaultRelayOptions } from "../../server/relay/frameRelay.ts";
import { answeredSession, type TestServer, testServer } from "../../server/testing.ts";
import { SyntheticSource } from "../capture/index.ts";
import { HostSession } from "./hostSession.ts";
import { TestViewer, until } from "./testViewer.ts";

describe("the relay's budget per viewer", () => {
  let t: TestServer;
  let host: HostSession;
  let token: string;
  let sessionId: string;

  beforeAll(async () => {
    t = await testServer();
    const answered = await answeredSession(t, "two of you are watching");
    ({ token, sessionId } = answered);
    host = new HostSession({
      screenUrl: t.screenUrl,
      sessionId,
      key: answered.hostKey,
      // Typing changes every frame: the host always has something to send.
      source: new SyntheticSource({ scene: "terminal-typing", width: 480, height: 300 }),
      consent: async ({ suggested }) => suggested,
      framesPerSecondMax: 60,
    });
  }, 30_000);

  afterAll(async () => {
    await host?.close();
    await t?.close();
  });

  test("R-D3: a viewer that stops reading gets no more than its budget while the other keeps the host's pace; reading again, it catches up from a key frame", async () => {
    const url = `${t.screenUrl}?session=${sessionId}&role=viewer`;
    // The stuck viewer: a socket that counts frames, acknowledges none, and then stops reading altogether.
    const stuck = new WebSocket(url, [screenProtocol, `auth.${token}`]);
    let stuckFrames = 0;
    stuck.on("message", (_, binary) => {
      if (binary) stuckFrames++;
    });
    await new Promise((resolve, reject) => stuck.once("open", resolve).once("error", reject));
    const good = await TestViewer.open(t, sessionId, token);
    expect(await host.start()).toBe(true);
    await until(() => stuckFrames >= 1 && good.applied.length >= 5, "the first frames to both");
    // It has not acknowledged these: the relay will send it nothing past its frames in flight.
    stuck.pause(); // ws stops reading its socket: what the server sends piles up in the kernel, then in its buffer
    const pausedAfter = good.applied.at(-1)!;
    const pausedAt = Date.now();
    const goodBefore = good.applied.length;
    await until(() => good.applied.length >= goodBefore + 60, "sixty more frames to the good viewer", 10_000);
    // Sixty frames reached the good viewer: the host, which goes on only as frames are taken by every viewer in
    // step, no longer waited for the stuck one.
    const resumedAfter = good.applied.at(-1)!;
    const pausedMs = Date.now() - pausedAt;

    // It reads again, and acknowledges from now on.
    const back = new TestViewer(stuck);
    stuck.resume();
    back.ws.send(JSON.stringify({ type: "needKey" }));
    await until(
      () => back.applied.some((seq) => seq > resumedAfter + 5),
      "frames to the viewer that came back",
      10_000,
    );
    // While it read nothing it was sent its frames in flight, and again only after a key frame asked for at once and
    // then after each wait of the resync back-off: that, not the host's pace, bounds the server's memory for it.
    const {
      viewerFramesInFlightMax: budget,
      viewerResyncBackoffMs,
      viewerResyncBackoffMaxMs,
    } = defaultRelayOptions;
    let resyncs = 1;
    for (let at = viewerResyncBackoffMs, wait = viewerResyncBackoffMs; at <= pausedMs; resyncs++) {
      wait = Math.min(2 * wait, viewerResyncBackoffMaxMs);
      at += wait;
    }
    const whilePaused = back.applied.filter((seq) => seq > pausedAfter && seq <= resumedAfter).length;
    expect(whilePaused).toBeLessThanOrEqual(budget * (1 + resyncs));
    expect(whilePaused).toBeLessThan(resumedAfter - pausedAfter);
    // And the good viewer never waited for it.
    await until(() => good.applied.length >= 75, "the good viewer still at the host's pace", 10_000);
  });
});
