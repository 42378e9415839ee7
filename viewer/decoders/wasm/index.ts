// Public face of the WebAssembly decode kernels for the browser: the inflater. build.ts and esbuildPlugin.ts are the
// Node side (bundling, tests, benches) and are imported by path.
export { instantiateWasmInflater } from "./wasmInflater.ts";
