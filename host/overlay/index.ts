// Public face of the host's annotation overlay (R-V4): the agent's and the customer's ink on the customer's screen,
// the capture that sees past it, and the customer's own tools.
export {
  AnnotationOverlay,
  type AnnotationOverlayOptions,
  defaultAnnotationOverlayOptions,
} from "./annotationOverlay.ts";
export { type CustomerTool, CustomerTools, type CustomerToolsOptions } from "./customerTools.ts";
export { OverlayFreeSource } from "./overlayFreeSource.ts";
