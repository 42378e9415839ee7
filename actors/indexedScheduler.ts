// XState 5's scheduler cancels an actor's delayed events (`after`, delayed sends) by walking every event scheduled in
// the whole system. A floor holds thousands of them — each waiting request, each open session has a timer — so every
// actor that stopped paid for all the others' timers: the largest single cost under load. This keeps, beside the
// scheduler, each source's scheduled ids, so stopping an actor cancels just its own. Same public scheduler, same
// events, same order of delivery.
import type { ActorSystem, AnyActorRef } from "xstate";

/** Past this many ids kept for one source, ids of events that already fired are dropped. */
const PRUNE_ABOVE = 16;

// biome-ignore lint/suspicious/noExplicitAny: any system, as XState's own AnyActorSystem (not exported) is
export function indexScheduler(system: ActorSystem<any>): void {
  const { scheduler } = system;
  const schedule = scheduler.schedule.bind(scheduler);
  const cancel = scheduler.cancel.bind(scheduler);
  const bySource = new Map<AnyActorRef, Set<string>>();
  const pending = (source: AnyActorRef, id: string) =>
    Object.hasOwn(system.getSnapshot()._scheduledEvents, `${source.sessionId}.${id}`);

  let unnamed = 0;
  // XState names an event it was given no id for with Math.random; a counter keeps `actors/` pure and replayable.
  scheduler.schedule = (source, target, event, delay, id = `unnamed.${++unnamed}`) => {
    schedule(source, target, event, delay, id);
    const ids = bySource.get(source) ?? new Set<string>();
    bySource.set(source, ids);
    ids.add(id);
    // A fired event leaves its id here (the scheduler tells no one): a long-lived actor's set is swept now and then.
    if (ids.size > PRUNE_ABOVE) for (const old of ids) if (!pending(source, old)) ids.delete(old);
  };
  scheduler.cancel = (source, id) => {
    cancel(source, id);
    bySource.get(source)?.delete(id);
  };
  scheduler.cancelAll = (source) => {
    const ids = bySource.get(source);
    if (ids === undefined) return;
    bySource.delete(source);
    for (const id of ids) cancel(source, id);
  };
}
