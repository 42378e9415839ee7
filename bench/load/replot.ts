// Redraws out/bench/load-latency.svg from out/bench/load.json (`npx tsx bench/load/replot.ts`), e.g. after a change
// to the plot, without running the load again.
import { readFileSync, writeFileSync } from "node:fs";
import { latencyPlot } from "./plot.ts";

const result = JSON.parse(readFileSync("out/bench/load.json", "utf8"));
const { profiles } = await import("./profiles.ts");
writeFileSync(
  "out/bench/load-latency.svg",
  latencyPlot(result.steps, result.overload, profiles[result.profile as "ci" | "full"].thresholds),
);
console.log("out/bench/load-latency.svg");
