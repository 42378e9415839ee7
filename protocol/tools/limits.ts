// The session tools' named limits (ws style: name, default, unit last), shared by host, server and console.

export interface ToolLimits {
  /** Largest clipboard (text or image) one side may send, R-T2: 1.5 MiB. One byte more is refused. */
  clipboardMaxBytes: number;
  /** Largest payload of one binary file chunk; bigger chunks are refused by the relay. */
  chunkBytesMax: number;
  /** Bytes of one transfer relayed and not yet acknowledged by the receiver, at most: the server's memory bound. */
  transferWindowBytes: number;
  /** Files (and folders' files) in one offer, at most. */
  offerFilesMax: number;
  /** A restarted host must be back within this long or the session expires (R-T5): 10 minutes. */
  rebootReconnectWindowMs: number;
  /** A dropped peer may resume an interrupted transfer this long after it dropped. */
  transferResumeWindowMs: number;
}

export const defaultToolLimits: ToolLimits = {
  clipboardMaxBytes: 1_572_864,
  chunkBytesMax: 1_048_576,
  transferWindowBytes: 16 * 1_048_576,
  offerFilesMax: 10_000,
  rebootReconnectWindowMs: 600_000,
  transferResumeWindowMs: 600_000,
};

/** The tools a customer grants one by one (default deny, revocable at any time). */
export const toolNames = [
  "files",
  "clipboard",
  "diagnostics",
  "restart",
  "elevation",
  "credentials",
] as const;
export type ToolName = (typeof toolNames)[number];
