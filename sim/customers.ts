// Simulated customers: they arrive per portal (Poisson or at set times), post (picking an agent on SmartMatch, R-P4),
// give up when their patience runs out, chat and sometimes leave; on Phone portals they call, an agent makes a SmartCode
// and they redeem it — sometimes mistyped, too late, or at the very millisecond it expires (R-P6).
import type {
  AgentId,
  Customer,
  DispatchResult,
  FloorCommand,
  RecordedEvent,
  RequestId,
} from "../actors/index.ts";
import { sample } from "./dist.ts";
import type { ArrivalSpec } from "./scenario.ts";
import type { World } from "./world.ts";

type Send = (command: FloorCommand) => DispatchResult | null;
type CodeCreated = Extract<RecordedEvent, { type: "code.created" }>;

export class Customers {
  private n = 0;
  private readonly waiting = new Map<RequestId, ArrivalSpec>();
  private send: Send = () => null;

  constructor(private readonly world: World) {
    world.subscribe((e) => this.onEvent(e));
  }

  private get rng() {
    return this.world.rng.customers;
  }

  start(send: Send): void {
    this.send = send;
    for (const spec of this.world.scenario.arrivals) {
      for (const s of spec.atSec) this.world.at(s * 1000, () => this.arrive(spec));
      if (spec.ratePerMin > 0) this.nextArrival(spec, spec.fromMs);
    }
  }

  private nextArrival(spec: ArrivalSpec, from: number): void {
    const t = from + this.rng.exponential(60_000 / spec.ratePerMin);
    if (t >= spec.untilMs) return;
    this.world.at(t, () => {
      this.arrive(spec);
      this.nextArrival(spec, t);
    });
  }

  private customer(spec: ArrivalSpec): Customer {
    const n = ++this.n;
    const portal = this.world.scenario.portals.find((p) => p.id === spec.portal)!;
    const language = spec.language === "mixed" ? this.rng.pick(["en", "fr"] as const) : spec.language;
    const asks = portal.type === "smartBox" && this.rng.chance(spec.questionP);
    return { name: `Customer ${n}`, language, ...(asks ? { question: `Question ${n}` } : {}) };
  }

  private arrive(spec: ArrivalSpec): void {
    if (this.world.closed) return;
    const portal = this.world.scenario.portals.find((p) => p.id === spec.portal)!;
    if (portal.mode === "phone") return this.call(spec);
    const customer = this.customer(spec);
    const matchAgentId = portal.type === "smartMatch" ? this.pick(spec) : undefined;
    const result = this.send({
      type: "request.post",
      portalId: spec.portal,
      customer,
      ...(matchAgentId ? { matchAgentId } : {}),
    });
    this.posted(spec, result);
  }

  /** R-P4: the customer picks from the agents the portal lists (usually those available). */
  private pick(spec: ArrivalSpec): AgentId | undefined {
    const members = this.world.model.members(spec.portal);
    const reachable = members.filter((a) => this.world.model.reachable(a));
    const pool = spec.pick === "available" && reachable.length > 0 ? reachable : members;
    return pool.length > 0 ? this.rng.pick(pool).id : undefined;
  }

  private posted(spec: ArrivalSpec, result: DispatchResult | null): void {
    if (!result) return;
    if (!result.ok) return this.world.stats.count(`refused.${result.rejection.reason}`);
    const posted = result.events.find((e) => e.type === "request.posted");
    if (posted?.type !== "request.posted") return;
    const requestId = posted.requestId;
    this.waiting.set(requestId, spec);
    this.world.after(sample(this.rng, spec.patienceSec) * 1000, () => {
      const r = this.world.model.requests.get(requestId);
      if (r && this.world.model.open.has(r)) this.send({ type: "request.abandon", requestId });
    });
  }

