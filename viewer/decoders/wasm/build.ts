// Compiles the decode kernels (assembly/, AssemblyScript) to WebAssembly from source — when the console or a test
// harness bundles the decode worker, and in tests and benches — cached by content hash (`compileAssembly`). Node only.
import { fileURLToPath } from "node:url";
import { compileAssembly } from "../../../protocol/wasm/compileAssembly.ts";

const assembly = fileURLToPath(new URL("./assembly", import.meta.url));

let built: Promise<Uint8Array<ArrayBuffer>> | undefined;

/** The kernels' .wasm bytes, compiled once per process (and per source on disk). */
export const buildDecodeKernels = (): Promise<Uint8Array<ArrayBuffer>> => {
  built ??= compileAssembly("decode-kernels", assembly, ["lz4.ts", "pixels.ts", "inflate.ts"]);
  return built;
};
