// Lets the decode worker's bundle `import kernels from "virtual:decode-kernels"`: the .wasm compiled from source by
// build.ts, inlined into the bundle as bytes (esbuild's binary loader), so the worker needs no second request.
import type { Plugin } from "esbuild";
import { buildDecodeKernels } from "./build.ts";

export const decodeKernelsPlugin = (): Plugin => ({
  name: "decode-kernels",
  setup(build) {
    build.onResolve({ filter: /^virtual:decode-kernels$/ }, (args) => ({
      path: args.path,
      namespace: "decode-kernels",
    }));
    build.onLoad({ filter: /.*/, namespace: "decode-kernels" }, async () => ({
      contents: await buildDecodeKernels(),
      loader: "binary",
    }));
  },
});
