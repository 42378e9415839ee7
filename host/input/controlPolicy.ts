// Decides whether a remote input event may be applied: shared control granted, not paused, and the owner not using the mouse (R-S8).

export type ControlLevel = "view-only" | "shared-control";

export type InputDecision =
  | { readonly apply: true }
  | { readonly apply: false; readonly reason: "view-only" | "paused" | "owner-active" };

export interface ControlPolicyOptions {
  /** After the owner's last own pointer motion, remote input waits this long before it applies again. */
  readonly localInputQuietMs: number;
  /** The level a session starts at; the customer's consent dialog may grant more. */
  readonly level: ControlLevel;
  /** Monotonic time in ms; injectable for tests. */
  readonly now: () => number;
}

export const defaultControlPolicyOptions: ControlPolicyOptions = {
  localInputQuietMs: 1000,
  level: "view-only",
  now: () => performance.now(),
};

export class ControlPolicy {
  readonly options: ControlPolicyOptions;
  private currentLevel: ControlLevel;
  private pausedBySomeone = false;
  private lastLocalInputMs = Number.NEGATIVE_INFINITY;

  constructor(options: Partial<ControlPolicyOptions> = {}) {
    this.options = { ...defaultControlPolicyOptions, ...options };
    this.currentLevel = this.options.level;
  }

  get level(): ControlLevel {
    return this.currentLevel;
  }

  /** Switching level during the session, where the configuration allows it (R-S8). */
  setLevel(level: ControlLevel): void {
    this.currentLevel = level;
  }

  /** Pause from either side's chat window; `resume` undoes it. */
  pause(): void {
    this.pausedBySomeone = true;
  }

  resume(): void {
    this.pausedBySomeone = false;
  }

  /** The owner moved their own mouse: remote input stops until they have been still for `localInputQuietMs`. */
  noteLocalInput(): void {
    this.lastLocalInputMs = this.options.now();
  }

  ownerActive(): boolean {
    return this.options.now() - this.lastLocalInputMs < this.options.localInputQuietMs;
  }

  decide(): InputDecision {
    if (this.currentLevel !== "shared-control") return { apply: false, reason: "view-only" };
    if (this.pausedBySomeone) return { apply: false, reason: "paused" };
    if (this.ownerActive()) return { apply: false, reason: "owner-active" };
    return { apply: true };
  }
}
