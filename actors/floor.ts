// The floor as a service for its callers (gateway, simulator, tests): dispatch a command, get back what it caused,
// and subscribe to the stamped domain event stream. Everything below runs synchronously on the injected clock.
import { type Actor, createActor } from "xstate";
import { type AgentView, agentView } from "./agentMachine.ts";
import type { FloorClock } from "./clock.ts";
import { type FloorCommand, isSessionLine, type SessionLineCommand } from "./commands.ts";
import type { DomainEvent, RecordedEvent } from "./events.ts";
import { floorMachine } from "./floorMachine.ts";
import { type AgentId, type RequestId, type SessionId, systemIds } from "./ids.ts";
import { indexScheduler } from "./indexedScheduler.ts";
import { defaultFloorOptions, type FloorOptions } from "./options.ts";
import type { RequestContext } from "./requestMachine.ts";
import { SessionLines } from "./sessionLines.ts";
import type { SessionContext } from "./sessionMachine.ts";

export interface FloorSettings {
  clock: FloorClock;
  seed?: number;
  options?: Partial<FloorOptions>;
}

export type DispatchResult =
  | { ok: true; events: RecordedEvent[] }
  | { ok: false; events: RecordedEvent[]; rejection: Extract<DomainEvent, { type: "command.rejected" }> };

export type FloorListener = (event: RecordedEvent) => void;

export class Floor {
  readonly clock: FloorClock;
  readonly options: FloorOptions;
  private readonly actor: Actor<typeof floorMachine>;
  private readonly listeners = new Set<FloorListener>();
  private seq = 0;
  private collecting: RecordedEvent[] | null = null;
  /** Listeners are being told of an event: a command they dispatch waits its turn in the floor's mailbox. */
  private telling = false;
  /** The open sessions, kept from the stream, and their lines. */
  private readonly lines = new SessionLines();
  /** Lines dispatched inside another command or while an event is told: their turn comes after it, in order. */
  private readonly waitingLines: SessionLineCommand[] = [];

  constructor(settings: FloorSettings) {
    this.clock = settings.clock;
    this.options = { ...defaultFloorOptions, ...settings.options };
    this.actor = createActor(floorMachine, {
      clock: settings.clock,
      systemId: systemIds.floor,
      input: { options: this.options, seed: settings.seed ?? 1, now: () => settings.clock.now() },
    });
    indexScheduler(this.actor.system);
    this.actor.on("*", (event) => this.record(event as DomainEvent));
    this.actor.subscribe({ error: (err) => this.fail(err) });
    this.actor.start();
  }

  /** Sends one command and returns every event it caused; a refused command carries its typed rejection. */
  dispatch(command: FloorCommand): DispatchResult {
    const outer = this.collecting;
    const events: RecordedEvent[] = [];
    this.collecting = events;
    try {
      const topLevel = outer === null && !this.telling;
      if (!isSessionLine(command)) this.actor.send(command);
      else if (topLevel) this.takeLine(command);
      else this.waitingLines.push(command);
      if (topLevel) this.takeWaitingLines();
    } finally {
      this.collecting = outer;
      outer?.push(...events);
    }
    const rejection = events.find((e) => e.type === "command.rejected");
    return rejection?.type === "command.rejected" ? { ok: false, events, rejection } : { ok: true, events };
  }

  /** A chat line, note or pushed URL, checked against its session's current state and recorded (`SessionLines`). */
  private takeLine(command: SessionLineCommand): void {
    this.record(this.lines.take(command));
  }

  private takeWaitingLines(): void {
    for (let line = this.waitingLines.shift(); line; line = this.waitingLines.shift()) this.takeLine(line);
  }

  subscribe(listener: FloorListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  agent(id: AgentId): AgentView | undefined {
    const ref = this.actor.system.get(systemIds.agent(id));
    return ref ? agentView(ref.getSnapshot()) : undefined;
  }

  request(id: RequestId): { state: unknown; context: RequestContext } | undefined {
    const snap = this.actor.system.get(systemIds.request(id))?.getSnapshot();
    return snap ? { state: snap.value, context: snap.context } : undefined;
  }

  session(id: SessionId): SessionContext | undefined {
    return this.lines.context(id);
  }

  /** Live child actors (agents, portals, queues, requests, sessions, codes): a leak shows here first. */
  childCount(): number {
    return Object.keys(this.actor.system.getAll()).length - 1;
  }

  stop(): void {
    this.actor.stop();
  }

  private record(event: DomainEvent): void {
    const recorded = { ...event, seq: ++this.seq, at: this.clock.now() } as RecordedEvent;
    if (recorded.type === "session.started") {
      this.lines.opened(recorded.sessionId, this.actor.system.get(systemIds.session(recorded.sessionId))!);
    } else if (recorded.type === "session.closed") this.lines.closed(recorded.sessionId);
    this.collecting?.push(recorded);
    const outer = this.telling;
    this.telling = true;
    try {
      for (const listener of this.listeners) listener(recorded);
    } finally {
      this.telling = outer;
    }
    // An event told outside any dispatch (a timer's): lines its listeners wrote follow it.
    if (!outer && this.collecting === null) this.takeWaitingLines();
  }

  private fail(err: unknown): never {
    // A machine threw: that is a bug, not an input to tolerate silently.
    throw err instanceof Error ? err : new Error(String(err));
  }
}
