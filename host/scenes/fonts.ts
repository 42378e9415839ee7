// Registers the DejaVu fonts shipped in the dejavu-fonts-ttf package, so scenes draw the same glyphs on every machine.

import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { GlobalFonts } from "@napi-rs/canvas";

/** Font families for canvas `font` strings; system fonts are never used. */
export const MONO_FONT = "TandemSceneMono";
export const SANS_FONT = "TandemSceneSans";
export const SANS_BOLD_FONT = "TandemSceneSansBold";

let registered = false;

export const registerSceneFonts = (): void => {
  if (registered) return;
  const ttf = join(dirname(createRequire(import.meta.url).resolve("dejavu-fonts-ttf/package.json")), "ttf");
  const fonts = [
    ["DejaVuSansMono.ttf", MONO_FONT],
    ["DejaVuSans.ttf", SANS_FONT],
    ["DejaVuSans-Bold.ttf", SANS_BOLD_FONT],
  ] as const;
  for (const [file, family] of fonts) {
    if (GlobalFonts.registerFromPath(join(ttf, file), family) === null) {
      throw new Error(`could not load scene font ${file} from ${ttf}`);
    }
  }
  registered = true;
};
