// The simulated world: one Floor on a SimClock, the agenda of simulated actions merged with the floor's own timers,
// and the fan-out of every domain event to the checkers, the measurements and the simulated people.
import {
  type DispatchResult,
  Floor,
  type FloorCommand,
  type FloorSettings,
  type RecordedEvent,
  SeededRandom,
  SimClock,
} from "../actors/index.ts";
import { Agenda } from "./agenda.ts";
import { allCheckers, type Checker, CheckSuite } from "./checkers/index.ts";
import type { Model } from "./model.ts";
import type { Scenario } from "./scenario.ts";
import { Stats } from "./stats.ts";
import { Trace } from "./trace.ts";

export type FloorFactory = (settings: FloorSettings) => Floor;
export type Reactor = (e: RecordedEvent) => void;

export interface WorldSettings {
  scenario: Scenario;
  seed: number;
  /** Swap the floor, e.g. for a deliberately broken one in tests. */
  makeFloor?: FloorFactory;
  checkers?: Checker[];
}

export class World {
  readonly scenario: Scenario;
  readonly seed: number;
  readonly clock = new SimClock(0);
  readonly floor: Floor;
  readonly agenda = new Agenda();
  readonly suite: CheckSuite;
  readonly stats = new Stats();
  readonly trace = new Trace();
  /** Independent streams, so that adding a habit to agents does not reshuffle customers' arrivals. */
  readonly rng: { agents: SeededRandom; customers: SeededRandom; faults: SeededRandom };
  /** Past the end of the day: everyone was sent home, simulated people stop starting anything new. */
  closed = false;
  /** When the floor last did anything: the simulated time a run covers. */
  lastEventAt = 0;
  private readonly reactors: Reactor[] = [];
  private cause: FloorCommand | null = null;
  /** Set while an event is being handed out: reactors must plan, never dispatch from inside the floor. */
  private inEvent = false;

  constructor(settings: WorldSettings) {
    this.scenario = settings.scenario;
    this.seed = settings.seed;
    const root = new SeededRandom(settings.seed);
    const floorSeed = root.int(1, 0x7fffffff);
    this.rng = { agents: root.fork(), customers: root.fork(), faults: root.fork() };
    const make = settings.makeFloor ?? ((s: FloorSettings) => new Floor(s));
    this.floor = make({ clock: this.clock, seed: floorSeed, options: settings.scenario.floor });
    const flags = new Map(settings.scenario.agents.map((a) => [a.id as string, a]));
    this.suite = new CheckSuite({
      checkers: settings.checkers ?? allCheckers(),
      options: this.floor.options,
      floor: this.floor,
      flags: (id) => flags.get(id) ?? { mayReceiveTransfers: true, mayReceiveInvitations: true },
    });
    this.floor.subscribe((e) => this.onEvent(e));
  }

  get model(): Model {
    return this.suite.model;
  }

  now(): number {
    return this.clock.now();
  }

  /** Plans an action `delayMs` from now (never in the past). */
  after(delayMs: number, run: () => void): void {
    this.agenda.at(this.now() + Math.max(0, Math.round(delayMs)), run);
  }

  at(timeMs: number, run: () => void): void {
    this.agenda.at(Math.max(this.now(), Math.round(timeMs)), run);
  }

  /**
   * Plans an action on the floor's own clock instead of the agenda: it then runs before any floor timer created later
   * for the same millisecond. Used to make a customer's redeem win the race against the code's expiry timer.
   */
  onFloorClock(timeMs: number, run: () => void): void {
    this.clock.setTimeout(run, Math.max(0, timeMs - this.now()));
  }

  subscribe(reactor: Reactor): void {
    this.reactors.push(reactor);
  }

  /** Sends one command straight to the floor; the checkers get a quiet point once it has settled. */
  dispatch(command: FloorCommand): DispatchResult {
    if (this.inEvent) throw new Error(`re-entrant dispatch of ${command.type}: plan it instead`);
    this.cause = command;
    try {
      return this.floor.dispatch(command);
    } finally {
      this.cause = null;
      this.suite.quiet();
    }
  }

  /**
   * Runs the agenda and the floor's timers in time order until both are empty or `stopAt` is passed.
   * Drained means the floor itself has no timer left; leftover planned actions of people gone home do not count.
   */
  run(stopAt: number): { drained: boolean } {
    for (;;) {
      const action = this.agenda.nextAt();
      const timer = this.clock.nextDueAt();
      if (action === undefined && timer === undefined) return { drained: true };
      const next = Math.min(action ?? Number.POSITIVE_INFINITY, timer ?? Number.POSITIVE_INFINITY);
      if (next > stopAt) return { drained: timer === undefined };
      if (timer !== undefined && timer <= next) {
        this.clock.advanceTo(timer);
        this.suite.quiet();
      } else {
        this.clock.advanceTo(next);
        this.agenda.pop()!.run();
      }
    }
  }

  private onEvent(e: RecordedEvent): void {
    this.suite.event(e, this.cause);
    this.lastEventAt = e.at;
    this.trace.add(e);
    this.stats.event(e);
    this.inEvent = true;
    try {
      for (const react of this.reactors) react(e);
    } finally {
      this.inEvent = false;
    }
  }
}
