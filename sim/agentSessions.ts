// What a simulated agent does inside a session: greet, share the screen, sometimes invite (R-S7) or transfer (R-S6),
// leave to an invitee (R-S5), take handovers offered to them, and close with a resolution (R-S4).
import type {
  AgentId,
  DispatchResult,
  FloorCommand,
  RecordedEvent,
  Resolution,
  SessionId,
  TransferTarget,
} from "../actors/index.ts";
import { sample } from "./dist.ts";
import type { AgentSpec } from "./scenario.ts";
import type { World } from "./world.ts";

type Send = (command: FloorCommand) => DispatchResult | null;

export class AgentSessions {
  private send: Send;
  private tickets = 0;

  constructor(
    private readonly world: World,
    private readonly specs: Map<AgentId, AgentSpec>,
    send: Send,
  ) {
    this.send = send;
  }

  useSend(send: Send): void {
    this.send = send;
  }

  private get rng() {
    return this.world.rng.agents;
  }

  onEvent(e: RecordedEvent): void {
    switch (e.type) {
      case "session.started":
        return this.owned(e.agentId, e.sessionId, true);
      case "session.ownerChanged":
        return this.owned(e.to, e.sessionId, false);
      case "participant.joined":
        return this.joined(e.agentId, e.sessionId);
      case "customer.left": {
        const owner = this.world.model.sessions.get(e.sessionId)?.owner;
        if (owner) this.world.after(this.rng.int(3_000, 20_000), () => this.close(owner, e.sessionId));
        return;
      }
    }
  }

  /** Orange (transfer) and blue (invitation) alerts: each recipient may say Yes after a while. */
  handoverAlert(e: Extract<RecordedEvent, { type: "alert.raised" }>): void {
    const sessionId = e.sessionId;
    if (!sessionId || (e.colour !== "orange" && e.colour !== "blue")) return;
    for (const agentId of e.agentIds) {
      const spec = this.specs.get(agentId)!;
      if (!this.rng.chance(spec.handover.acceptP)) continue;
      this.world.after(sample(this.rng, spec.answerDelaySec) * 1000, () => {
        const s = this.world.model.sessions.get(sessionId);
        const pending = e.colour === "orange" ? s?.pendingTransfer : s?.pendingInvite?.agentIds;
        if (!s || s.closed || !pending?.includes(agentId) || !this.world.model.agents.get(agentId)?.loggedIn)
          return;
        this.send({
          type: e.colour === "orange" ? "session.acceptTransfer" : "session.acceptInvite",
          sessionId,
          agentId,
        });
      });
    }
  }

  /** The agent now owns the session: plan its course to the close. */
  private owned(agentId: AgentId, sessionId: SessionId, fresh: boolean): void {
    const spec = this.specs.get(agentId);
    if (!spec || this.world.closed) return;
    const length = sample(this.rng, spec.sessionLengthSec) * 1000;
    if (fresh) {
      this.world.after(1_000, () =>
        this.ifOwner(agentId, sessionId, () =>
          this.send({
            type: "session.chat",
            sessionId,
            from: { kind: "agent", agentId },
            text: "Hello, how can I help?",
          }),
        ),
      );
      this.world.after(this.rng.int(5_000, 30_000), () =>
        this.ifOwner(agentId, sessionId, () =>
          this.send({ type: "session.screen", sessionId, state: "sharingCustomerScreen" }),
        ),
      );
    }
    // Transfer and invitation are drawn apart, so one session may have both under way (and a leave in between).
    const h = spec.handover;
    const when = () => length * (0.2 + 0.6 * this.rng.next());
    if (this.rng.chance(h.transferP))
      this.world.after(when(), () => this.handOver(agentId, sessionId, "transfer"));
    if (this.rng.chance(h.inviteP))
      this.world.after(when(), () => this.handOver(agentId, sessionId, "invite"));
    this.world.after(length, () => this.close(agentId, sessionId));
  }

