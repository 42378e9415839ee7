// Public face of host input: remote input events, the XTEST sink, the control policy and the remote-control gate.
export {
  type ControlLevel,
  ControlPolicy,
  type ControlPolicyOptions,
  defaultControlPolicyOptions,
  type InputDecision,
} from "./controlPolicy.ts";
export { KeyboardMap, type KeyStroke } from "./keyboardMap.ts";
export {
  defaultLocalPointerWatchOptions,
  LocalPointerWatch,
  type LocalPointerWatchOptions,
} from "./localPointerWatch.ts";
export { type Point, PointerLedger } from "./pointerLedger.ts";
export { RemoteControl, type RemoteControlOptions } from "./remoteControl.ts";
export type { InputSink, Keysym, RemoteInputEvent } from "./remoteInput.ts";
export { XTestSink } from "./xtestSink.ts";
