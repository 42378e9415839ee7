// What every scripted synthetic desktop scene provides: a name and a frame renderer that is a pure function of (seed, frame).
import type { RgbaImage } from "../../protocol/frame/index.ts";

export const sceneNames = [
  "terminal-typing",
  "document-scroll",
  "window-drag",
  "busy-animation",
  "idle-cursor",
] as const;

export type SceneName = (typeof sceneNames)[number];

export interface SceneOptions {
  readonly width: number;
  readonly height: number;
  /** Everything random in a scene (text, paths, colours) derives from this. */
  readonly seed: number;
}

export const defaultSceneOptions = { width: 1920, height: 1080, seed: 1 } as const satisfies SceneOptions;

export interface SceneScript {
  readonly name: SceneName;
  readonly width: number;
  readonly height: number;
  /** Draws frame `frame` (0, 1, …) over the whole of `out`: the same (seed, frame) always gives the same pixels. */
  render(frame: number, out: RgbaImage): void;
}
