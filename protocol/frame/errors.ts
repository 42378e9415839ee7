// Typed errors of the frame codec, each grouped under a `reason` union; bad input never throws.
import * as Data from "effect/Data";

/** Why a frame could not be read or applied. */
export type FrameDecodeReason =
  | "BadMagic"
  | "UnsupportedVersion"
  | "BadHeader"
  | "TooLarge"
  | "Truncated"
  | "LengthMismatch"
  | "UnknownEncoding"
  | "OutOfBounds"
  | "DuplicateTile"
  | "BadPayload"
  | "MissingReference"
  | "SizeMismatch"
  | "OutOfSequence";

export class FrameDecodeError extends Data.TaggedError("FrameDecodeError")<{
  readonly reason: FrameDecodeReason;
  readonly message: string;
}> {}

/** Builds a decode error whose message starts with its reason. */
export const decodeError = (reason: FrameDecodeReason, detail: string): FrameDecodeError =>
  new FrameDecodeError({ reason, message: `${reason}: ${detail}` });

/** Why a screen image could not be encoded. */
export type FrameEncodeReason = "BadDimensions" | "BadBuffer" | "PayloadTooLarge";

export class FrameEncodeError extends Data.TaggedError("FrameEncodeError")<{
  readonly reason: FrameEncodeReason;
  readonly message: string;
}> {}

export const encodeError = (reason: FrameEncodeReason, detail: string): FrameEncodeError =>
  new FrameEncodeError({ reason, message: `${reason}: ${detail}` });