  private handOver(agentId: AgentId, sessionId: SessionId, kind: "transfer" | "invite"): void {
    this.ifOwner(agentId, sessionId, (s) => {
      if (kind === "transfer" ? s.pendingTransfer : s.pendingInvite) return;
      const spec = this.specs.get(agentId)!;
      const to = this.target(agentId, spec.handover.toAgentP);
      if (!to) return;
      const hidden = this.rng.chance(spec.handover.hiddenP);
      const result =
        kind === "transfer"
          ? this.send({ type: "session.transfer", sessionId, agentId, to })
          : this.send({ type: "session.invite", sessionId, agentId, to, hidden });
      if (!result?.ok) return;
      // Nobody took it in time: the owner calls it off and carries on.
      this.world.after(spec.handover.timeoutSec * 1000, () =>
        this.ifOwner(agentId, sessionId, (now) => {
          if (kind === "transfer" && now.pendingTransfer)
            this.send({ type: "session.cancelTransfer", sessionId, agentId });
          if (kind === "invite" && now.pendingInvite)
            this.send({ type: "session.cancelInvite", sessionId, agentId });
        }),
      );
    });
  }

  /** A colleague by name, or a portal (tier portals first), as the console's tree offers them. */
  private target(agentId: AgentId, toAgentP: number): TransferTarget | null {
    const others = [...this.specs.keys()].filter((id) => id !== agentId);
    const portals = this.world.scenario.portals;
    const tiers = portals.filter((p) => p.tier);
    if (others.length > 0 && this.rng.chance(toAgentP)) return { agentId: this.rng.pick(others) };
    const pool = tiers.length > 0 ? tiers : portals;
    return pool.length > 0 ? { portalId: this.rng.pick(pool).id } : null;
  }

  /** An invitee joined: they stay a while then leave; sometimes the owner leaves first and hands the session on (R-S5). */
  private joined(agentId: AgentId, sessionId: SessionId): void {
    const spec = this.specs.get(agentId);
    if (!spec) return;
    this.world.after(sample(this.rng, spec.handover.staySec) * 1000, () => {
      const s = this.world.model.sessions.get(sessionId);
      if (s && !s.closed && s.invitees.has(agentId)) this.send({ type: "session.leave", sessionId, agentId });
    });
    const owner = this.world.model.sessions.get(sessionId)?.owner;
    const ownerSpec = owner ? this.specs.get(owner) : undefined;
    if (owner && ownerSpec && this.rng.chance(ownerSpec.handover.leaveP)) {
      this.world.after(this.rng.int(5_000, 60_000), () =>
        this.ifOwner(owner, sessionId, (s) => {
          if (s.invitees.size > 0) this.send({ type: "session.leave", sessionId, agentId: owner });
        }),
      );
    }
  }

  /** R-S4: close with a resolution drawn from the agent's mix, and the extra field when the floor asks for one. */
  private close(agentId: AgentId, sessionId: SessionId): void {
    this.ifOwner(agentId, sessionId, () => {
      const r = this.specs.get(agentId)!.resolutions;
      const total = r.resolved + r.notResolved + r.unknown;
      const x = this.rng.next() * total;
      const resolution: Resolution =
        x < r.resolved ? "resolved" : x < r.resolved + r.notResolved ? "notResolved" : "unknown";
      const needsExtra = this.world.floor.options.resolutionExtraField !== null;
      const forgot = needsExtra && this.rng.chance(0.1);
      const extra = needsExtra && !forgot ? `T-${++this.tickets}` : null;
      const result = this.send({ type: "session.close", sessionId, agentId, resolution, extra });
      if (result && !result.ok && result.rejection.reason === "extraFieldRequired")
        this.world.after(10_000, () => this.close(agentId, sessionId));
    });
  }

  private ifOwner(
    agentId: AgentId,
    sessionId: SessionId,
    run: (s: NonNullable<ReturnType<World["model"]["sessions"]["get"]>>) => void,
  ): void {
    const s = this.world.model.sessions.get(sessionId);
    if (s && !s.closed && s.owner === agentId && this.world.model.agents.get(agentId)?.loggedIn) run(s);
  }
}
