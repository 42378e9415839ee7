// Simulated agents at their desks: shifts, breaks and wrap-up (R-A6), answering alerts (R-P3, R-P4), queue offers (R-P5)
// and the Incoming list, and taking transfers and invitations (R-S6, R-S7). Sessions themselves are in agentSessions.ts.
import type { AgentId, DispatchResult, FloorCommand, RecordedEvent, RequestId } from "../actors/index.ts";
import { agentConfig } from "../actors/index.ts";
import { AgentSessions } from "./agentSessions.ts";
import { sample } from "./dist.ts";
import type { AgentSpec } from "./scenario.ts";
import type { World } from "./world.ts";

export type Send = (command: FloorCommand) => DispatchResult | null;

export class Agents {
  readonly specs = new Map<AgentId, AgentSpec>();
  private readonly planned = new Set<string>();
  private readonly logins = new Map<AgentId, number>();
  private readonly sessions: AgentSessions;
  private send: Send = () => null;

  constructor(private readonly world: World) {
    for (const a of world.scenario.agents) this.specs.set(a.id, a);
    this.sessions = new AgentSessions(world, this.specs, (c) => this.send(c));
    world.subscribe((e) => this.onEvent(e));
  }

  private get rng() {
    return this.world.rng.agents;
  }

  /** Registers agents and portals on the floor, plans every shift, and hands each agent to `eachAgent` (faults). */
  start(send: Send, eachAgent: (id: AgentId) => void): void {
    this.send = send;
    this.sessions.useSend(send);
    for (const a of this.specs.values())
      this.world.dispatch({ type: "floor.addAgent", config: this.config(a) });
    for (const p of this.world.scenario.portals)
      this.world.dispatch({
        type: "floor.addPortal",
        config: {
          id: p.id,
          name: p.id,
          type: p.type,
          mode: p.mode,
          language: "en",
          members: p.members,
          tier: p.tier,
        },
      });
    for (const a of this.specs.values()) {
      for (const shift of a.shifts) {
        this.world.at(shift.loginMs, () => this.login(a.id));
        this.world.at(shift.logoutMs, () => this.logout(a.id));
      }
      eachAgent(a.id);
    }
  }

  comeBackLater(agentId: AgentId): void {
    this.world.after(this.rng.int(30_000, 300_000), () => {
      if (this.onShift(agentId)) this.login(agentId);
    });
  }

  /** End of the day: everyone logs out, whatever they were doing. */
  sendHome(): void {
    for (const a of this.world.model.agents.values())
      if (a.loggedIn) this.send({ type: "agent.logout", agentId: a.id });
  }

  private config(a: AgentSpec) {
    return agentConfig({
      id: a.id,
      maxSessions: a.maxSessions,
      mayReceiveTransfers: a.mayReceiveTransfers,
      mayReceiveInvitations: a.mayReceiveInvitations,
      preferences: {
        unavailableAfterSession: a.unavailableAfterSession,
        unavailableReminderMs: a.breaks?.remindAfterSec ? a.breaks.remindAfterSec * 1000 : null,
        remindWhen: { idle: true, inSession: true, atMaximum: false },
      },
    });
  }

  private onShift(id: AgentId): boolean {
    const t = this.world.now();
    return !this.world.closed && this.specs.get(id)!.shifts.some((s) => s.loginMs <= t && t < s.logoutMs);
  }

  private login(id: AgentId): void {
    if (this.world.closed || this.world.model.agents.get(id)?.loggedIn) return;
    this.send({ type: "agent.login", agentId: id });
    const logins = (this.logins.get(id) ?? 0) + 1;
    this.logins.set(id, logins);
    this.planBreak(id, logins);
  }

  /** End of a shift: some agents first close all their sessions (R-S4), the others leave them to the floor. */
  private logout(id: AgentId): void {
    const a = this.world.model.agents.get(id);
    if (!a?.loggedIn) return;
    if (a.sessions.size > 0 && this.rng.chance(0.5)) {
      const extra = this.world.floor.options.resolutionExtraField ? "end of shift" : null;
      this.send({ type: "session.closeAll", agentId: id, resolution: "unknown", extra });
    }
    this.send({ type: "agent.logout", agentId: id });
  }

  /** One chain of breaks per login: a chain planned in an earlier login stops when it next comes up. */
  private planBreak(id: AgentId, login: number): void {
    const breaks = this.specs.get(id)!.breaks;
    if (!breaks) return;
    this.world.after(sample(this.rng, breaks.everyMin) * 60_000, () => {
      const a = this.world.model.agents.get(id);
      if (!a?.loggedIn || this.world.closed || this.logins.get(id) !== login) return;
      if (a.available) {
        this.send({ type: "agent.setAvailable", agentId: id, available: false });
        this.world.after(sample(this.rng, breaks.lengthMin) * 60_000, () => this.backToWork(id));
      }
      this.planBreak(id, login);
    });
  }

