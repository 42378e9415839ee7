// Seeded faults between the simulated people and the floor: duplicated and reordered commands, dropped connections
// (some beyond the reconnect grace), and handover targets who log out right after being picked.
import type { AgentId, DispatchResult, FloorCommand, RecordedEvent, RequestId } from "../actors/index.ts";
import { sample } from "./dist.ts";
import type { World } from "./world.ts";

/** Commands a network or an impatient double-click may deliver twice; posts and code creation are de-duplicated upstream by commandId. */
const duplicable = new Set<FloorCommand["type"]>([
  "request.answer",
  "request.decline",
  "request.abandon",
  "session.close",
  "session.leave",
  "session.transfer",
  "session.invite",
  "session.acceptTransfer",
  "session.acceptInvite",
  "session.cancelTransfer",
  "session.cancelInvite",
  "agent.setAvailable",
  "agent.logout",
  "agent.disconnect",
  "agent.reconnect",
]);

export interface Relogin {
  /** The agent was thrown out (grace ran out, or churn): they log in again later if still on shift. */
  comeBackLater(agentId: AgentId): void;
}

export class Faults {
  private readonly parked = new Map<RequestId, FloorCommand>();
  private commandSeq = 0;

  constructor(
    private readonly world: World,
    private readonly agents: Relogin,
  ) {
    world.subscribe((e) => this.onEvent(e));
  }

  private get f() {
    return this.world.scenario.faults;
  }

  /** Delivers a command as the network would: sometimes held back and overtaken, sometimes twice. */
  send(command: FloorCommand): DispatchResult | null {
    const cmd = { ...command, commandId: `c${++this.commandSeq}` } as FloorCommand;
    const rng = this.world.rng.faults;
    if (cmd.type === "request.answer") {
      const held = this.parked.get(cmd.requestId);
      if (held) {
        // A later answer overtakes the held one: the two reach the floor in swapped order.
        this.parked.delete(cmd.requestId);
        this.world.stats.count("fault.reordered");
        const first = this.deliver(cmd);
        this.deliver(held);
        return first;
      }
      if (rng.chance(this.f.reorderP)) {
        this.parked.set(cmd.requestId, cmd);
        this.world.after(rng.next() * this.f.reorderWindowMs, () => this.flush(cmd.requestId, cmd));
        return null;
      }
    }
    return this.deliver(cmd);
  }

  /** Drops agents' connections as a Poisson process per agent; reconnects most of them within the grace. */
  startDisconnects(agentId: AgentId): void {
    if (this.f.disconnectPerHour <= 0) return;
    const rng = this.world.rng.faults;
    this.world.after(rng.exponential(3_600_000 / this.f.disconnectPerHour), () => {
      if (this.world.closed) return;
      const a = this.world.model.agents.get(agentId);
      if (a?.loggedIn && a.connected) this.drop(agentId);
      this.startDisconnects(agentId);
    });
  }

  private drop(agentId: AgentId): void {
    const rng = this.world.rng.faults;
    const grace = this.world.floor.options.agentReconnectGraceMs;
    this.send({ type: "agent.disconnect", agentId });
    const beyond = rng.chance(this.f.beyondGraceP);
    const back = beyond
      ? grace + 1000 + rng.next() * 60_000
      : Math.min(sample(rng, this.f.reconnectSec) * 1000, grace - 1);
    this.world.stats.count(beyond ? "fault.disconnectBeyondGrace" : "fault.disconnect");
    this.world.after(back, () => {
      const a = this.world.model.agents.get(agentId);
      if (a?.loggedIn && !a.connected) this.send({ type: "agent.reconnect", agentId });
    });
  }

  private flush(requestId: RequestId, cmd: FloorCommand): void {
    if (this.parked.get(requestId) !== cmd) return;
    this.parked.delete(requestId);
    this.deliver(cmd);
  }

  private deliver(cmd: FloorCommand): DispatchResult {
    const result = this.world.dispatch(cmd);
    if (duplicable.has(cmd.type) && this.world.rng.faults.chance(this.f.duplicateP)) {
      this.world.stats.count("fault.duplicated");
      this.world.dispatch(cmd);
    }
    return result;
  }

  /** Churn: the agent picked for a transfer or invitation logs out right after it is sent. */
  private onEvent(e: RecordedEvent): void {
    if (e.type !== "transfer.requested" && e.type !== "invitation.sent") return;
    const rng = this.world.rng.faults;
    if (this.world.closed || e.agentIds.length === 0 || !rng.chance(this.f.churnP)) return;
    const victim = rng.pick(e.agentIds);
    this.world.stats.count("fault.churn");
    this.world.after(0, () => {
      if (!this.world.model.agents.get(victim)?.loggedIn) return;
      this.send({ type: "agent.logout", agentId: victim });
      this.agents.comeBackLater(victim);
    });
  }
}
