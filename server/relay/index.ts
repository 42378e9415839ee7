// The frame relay's public face.
export {
  defaultRelayOptions,
  FrameRelay,
  type HostLink,
  type RelayOptions,
  type RelayRejection,
  type RelayStats,
  type ViewerLink,
} from "./frameRelay.ts";
