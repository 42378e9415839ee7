// The remote-control gate on a real Xvfb: view-only drops input; the owner's own mouse pauses remote input until it is quiet (R-S8).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DisplayConnection } from "../x11/connection.ts";
import { waitUntil } from "../x11/testClient.ts";
import { findXvfb, startXvfb, type Xvfb } from "../x11/xvfb.ts";
import { RemoteControl } from "./remoteControl.ts";

const haveXvfb = findXvfb() !== undefined;
if (!haveXvfb) console.warn("SKIPPED remote-control tests: Xvfb is not installed (apt-get install xvfb)");

const QUIET_MS = 250;

describe.skipIf(!haveXvfb)("RemoteControl on Xvfb", () => {
  let xvfb: Xvfb;
  let owner: DisplayConnection; // stands for the customer's physical mouse
  let control: RemoteControl;

  const pointer = async () => {
    const p = await owner.call<{ rootX: number; rootY: number }>((cb) =>
      owner.client.QueryPointer(owner.root, cb),
    );
    return [p.rootX, p.rootY];
  };

  beforeAll(async () => {
    xvfb = await startXvfb();
    owner = await DisplayConnection.open({ display: xvfb.display, shm: false });
    control = await RemoteControl.open({
      display: xvfb.display,
      localInputQuietMs: QUIET_MS,
      pollIntervalMs: 20,
    });
  });
  afterAll(async () => {
    await control?.close();
    await owner?.close();
    await xvfb?.stop();
  });

  it("R-S8: view only drops remote input", async () => {
    const before = await pointer();
    const decision = await control.handle({ type: "pointer.move", x: 700, y: 700 });
    expect(decision).toEqual({ apply: false, reason: "view-only" });
    expect(await pointer()).toEqual(before);
  });

  // Injected motion travels on the control's own connection; the test's query on another connection can be answered
  // before it, so positions that must have changed are awaited, never raced.
  it("R-S8: shared control applies it; the owner's motion pauses it, and it resumes after the quiet period", async () => {
    control.policy.setLevel("shared-control");
    expect(await control.handle({ type: "pointer.move", x: 300, y: 300 })).toEqual({ apply: true });
    await waitUntil("the pointer at 300,300", async () => (await pointer()).join() === "300,300");

    // The owner grabs the mouse: motion the host did not cause.
    owner.client.WarpPointer(0, owner.root, 0, 0, 0, 0, 900, 500);
    await owner.sync();
    await waitUntil("the owner's motion to be noticed", () => control.policy.ownerActive());
    const blocked = await control.handle({ type: "pointer.move", x: 310, y: 310 });
    expect(blocked).toEqual({ apply: false, reason: "owner-active" });
    expect(await pointer()).toEqual([900, 500]);

    await waitUntil("the quiet period to pass", () => !control.policy.ownerActive(), 5 * QUIET_MS);
    expect(await control.handle({ type: "pointer.move", x: 320, y: 320 })).toEqual({ apply: true });
    await waitUntil("the pointer at 320,320", async () => (await pointer()).join() === "320,320");
  });

  it("R-S8: remote input of its own never counts as the owner moving", async () => {
    control.policy.setLevel("shared-control");
    for (let i = 0; i < 20; i++) {
      await control.handle({ type: "pointer.move", x: 100 + i * 7, y: 200 + i * 3 });
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(control.policy.ownerActive()).toBe(false);
  });
});
