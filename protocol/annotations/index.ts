// Annotation records and diffs: the public face.
export {
  Annotation,
  AnnotationDiff,
  type AnnotationKind,
  annotationKinds,
  decodeAnnotationDiff,
  defaultColours,
  LASER_SHOWN_MS,
} from "./schema.ts";
