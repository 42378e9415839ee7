// The file relay's public face.
export {
  type EndpointKey,
  type Purpose,
  type RelayPorts,
  type RelayStats,
  type Transfer,
  TransferRelay,
} from "./transferRelay.ts";
