// Public face of the WebAssembly decode kernels for the browser. build.ts and esbuildPlugin.ts are the Node side
// (bundling, tests, benches) and are imported by path.
export { WasmKernels } from "./wasmKernels.ts";