  private backToWork(id: AgentId): void {
    const a = this.world.model.agents.get(id);
    if (a?.loggedIn && !a.available && !this.world.closed)
      this.send({ type: "agent.setAvailable", agentId: id, available: true });
  }

  private onEvent(e: RecordedEvent): void {
    if (this.world.closed) return;
    switch (e.type) {
      case "alert.raised":
        if (e.requestId) return this.alerted(e.requestId, e.agentIds);
        return this.sessions.handoverAlert(e);
      case "alert.reminded":
        for (const id of e.agentIds) if (this.rng.chance(0.5)) this.planAnswer(id, e.requestId);
        return;
      case "offer.made":
        return this.offered(e.agentId, e.requestId);
      case "agent.availabilityChanged":
        if (!e.available && e.reason === "afterSession")
          this.world.after(sample(this.rng, this.specs.get(e.agentId)!.wrapUpSec) * 1000, () =>
            this.backToWork(e.agentId),
          );
        if (e.available) this.lookAtIncoming(e.agentId);
        return;
      case "agent.reminded":
        if (this.rng.chance(this.specs.get(e.agentId)?.breaks?.backOnReminderP ?? 0))
          this.world.after(0, () => this.backToWork(e.agentId));
        return;
      case "agent.loggedOut":
        if (e.reason === "connectionLost") this.comeBackLater(e.agentId);
        return;
      case "agent.slotReleased":
        return this.lookAtIncoming(e.agentId);
      default:
        return this.sessions.onEvent(e);
    }
  }

  /** R-P3/R-P4: each alerted agent may answer after a while; sometimes several click Yes at the very same instant. */
  private alerted(requestId: RequestId, agentIds: AgentId[]): void {
    if (agentIds.length >= 2 && this.rng.chance(this.world.scenario.faults.simultaneousP)) {
      const delay = sample(this.rng, this.specs.get(agentIds[0]!)!.answerDelaySec) * 1000;
      this.world.stats.count("fault.simultaneous");
      for (const id of agentIds)
        this.world.after(delay, () => {
          const a = this.world.model.agents.get(id);
          if (a?.loggedIn && a.connected) this.send({ type: "request.answer", agentId: id, requestId });
        });
      return;
    }
    for (const id of agentIds) {
      const spec = this.specs.get(id)!;
      const a = this.world.model.agents.get(id);
      if (this.rng.chance(spec.ignoreAlertP)) continue;
      if (a && a.active >= a.max && !this.rng.chance(spec.atMaximumAnswerP)) continue;
      this.planAnswer(id, requestId);
    }
  }

  private planAnswer(agentId: AgentId, requestId: RequestId): void {
    const key = `${agentId}|${requestId}`;
    if (this.planned.has(key)) return;
    this.planned.add(key);
    this.world.after(sample(this.rng, this.specs.get(agentId)!.answerDelaySec) * 1000, () => {
      this.planned.delete(key);
      const r = this.world.model.requests.get(requestId);
      const a = this.world.model.agents.get(agentId);
      // The pop-up is gone once someone else answered; an agent away from the desk does not click.
      if (r?.phase === "waiting" && a?.loggedIn && a.connected)
        this.send({ type: "request.answer", agentId, requestId });
    });
  }

  /** R-P5: answer the offer in time, decline it, or let it time out. */
  private offered(agentId: AgentId, requestId: RequestId): void {
    const spec = this.specs.get(agentId)!;
    const roll = this.rng.next();
    if (roll < spec.ignoreOfferP) return;
    const decline = roll < spec.ignoreOfferP + spec.declineOfferP;
    this.world.after(sample(this.rng, spec.answerDelaySec) * 1000, () => {
      const r = this.world.model.requests.get(requestId);
      if (r?.offeredTo !== agentId) return;
      this.send({ type: decline ? "request.decline" : "request.answer", agentId, requestId });
    });
  }

  /** R-L6: a free agent may double-click the oldest request waiting in the Incoming list of a Standard portal. */
  private lookAtIncoming(agentId: AgentId): void {
    const spec = this.specs.get(agentId)!;
    const a = this.world.model.agents.get(agentId);
    if (!a || !this.world.model.free(a) || !this.rng.chance(spec.incomingP)) return;
    let oldest: { id: RequestId; order: number } | null = null;
    for (const r of this.world.model.open) {
      if (r.phase !== "waiting" || r.mode !== "standard" || r.matchAgentId) continue;
      if (!this.world.model.portals.get(r.portalId)?.members.includes(agentId)) continue;
      if (!oldest || r.order < oldest.order) oldest = r;
    }
    if (oldest) this.planAnswer(agentId, oldest.id);
  }
}
