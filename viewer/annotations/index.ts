// The annotation layer of the viewer (R-V4, R-V5): scene, geometry, pointer state chart, renderer and hotkeys.
export { bounds, hitsStroke, snapStraight, thin, toScreen } from "./geometry.ts";
export {
  type HotkeyAction,
  hotkeyAction,
  type ScreenKeyAction,
  screenKeyAction,
} from "./hotkeys.ts";
export { type PointerEmitted, type PointerEvent, pointerMachine, type Tool } from "./pointerMachine.ts";
export { type Pen, renderScene, type View } from "./render.ts";
export { AnnotationScene } from "./scene.ts";
