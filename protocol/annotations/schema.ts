// Annotations on a shared screen (R-V4) as plain records changed by small diffs, decoded once when they cross a process boundary.
import * as Schema from "effect/Schema";

export const annotationKinds = ["pen", "highlighter", "arrow", "laser"] as const;
export type AnnotationKind = (typeof annotationKinds)[number];

/** Points in screen pixels of the customer's desktop, flattened [x0, y0, x1, y1, …]. */
const Points = Schema.Array(Schema.Number.check(Schema.isFinite())).check(Schema.isMaxLength(4096));

export const Annotation = Schema.Struct({
  id: Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(64)),
  /** Increases with every change; a diff carrying an older version than the scene holds is stale and ignored. */
  version: Schema.Number.check(Schema.isInt(), Schema.isGreaterThanOrEqualTo(0)),
  kind: Schema.Literals(annotationKinds),
  points: Points,
  /** CSS colour as #rrggbb. */
  colour: Schema.String.check(Schema.isPattern(/^#[0-9a-f]{6}$/i)),
  /** Who drew it: an agent id, or "customer" (R-V4: the customer has annotation tools too). */
  author: Schema.String.check(Schema.isMaxLength(64)),
});
export type Annotation = typeof Annotation.Type;

export const AnnotationDiff = Schema.Struct({
  added: Schema.Array(Annotation).check(Schema.isMaxLength(256)),
  updated: Schema.Array(Annotation).check(Schema.isMaxLength(256)),
  removed: Schema.Array(Schema.String).check(Schema.isMaxLength(4096)),
  /** Clear all (R-V4, F12): removes every record before the rest of the diff applies. */
  clear: Schema.optional(Schema.Boolean),
});
export type AnnotationDiff = typeof AnnotationDiff.Type;

export const decodeAnnotationDiff = Schema.decodeUnknownResult(AnnotationDiff);

/** How long a laser dot stays on the other side's screen after its last move (R-V4): a pointer, not a drawing. */
export const LASER_SHOWN_MS = 1500;

/** Default colours (R-V4): pen blue, highlighter yellow, arrow and laser red. */
export const defaultColours: Record<AnnotationKind, string> = {
  pen: "#1e5bff",
  highlighter: "#ffd400",
  arrow: "#e0262b",
  laser: "#ff2020",
};
