// The shared-screen view of the console: the component, its view math and the monitor layout.
export { fromHost, type HostMonitor, type Monitor, miniMap, neighbour, stepMonitor } from "./monitors.ts";
export { ScreenView, type ScreenViewOptions } from "./screenView.ts";
export * from "./viewMath.ts";
