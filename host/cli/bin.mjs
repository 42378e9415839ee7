#!/usr/bin/env node
// `npx tandem-host …`: runs the TypeScript host through tsx's loader, so no build step stands between a customer and help.
import { register } from "tsx/esm/api";

register();
await import("./main.ts");
