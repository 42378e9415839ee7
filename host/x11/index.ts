// Public face of the host's X11 plumbing: the typed connection and the private Xvfb used by tests and benchmarks.
export { DisplayConnection, type Extensions, type OpenDisplayOptions } from "./connection.ts";
export { defaultXvfbOptions, findXvfb, startXvfb, type Xvfb, type XvfbOptions } from "./xvfb.ts";
