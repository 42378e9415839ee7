// Public face of the synthetic desktop: scripted scenes by name, deterministic from a seed and a frame number.
import { busyAnimation } from "./busyAnimation.ts";
import { documentScroll } from "./documentScroll.ts";
import { idleCursor } from "./idleCursor.ts";
import { defaultSceneOptions, type SceneName, type SceneOptions, type SceneScript } from "./sceneScript.ts";
import { terminalTyping } from "./terminalTyping.ts";
import { windowDrag } from "./windowDrag.ts";

export { ANIMATION_SIZE_PX } from "./busyAnimation.ts";
export { DOCUMENT_SCROLL_PX_PER_FRAME } from "./documentScroll.ts";
export { CARET_BLINK_FRAMES } from "./idleCursor.ts";
export {
  defaultSceneOptions,
  type SceneName,
  type SceneOptions,
  type SceneScript,
  sceneNames,
} from "./sceneScript.ts";
export { DRAG_STEP_PX } from "./windowDrag.ts";

const factories: Record<SceneName, (options: SceneOptions) => SceneScript> = {
  "terminal-typing": terminalTyping,
  "document-scroll": documentScroll,
  "window-drag": windowDrag,
  "busy-animation": busyAnimation,
  "idle-cursor": idleCursor,
};

/** Builds a scene: its sprites are drawn once here (tens of ms), frames are cheap afterwards. */
export const createScene = (name: SceneName, options: Partial<SceneOptions> = {}): SceneScript =>
  factories[name]({ ...defaultSceneOptions, ...options });
