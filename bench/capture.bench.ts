// Capture benchmark: ms per 1920×1080 grab for X11Source on Xvfb (MIT-SHM and core GetImage, with and without DAMAGE,
// pixels turned into RGBA by the WebAssembly kernels or the TS loop) and for each synthetic scene; one JSON line per
// case, also saved to out/bench/capture.json.
import { SyntheticSource } from "../host/capture/syntheticSource.ts";
import { X11Source, type X11SourceOptions } from "../host/capture/x11Source.ts";
import { sceneNames } from "../host/scenes/index.ts";
import { DisplayConnection } from "../host/x11/connection.ts";
import { createTestWindow, paintRoot, repaintWindow } from "../host/x11/testClient.ts";
import { findXvfb, startXvfb } from "../host/x11/xvfb.ts";
import { summarise, writeResults } from "./stats.ts";

const GRABS = 60;
const WARMUP = 5;
const results: unknown[] = [];
const report = (result: Record<string, unknown>) => {
  console.log(JSON.stringify(result));
  results.push(result);
};

/** Times `grab` only; `prepare` (an X client drawing, say) runs before each grab, outside the timing. */
const timed = async (grab: () => Promise<unknown>, prepare?: () => Promise<unknown>): Promise<number[]> => {
  const ms: number[] = [];
  for (let i = 0; i < WARMUP + GRABS; i++) {
    await prepare?.();
    const t0 = performance.now();
    await grab();
    if (i >= WARMUP) ms.push(performance.now() - t0);
  }
  return ms;
};

const benchX11 = async () => {
  if (findXvfb() === undefined) {
    report({ case: "X11Source", skipped: "Xvfb is not installed (apt-get install xvfb)" });
    return;
  }
  const xvfb = await startXvfb();
  const painter = await DisplayConnection.open({ display: xvfb.display, shm: false });
  try {
    await paintRoot(painter, 0x336699);
    const wid = await createTestWindow(painter, {
      x: 300,
      y: 200,
      width: 900,
      height: 600,
      colour: 0xf0f0f0,
    });
    const tile = await createTestWindow(painter, { x: 640, y: 448, width: 64, height: 64, colour: 0x000000 });
    const cases: { name: string; options: X11SourceOptions; change?: () => Promise<void> }[] = [
      { name: "X11Source 1920×1080 full grab, MIT-SHM", options: { useShm: true, useDamage: false } },
      {
        name: "X11Source 1920×1080 full grab, MIT-SHM, pixels in TS",
        options: { useShm: true, useDamage: false, useKernels: false },
      },
      { name: "X11Source 1920×1080 full grab, core GetImage", options: { useShm: false, useDamage: false } },
      { name: "X11Source 1920×1080 idle, MIT-SHM + DAMAGE", options: { useShm: true, useDamage: true } },
    ];
    let colour = 0;
    cases.push({
      name: "X11Source 1920×1080, one 64×64 tile changed, MIT-SHM + DAMAGE",
      options: { useShm: true, useDamage: true },
      change: () => {
        colour = (colour + 0x010203) & 0xffffff;
        return repaintWindow(painter, tile, colour);
      },
    });
    for (const c of cases) {
      const source = await X11Source.open({ display: xvfb.display, ...c.options });
      await source.grab();
      const ms = await timed(() => source.grab(), c.change);
      const { readPath, tracksDamage: damage, pixelKernels } = source;
      report({ case: c.name, readPath, damage, pixelKernels, ...summarise(ms) });
      await source.close();
    }
    painter.client.DestroyWindow(wid);
  } finally {
    await painter.close();
    await xvfb.stop();
  }
};

const benchScenes = async () => {
  for (const scene of sceneNames) {
    const t0 = performance.now();
    const source = new SyntheticSource({ scene, seed: 1 });
    const setupMs = Math.round((performance.now() - t0) * 10) / 10;
    const ms = await timed(() => source.grab());
    report({ case: `SyntheticSource 1920×1080 ${scene}`, setupMs, ...summarise(ms) });
  }
};

await benchX11();
await benchScenes();
writeResults("out/bench/capture.json", results);
