// Compiles the capture kernels (assembly/, AssemblyScript) to WebAssembly from source, cached by content hash
// (`compileAssembly`). Node only.
import { fileURLToPath } from "node:url";
import { compileAssembly } from "../../../protocol/wasm/compileAssembly.ts";

const assembly = fileURLToPath(new URL("./assembly", import.meta.url));

let built: Promise<Uint8Array<ArrayBuffer>> | undefined;

/** The kernels' .wasm bytes, compiled once per process (and per source on disk). */
export const buildCaptureKernels = (): Promise<Uint8Array<ArrayBuffer>> => {
  built ??= compileAssembly("capture-kernels", assembly, ["zPixmap.ts"]);
  return built;
};
