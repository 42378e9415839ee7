// The host session's input sink on a real X display: RemoteControl behind the session's own gate. HostSession passes
// input on only while the customer has granted shared control, so the policy here is set to shared control and
// keeps the rest of its job — the owner's mouse wins, and a pause holds input (R-S8).
import type { InputDecision, InputSink, RemoteControl, RemoteInputEvent } from "../input/index.ts";

export const controlSink = (
  control: RemoteControl,
  onDecision?: (event: RemoteInputEvent, decision: InputDecision) => void,
): InputSink => {
  control.policy.setLevel("shared-control");
  return {
    apply: async (event) => {
      const decision = await control.handle(event);
      onDecision?.(event, decision);
    },
    releaseAll: () => control.releaseAll(),
    close: () => control.close(),
  };
};
