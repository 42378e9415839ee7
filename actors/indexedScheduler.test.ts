// The indexed scheduler keeps XState's delayed events exact: a stopped actor's timers are cancelled and no one
// else's; events that fired leave nothing behind.
import { describe, expect, it } from "vitest";
import { type AnyActorRef, assign, createActor, SimulatedClock, sendTo, setup } from "xstate";
import { indexScheduler } from "./indexedScheduler.ts";

const ticker = setup({}).createMachine({
  id: "ticker",
  initial: "waiting",
  states: { waiting: { after: { 1000: "rang" } }, rang: { type: "final" } },
});

const parent = setup({
  types: { context: {} as { refs: AnyActorRef[]; rang: number } },
  actors: { ticker },
}).createMachine({
  context: { refs: [], rang: 0 },
  entry: assign({
    refs: ({ spawn }) =>
      Array.from({ length: 50 }, (_, i) => spawn("ticker", { id: `t${i}` }) as AnyActorRef),
  }),
  on: {
    stopOdd: {
      actions: ({ context, self }) => {
        for (const [i, ref] of context.refs.entries()) if (i % 2) self.system.scheduler.cancelAll(ref);
      },
    },
    ping: { actions: sendTo(({ context }) => context.refs[0]!, { type: "noop" }, { delay: 10 }) },
  },
});

describe("indexed scheduler", () => {
  it("cancels exactly the stopped actors' timers and forgets fired ones", () => {
    const clock = new SimulatedClock();
    const actor = createActor(parent, { clock });
    indexScheduler(actor.system);
    actor.start();
    const scheduled = () => Object.keys(actor.system.getSnapshot()._scheduledEvents).length;
    expect(scheduled()).toBe(50);
    actor.send({ type: "stopOdd" });
    expect(scheduled()).toBe(25);
    clock.increment(1000);
    const states = actor.getSnapshot().context.refs.map((r) => r.getSnapshot().value);
    expect(states.filter((v) => v === "rang")).toHaveLength(25);
    expect(states.filter((v, i) => i % 2 === 0 && v === "rang")).toHaveLength(25);
    expect(scheduled()).toBe(0);
    // A long-lived source that keeps scheduling does not keep every fired id.
    for (let i = 0; i < 100; i++) {
      actor.send({ type: "ping" });
      clock.increment(10);
    }
    expect(scheduled()).toBe(0);
  });
});
