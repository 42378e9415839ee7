// Annotation records and diffs: the public face.
export {
  Annotation,
  AnnotationDiff,
  type AnnotationKind,
  annotationKinds,
  decodeAnnotationDiff,
  defaultColours,
} from "./schema.ts";
