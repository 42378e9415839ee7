// esbuild, for the bundles the server builds in memory at start. esbuild's JS API keeps one child process for its
// builds, and it stays after the last one: at `npm start` that child held ≈ 110 MiB for the server's whole life,
// after bundling the console. It is stopped once no build is running; a later build starts a new one.
import { type BuildOptions, type BuildResult, build, type SameShape, stop } from "esbuild";

let running = 0;

export async function buildBundle<T extends BuildOptions>(
  options: SameShape<BuildOptions, T>,
): Promise<BuildResult<T>> {
  running++;
  try {
    return await build(options);
  } finally {
    // Synchronous up to the child's end: a build started after this starts a new child.
    if (--running === 0) void stop();
  }
}
