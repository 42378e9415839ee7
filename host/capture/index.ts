// Public face of host capture: for now the seeded synthetic screen used by tests and benches.
export { createFont, drawTextLine, fillGradient, fillNoise, fillRect, fillText, rgb } from "./paint.ts";
export { createPrng, type Prng } from "./prng.ts";
export {
  createTextWindow,
  renderScene,
  type Scene,
  type SceneWindow,
  scrollWindow,
  TITLE_BAR_PX,
  typeInWindow,
} from "./syntheticScene.ts";
