// The shared-screen view of the console: the component, its view math and the monitor layout.
export { type Monitor, miniMap, neighbour } from "./monitors.ts";
export { ScreenView, type ScreenViewOptions } from "./screenView.ts";
export * from "./viewMath.ts";
