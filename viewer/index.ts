// Public face of the viewer (agent console side of the screen): Display and the frame decoders.
export * from "./decoders/index.ts";
export * from "./display/index.ts";
