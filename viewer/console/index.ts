// Public face of the agent console: the bundle builder (for the server and the tests) and the pure read model.
export { buildConsole, type ConsoleBundle, consoleHtml } from "./build.ts";
export { type ConsoleEvent, ConsoleModel } from "./model.ts";
