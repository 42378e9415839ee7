// `tandem-host` (also `npm run host -- …`): what the customer runs after an agent answered. It asks before sharing
// anything, streams the screen to the session, and stops when the customer presses `s` or Ctrl+C (R-S8).
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import type { ControlLevel } from "../../protocol/screen/index.ts";
import { type CaptureSource, RecordedSource, SyntheticSource, X11Source } from "../capture/index.ts";
import type { InputSink } from "../input/index.ts";
import { RemoteControl } from "../input/index.ts";
import { AnnotationOverlay, type CustomerTool, CustomerTools, OverlayFreeSource } from "../overlay/index.ts";
import { type SceneName, sceneNames } from "../scenes/index.ts";
import { controlSink } from "./controlSink.ts";
import { type ConsentPrompt, HostSession } from "./hostSession.ts";

/** The customer's keys for their own annotation tools (R-V4). */
const toolKeys: Record<string, CustomerTool> = {
  p: "pen",
  h: "highlighter",
  a: "arrow",
  m: "mouse",
  "\u001b": "mouse",
};

const usage = `tandem-host --server <ws url from the customer page> --session <id> --key <key>
  [--source x11|synthetic:<scene>|recorded:<folder>] [--level view|control] [--yes] [--fps 30] [--colours 256]
  scenes: ${sceneNames.join(", ")}`;

const { values } = parseArgs({
  options: {
    server: { type: "string" },
    session: { type: "string" },
    key: { type: "string" },
    source: { type: "string", default: "x11" },
    level: { type: "string", default: "view" },
    yes: { type: "boolean", default: false },
    fps: { type: "string", default: "30" },
    colours: { type: "string", default: "true" },
  },
});

if (!values.server || !values.session || !values.key) {
  console.error(usage);
  process.exit(2);
}
const level = values.level === "control" ? "control" : "view";
const screenUrl = values.server.replace(/\/ws\/?$/, "/screen");

async function openSource(spec: string): Promise<CaptureSource> {
  if (spec === "x11") return X11Source.open();
  if (spec.startsWith("synthetic:")) {
    const scene = spec.slice("synthetic:".length) as SceneName;
    if (!sceneNames.includes(scene))
      throw new Error(`unknown scene ${scene}; one of ${sceneNames.join(", ")}`);
    return new SyntheticSource({ scene });
  }
  if (spec.startsWith("recorded:")) return new RecordedSource(spec.slice("recorded:".length), { loop: true });
  throw new Error(`unknown source ${spec}\n${usage}`);
}

/** Default-deny: without a terminal to ask on, nothing is shared unless --yes was given. */
const consent: ConsentPrompt = async ({ reason, suggested }) => {
  if (values.yes) return suggested;
  if (!process.stdin.isTTY) {
    console.error("No terminal to ask for your consent: nothing is shared (use --yes to agree in advance).");
    return null;
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const what =
    reason === "level"
      ? `switch to ${suggested === "control" ? "shared control" : "view only"}`
      : "see your screen";
  const answer = await rl.question(
    `Your support agent asks to ${what}.\n  [v] view only   [c] view and control mouse and keyboard   [n] no\n> `,
  );
  rl.close();
  const a = answer.trim().toLowerCase();
  return a.startsWith("c") ? "control" : a.startsWith("v") ? "view" : null;
};

async function openInput(): Promise<InputSink | undefined> {
  if (values.source !== "x11") return undefined;
  return controlSink(await RemoteControl.open());
}

/**
 * Under X11 the annotations show on the customer's own screen, and the capture sees past them so they never echo
 * back to the agent as screen content (host/overlay). Without SHAPE, sharing goes on without the overlay.
 */
async function openOverlay(): Promise<AnnotationOverlay | undefined> {
  if (values.source !== "x11") return undefined;
  return AnnotationOverlay.open().catch((err: Error) => {
    console.error(`Annotations will not show on this screen: ${err.message}`);
    return undefined;
  });
}

const overlay = await openOverlay();
const captured = await openSource(values.source);
const source = overlay ? new OverlayFreeSource(captured, overlay) : captured;
const session = new HostSession({
  screenUrl,
  sessionId: values.session,
  key: values.key,
  source,
  consent,
  level: level as ControlLevel,
  input: await openInput(),
  framesPerSecondMax: Number(values.fps),
  palette256: values.colours === "256",
  log: (line) => console.error(line),
  onAnnotations: (diff) => overlay?.apply(diff),
  onLaser: (x, y) => overlay?.laser(x, y),
});
const tools = overlay
  ? await CustomerTools.open({
      onDiff: (diff) => {
        overlay.apply(diff);
        session.sendAnnotations(diff);
      },
    })
  : undefined;
if (!(await session.start())) {
  await source.close();
  process.exit(1);
}
console.log(`Sharing your screen with session ${values.session}. Press s to stop sharing, Ctrl+C to quit.`);
if (tools)
  console.log("Draw for your agent: p pen, h highlighter, a arrow, c clear all, m or Esc back to the mouse.");
if (process.stdin.isTTY) {
  process.stdin.setRawMode(true);
  process.stdin.on("data", (key) => {
    const k = String(key).toLowerCase();
    if (key[0] === 3) void quit();
    else if (k === "s") {
      session.stopByCustomer();
      console.log("Sharing stopped. Your agent can ask to share again.");
    } else if (tools && k === "c") tools.clear();
    else if (tools && toolKeys[k]) void selectTool(tools, toolKeys[k]);
  });
}
async function selectTool(t: CustomerTools, tool: CustomerTool): Promise<void> {
  if (await t.select(tool))
    console.log(tool === "mouse" ? "Mouse back to normal." : `${tool}: draw with your mouse.`);
  else console.log("Another program holds the mouse; try again.");
}

const quit = async () => {
  await tools?.close();
  await overlay?.close();
  await session.close();
  await source.close();
  process.exit(0);
};
process.on("SIGINT", () => void quit());
process.on("SIGTERM", () => void quit());
