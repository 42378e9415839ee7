// Control messages of the screen channel (`/screen`): host ↔ server ↔ viewers. Frames themselves travel as binary
// messages (protocol/frame); these JSON messages carry flow control, consent, input and annotations (R-S8, R-V4).
import * as Schema from "effect/Schema";
import { AnnotationDiff } from "../annotations/index.ts";

const Seq = Schema.Number.check(Schema.isInt(), Schema.isGreaterThanOrEqualTo(0));
const Coord = Schema.Number.check(
  Schema.isInt(),
  Schema.isGreaterThanOrEqualTo(0),
  Schema.isLessThanOrEqualTo(65535),
);
export const ControlLevel = Schema.Literals(["view", "control"]);
export type ControlLevel = typeof ControlLevel.Type;
export const HostColours = Schema.Literals(["true", "256"]);
export type HostColours = typeof HostColours.Type;

const MonitorInfo = Schema.Struct({
  id: Schema.Number,
  name: Schema.String.check(Schema.isMaxLength(64)),
  x: Schema.Number,
  y: Schema.Number,
  width: Schema.Number,
  height: Schema.Number,
  primary: Schema.Boolean,
});

export const PointerInput = Schema.Struct({
  type: Schema.Literal("input.pointer"),
  x: Coord,
  y: Coord,
  /** Bit 0 left, bit 1 right, bit 2 middle: the buttons held after this event. */
  buttons: Schema.Number.check(
    Schema.isInt(),
    Schema.isGreaterThanOrEqualTo(0),
    Schema.isLessThanOrEqualTo(7),
  ),
});
export const KeyInput = Schema.Struct({
  type: Schema.Literal("input.key"),
  /** A DOM `KeyboardEvent.key` value ("a", "Enter", "F5"…). */
  key: Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(32)),
  down: Schema.Boolean,
});

/** Where the customer's pointer is, in screen pixels (the picture never contains the cursor). */
export const CursorPosition = Schema.Struct({ type: Schema.Literal("cursor"), x: Coord, y: Coord });
export type CursorPosition = typeof CursorPosition.Type;

const CursorEdge = Schema.Number.check(Schema.isInt(), Schema.isBetween({ minimum: 1, maximum: 256 }));
const HotSpot = Schema.Number.check(Schema.isInt(), Schema.isBetween({ minimum: 0, maximum: 255 }));
/** The cursor's picture, sent when it changes: straight-alpha RGBA, width × height × 4 bytes, base64. */
export const CursorShape = Schema.Struct({
  type: Schema.Literal("cursorShape"),
  width: CursorEdge,
  height: CursorEdge,
  hotX: HotSpot,
  hotY: HotSpot,
  rgba: Schema.String.check(Schema.isMaxLength(Math.ceil((256 * 256 * 4) / 3) * 4)),
});
export type CursorShape = typeof CursorShape.Type;

// Messages more than one side sends.
const Ack = Schema.Struct({ type: Schema.Literal("ack"), seq: Seq });
const Annotations = Schema.Struct({ type: Schema.Literal("annotations"), diff: AnnotationDiff });
const Laser = Schema.Struct({ type: Schema.Literal("laser"), x: Coord, y: Coord });
/** Pause, stop or restart sharing, or ask for another level (the customer confirms on their side, R-S8). */
const Sharing = Schema.Struct({
  type: Schema.Literal("sharing"),
  action: Schema.Literals(["pause", "stop", "restart"]),
});
const Level = Schema.Struct({ type: Schema.Literal("level"), level: ControlLevel });
/** R-V6 host preference: true colour, or 256 colours for speed on slow links (the next frame is a key frame). */
const Colours = Schema.Struct({ type: Schema.Literal("colours"), colours: HostColours });

/** Host → server. */
export const HostMessage = Schema.Union([
  /** The customer consented (R-S8): sharing starts at this level. */
  Schema.Struct({ type: Schema.Literal("share"), level: ControlLevel, monitors: Schema.Array(MonitorInfo) }),
  /**
   * Sharing paused or stopped, asked for by `by` (or the customer's no to the first question); `paused`: paused, not
   * stopped. After a stop only the agent restarts (R-S8).
   */
  Schema.Struct({
    type: Schema.Literal("stopped"),
    by: Schema.Literals(["customer", "agent"]),
    paused: Schema.optional(Schema.Boolean),
  }),
  Annotations,
  /** The customer's own laser pointer (R-V4), shown to the viewers for a moment. */
  Laser,
  CursorPosition,
  CursorShape,
]);
export type HostMessage = typeof HostMessage.Type;

/** Both a viewer's and the host's: acks (the relay sends the host its own), and requests the server passes on once allowed. */
const ForTheHost = [Ack, PointerInput, KeyInput, Annotations, Laser, Sharing, Level, Colours] as const;

/** Viewer → server. */
export const ViewerMessage = Schema.Union([
  ...ForTheHost,
  Schema.Struct({ type: Schema.Literal("needKey") }),
]);
export type ViewerMessage = typeof ViewerMessage.Type;

/** Server → host (decoded by the host too: it crosses a process boundary). */
export const ToHost = Schema.Union([...ForTheHost, Schema.Struct({ type: Schema.Literal("keyFrame") })]);
export type ToHost = typeof ToHost.Type;

/** Server → viewer. */
export type ToViewer =
  | {
      type: "state";
      sharing: "waiting" | "on" | "paused" | "stopped";
      level: ControlLevel | null;
      monitors: ReadonlyArray<typeof MonitorInfo.Type>;
      /** May this viewer send input (shared control granted, and it is the session's owner)? */
      control: boolean;
    }
  | { type: "annotations"; diff: AnnotationDiff }
  | { type: "laser"; x: number; y: number }
  | CursorPosition
  | CursorShape
  | ScreenError;

const ScreenErrorReason = Schema.Literals(["BadMessage", "BadFrame", "NotAllowed", "NotSharing"]);
export type ScreenErrorReason = typeof ScreenErrorReason.Type;

/** The server's refusal of something its peer sent; the socket stays open. */
export const ScreenError = Schema.Struct({
  type: Schema.Literal("error"),
  reason: ScreenErrorReason,
  message: Schema.String,
});
export type ScreenError = typeof ScreenError.Type;

/** The WebSocket subprotocol that names the channel; the secret (host key or agent token) travels as `auth.<secret>`. */
export const screenProtocol = "tandem-screen.v1";

/** Close codes of the screen channel (one table, like the control channel's). */
export const screenCloseCodes = {
  /** No longer allowed (the agent left the session). A wrong key or token never gets a socket: HTTP 401. */
  Unauthorised: 4401,
  /** The session ended. */
  SessionEnded: 4410,
  /** Another host connected for this session. */
  Replaced: 4409,
} as const;

export const decodeHostMessage = Schema.decodeUnknownResult(Schema.fromJsonString(HostMessage));
export const decodeViewerMessage = Schema.decodeUnknownResult(Schema.fromJsonString(ViewerMessage));
export const decodeToHost = Schema.decodeUnknownResult(
  Schema.fromJsonString(Schema.Union([ToHost, ScreenError])),
);
