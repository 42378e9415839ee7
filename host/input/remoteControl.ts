// Remote control of the customer's screen: the policy gate in front of the XTEST sink, with the owner's mouse watched.
import { DisplayConnection } from "../x11/connection.ts";
import { ControlPolicy, type ControlPolicyOptions, type InputDecision } from "./controlPolicy.ts";
import {
  defaultLocalPointerWatchOptions,
  LocalPointerWatch,
  type LocalPointerWatchOptions,
} from "./localPointerWatch.ts";
import { PointerLedger } from "./pointerLedger.ts";
import type { InputSink, RemoteInputEvent } from "./remoteInput.ts";
import { XTestSink } from "./xtestSink.ts";

export interface RemoteControlOptions
  extends Partial<ControlPolicyOptions>,
    Partial<LocalPointerWatchOptions> {
  /** Display name such as ":0"; defaults to `$DISPLAY`. */
  readonly display?: string;
}

export class RemoteControl {
  private held = false;

  constructor(
    readonly policy: ControlPolicy,
    private readonly sink: InputSink,
    private readonly watch: LocalPointerWatch | undefined,
    private readonly conn: DisplayConnection | undefined,
  ) {}

  /** Opens its own X connection: the sink and the watch share it, which is what keeps their order honest. */
  static async open(options: RemoteControlOptions = {}): Promise<RemoteControl> {
    const conn = await DisplayConnection.open({
      ...(options.display ? { display: options.display } : {}),
      shm: false,
    });
    try {
      const policy = new ControlPolicy(options);
      const ledger = new PointerLedger();
      const sink = await XTestSink.open(conn, ledger);
      const control: { current?: RemoteControl } = {};
      const watch = new LocalPointerWatch(conn, ledger, () => control.current?.ownerMoved(), {
        pollIntervalMs: options.pollIntervalMs ?? defaultLocalPointerWatchOptions.pollIntervalMs,
      });
      control.current = new RemoteControl(policy, sink, watch, conn);
      watch.start();
      return control.current;
    } catch (err) {
      await conn.close();
      throw err;
    }
  }

  /** Applies the event if the policy allows it now; otherwise drops it and says why. */
  async handle(event: RemoteInputEvent): Promise<InputDecision> {
    const decision = this.policy.decide();
    if (!decision.apply) {
      await this.letGo();
      return decision;
    }
    await this.sink.apply(event);
    if (event.type !== "pointer.move") this.held = true;
    return decision;
  }

  /** Control ended or was paused: lets go of every button and key remote input holds down. */
  async releaseAll(): Promise<void> {
    this.held = false;
    await this.sink.releaseAll();
  }

  /** The owner moved: remote input pauses at once, and anything it held down is released (the owner wins). */
  ownerMoved(): void {
    this.policy.noteLocalInput();
    void this.letGo();
  }

  private async letGo(): Promise<void> {
    if (!this.held) return;
    this.held = false;
    await this.sink.releaseAll();
  }

  async close(): Promise<void> {
    this.watch?.stop();
    await this.sink.close();
    await this.conn?.close();
  }
}
