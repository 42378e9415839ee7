// The decode kernels' .wasm bytes, as the esbuild plugin (esbuildPlugin.ts) hands them to the worker's bundle.
declare module "virtual:decode-kernels" {
  const bytes: Uint8Array<ArrayBuffer>;
  export default bytes;
}
