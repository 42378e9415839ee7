// Public face of the host (customer side): synthetic capture and the frame encoder.
export * from "./capture/index.ts";
export * from "./encoders/index.ts";