  /** R-P6: the customer phones; an available member makes a code and reads it out. */
  private call(spec: ArrivalSpec): void {
    const model = this.world.model;
    const issuers = model.members(spec.portal).filter((a) => model.reachable(a));
    if (issuers.length === 0) return this.world.stats.count("calls.missed");
    const issuer = this.rng.pick(issuers).id;
    const customer = this.customer(spec);
    const named = this.rng.chance(spec.code.namedP);
    let created: CodeCreated | undefined;
    const ttl = this.world.floor.options.smartCodeTtlMs;
    const race = this.rng.chance(this.world.scenario.faults.expiryRaceP);
    // Half the races are armed on the floor's clock before the code exists, so the redeem runs before the expiry timer.
    const armed = race && this.rng.chance(0.5);
    if (armed)
      this.world.onFloorClock(
        this.world.now() + ttl,
        () => created && this.redeem(spec, customer, created, false),
      );
    const result = this.send({
      type: "code.create",
      agentId: issuer,
      portalId: spec.portal,
      ...(named ? { name: customer.name.replace(/\s/g, "").toLowerCase() } : {}),
    });
    created = result?.events.find((e): e is CodeCreated => e.type === "code.created");
    if (!created)
      return this.world.stats.count(`calls.${result && !result.ok ? result.rejection.reason : "noCode"}`);
    if (race) {
      this.world.stats.count("fault.expiryRace");
      if (!armed) this.world.at(created.expiresAt, () => this.redeem(spec, customer, created!, false));
      return;
    }
    const late = this.rng.chance(spec.code.lateP);
    const delay = late ? ttl + this.rng.int(1, 120_000) : sample(this.rng, spec.code.redeemDelaySec) * 1000;
    // Half the agents whose customer is slow to call back give up and cancel the code (R-P6).
    if (late && this.rng.chance(0.5)) {
      const code = created.code;
      this.world.after(this.rng.next() * ttl, () => {
        if (this.world.model.codes.get(code)?.state === "active")
          this.send({ type: "code.cancel", agentId: issuer, code });
      });
    }
    const mistype = this.rng.chance(spec.code.mistypeP);
    this.world.after(delay, () => this.redeem(spec, customer, created!, mistype));
  }

  private redeem(spec: ArrivalSpec, customer: Customer, code: CodeCreated, mistype: boolean): void {
    const typed = mistype ? this.mistype(code.display) : this.retype(code);
    const result = this.send({ type: "request.post", portalId: spec.portal, customer, code: typed });
    if (result && !result.ok) {
      this.world.stats.count(`redeem.${result.rejection.reason}`);
      // A mistyped code is tried again, correctly this time.
      if (mistype)
        this.world.after(this.rng.int(3_000, 20_000), () => this.redeem(spec, customer, code, false));
      return;
    }
    this.posted(spec, result);
  }

  /** The ways a customer types a good code: as shown, digits only, with the quick URL's DR prefix, or in capitals. */
  private retype(code: CodeCreated): string {
    const forms = [
      code.display,
      code.display.replace(/-/g, ""),
      `DR${code.display}`,
      ` ${code.display.toUpperCase()} `,
    ];
    return this.rng.pick(forms);
  }

  private mistype(display: string): string {
    const i = this.rng.int(0, display.length - 1);
    const c = display[i]!;
    const wrong = /\d/.test(c) ? String((Number(c) + this.rng.int(1, 9)) % 10) : c === "z" ? "a" : "z";
    return display.slice(0, i) + wrong + display.slice(i + 1);
  }

  private onEvent(e: RecordedEvent): void {
    if (e.type === "request.abandoned" || e.type === "request.expired") this.waiting.delete(e.requestId);
    if (e.type !== "session.started") return;
    const spec = this.waiting.get(e.requestId);
    this.waiting.delete(e.requestId);
    if (!spec || this.world.closed) return;
    this.world.after(this.rng.int(3_000, 15_000), () => {
      const s = this.world.model.sessions.get(e.sessionId);
      if (s && !s.closed && s.customerPresent)
        this.send({
          type: "session.chat",
          sessionId: e.sessionId,
          from: { kind: "customer" },
          text: "Thanks!",
        });
    });
    if (this.rng.chance(spec.leaveP)) {
      this.world.after(this.rng.int(20_000, 600_000), () => {
        const s = this.world.model.sessions.get(e.sessionId);
        if (s && !s.closed) this.send({ type: "session.customerLeft", sessionId: e.sessionId });
      });
    }
  }
}
