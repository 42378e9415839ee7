// The screen channel's messages: the public face.
export * from "./messages.ts";
