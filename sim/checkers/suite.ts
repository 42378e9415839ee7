// Runs a set of checkers over one event stream: feeds the model, collects findings with the event that exposed them.

import type { AgentId } from "../../actors/index.ts";
import {
  defaultFloorOptions,
  type FloorCommand,
  type FloorOptions,
  type RecordedEvent,
} from "../../actors/index.ts";
import { type AgentFlags, Model } from "../model.ts";
import type { CheckContext, Checker, Finding, FloorProbe } from "./types.ts";

export interface SuiteSettings {
  checkers: Checker[];
  options?: Partial<FloorOptions>;
  floor?: FloorProbe | null;
  flags?: (id: AgentId) => AgentFlags;
  /** Findings kept per checker; a broken rule tends to repeat. */
  findingsPerChecker?: number;
}

export class CheckSuite {
  readonly model: Model;
  readonly findings: Finding[] = [];
  private readonly checkers: Checker[];
  private readonly ctx: CheckContext;
  private readonly perChecker = new Map<string, number>();
  private readonly limit: number;
  private current: Checker | null = null;
  private lastSeq = 0;
  private lastAt = 0;

  constructor(settings: SuiteSettings) {
    this.model = new Model(settings.flags);
    this.checkers = settings.checkers;
    this.limit = settings.findingsPerChecker ?? 5;
    this.ctx = {
      model: this.model,
      cause: null,
      options: { ...defaultFloorOptions, ...settings.options },
      floor: settings.floor ?? null,
      drained: false,
      report: (rule, message) => this.report(rule, message),
    };
  }

  /** One event: every checker sees it against the state before it, then the model takes it in. */
  event(e: RecordedEvent, cause: FloorCommand | null = null): void {
    this.ctx.cause = cause;
    this.lastSeq = e.seq;
    this.lastAt = e.at;
    for (const c of this.checkers) this.each(c, () => c.onEvent?.(e, this.ctx));
    this.model.apply(e);
  }

  quiet(): void {
    this.ctx.cause = null;
    for (const c of this.checkers) if (c.onQuiet) this.each(c, () => c.onQuiet!(this.ctx));
  }

  finish(drained: boolean): void {
    this.quiet();
    this.ctx.drained = drained;
    for (const c of this.checkers) if (c.finish) this.each(c, () => c.finish!(this.ctx));
  }

  /** Feeds a recorded stream step by step (a quiet point after each step), then finishes: for hand-made streams. */
  replay(steps: RecordedEvent[][], drained = true): Finding[] {
    for (const step of steps) {
      for (const e of step) this.event(e);
      this.quiet();
    }
    this.finish(drained);
    return this.findings;
  }

  private each(c: Checker, f: () => void): void {
    this.current = c;
    f();
    this.current = null;
  }

  private report(rule: string, message: string): void {
    const name = this.current?.name ?? "unknown";
    const n = this.perChecker.get(name) ?? 0;
    this.perChecker.set(name, n + 1);
    if (n >= this.limit) return;
    this.findings.push({ checker: name, rule, message, seq: this.lastSeq, at: this.lastAt });
  }
}
