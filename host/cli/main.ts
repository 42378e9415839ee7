// `tandem-host` (also `npm run host -- …`): what the customer runs after an agent answered. It asks before sharing
// anything, streams the screen to the session, and stops when the customer presses `s` or Ctrl+C (R-S8); next to the
// screen it runs the session tools (files, clipboard, diagnostics, restart and reconnect, elevation, credentials), each
// asked for on this machine first. After a restart its autostart entry starts it again with `--resume`.
// The agent runs it with `--present` and the key of "Show my screen" to show their own screen to the customer (R-S8).
import { parseArgs } from "node:util";
import type { ControlLevel } from "../../protocol/screen/index.ts";
import { type CaptureSource, RecordedSource, SyntheticSource, X11Source } from "../capture/index.ts";
import type { InputSink } from "../input/index.ts";
import { RemoteControl } from "../input/index.ts";
import { AnnotationOverlay, type CustomerTool, CustomerTools, OverlayFreeSource } from "../overlay/index.ts";
import { type SceneName, sceneNames } from "../scenes/index.ts";
import { TerminalPrompt } from "../tools/customerPrompt.ts";
import {
  customerPromptFor,
  joinTarget,
  keptToolArgs,
  rebootHookFor,
  relaunchOf,
  startToolHost,
  toolOptions,
} from "../tools/launch.ts";
import type { ToolHost } from "../tools/toolHost.ts";
import { controlSink } from "./controlSink.ts";
import { type ConsentPrompt, HostSession } from "./hostSession.ts";

/** The customer's keys for their own annotation tools (R-V4). */
const toolKeys: Record<string, CustomerTool> = {
  p: "pen",
  h: "highlighter",
  a: "arrow",
  l: "laser",
  m: "mouse",
  "\u001b": "mouse",
};

const usage = `tandem-host --server <ws url from the customer page> --session <id> --key <key>
  [--source x11|synthetic:<scene> [--size 1920x1080]|recorded:<folder>] [--level view|control] [--yes] [--fps 30] [--colours 256]
  [--tools on|off] [--prompt terminal|json] [--clipboard ask|auto|decline] [--downloads <folder>] [--resume]
  [--present]  the agent shows their own screen to the customer (key from the console's "Show my screen")
  scenes: ${sceneNames.join(", ")}`;

const { values } = parseArgs({
  options: {
    ...toolOptions,
    source: { type: "string", default: "x11" },
    level: { type: "string", default: "view" },
    yes: { type: "boolean", default: false },
    fps: { type: "string", default: "30" },
    colours: { type: "string", default: "true" },
    tools: { type: "string", default: "on" },
    present: { type: "boolean", default: false },
    size: { type: "string" },
  },
});

// The tools belong to the customer's machine; an agent showing their screen runs the screen alone.
const withTools = values.tools !== "off" && !values.present;
const screenArgs = [
  ...(values.size ? ["--size", values.size] : []),
  "--source",
  values.source,
  "--level",
  values.level,
  "--fps",
  values.fps,
  "--colours",
  values.colours,
];
// After a restart the same command comes back, with what the customer chose then (the hook adds --resume).
const relaunch = relaunchOf([
  ...keptToolArgs(values),
  ...screenArgs,
  "--tools",
  values.tools,
  ...(values.yes ? ["--yes"] : []),
]);
const hook = rebootHookFor(values, relaunch);
const target = await joinTarget(values, hook);
if (!target) {
  console.error(values.resume ? "Nothing to resume (or the 10 minutes are over)." : usage);
  process.exit(values.resume ? 3 : 2);
}
const prompt = customerPromptFor(values);
const say = (text: string) => prompt.notice(text);
const level = values.level === "control" ? "control" : "view";
const screenUrl = target.server.replace(/\/ws\/?$/, "/screen");

async function openSource(spec: string): Promise<CaptureSource> {
  if (spec === "x11") return X11Source.open();
  if (spec.startsWith("synthetic:")) {
    const scene = spec.slice("synthetic:".length) as SceneName;
    if (!sceneNames.includes(scene))
      throw new Error(`unknown scene ${scene}; one of ${sceneNames.join(", ")}`);
    const [width, height] = (values.size ?? "1920x1080").split("x").map(Number);
    if (!width || !height) throw new Error(`--size ${values.size}: width x height, e.g. 1280x720`);
    return new SyntheticSource({ scene, width, height });
  }
  if (spec.startsWith("recorded:")) return new RecordedSource(spec.slice("recorded:".length), { loop: true });
  throw new Error(`unknown source ${spec}\n${usage}`);
}

/** Default-deny: the customer answers on this machine (no answer is a no), unless --yes agreed in advance. */
const consent: ConsentPrompt = async (question) =>
  values.yes ? question.suggested : prompt.screen(question);

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
  sessionId: target.sessionId,
  key: target.key,
  presenting: values.present,
  source,
  consent,
  level: level as ControlLevel,
  input: await openInput(),
  framesPerSecondMax: Number(values.fps),
  palette256: values.colours === "256",
  log: (line) => console.error(line),
  onAnnotations: (diff) => overlay?.apply(diff),
  onLaser: (x, y) => overlay?.laser(x, y),
  onRemoteSharing: (state) =>
    say(
      values.present
        ? {
            sharing: "Showing your screen again, as you agreed.",
            paused: "Showing your screen is paused from the session.",
            stopped: "Showing your screen was stopped from the session. Press r to show it again.",
          }[state]
        : {
            sharing: "Your agent started sharing again, as you agreed.",
            paused: "Your agent paused screen sharing.",
            stopped: "Your agent stopped screen sharing.",
          }[state],
    ),
  onClosed: (code) => {
    // Nothing more to share: the session ended, or (showing the agent's screen) the session changed owner.
    const why = { 4410: "the session ended", 4401: "you are no longer allowed to share in this session" }[
      code
    ];
    if (!why || (toolHost && code === 4410)) return; // with the tools, their own notice of the end quits
    say(`Screen sharing is over: ${why}.`);
    void quit(0);
  },
});
const drawing = overlay
  ? await CustomerTools.open({
      onDiff: (diff) => {
        overlay.apply(diff);
        session.sendAnnotations(diff);
      },
      onLaser: (x, y) => {
        overlay.laser(x, y);
        session.sendLaser(x, y);
      },
    })
  : undefined;

// The tools join first: whatever the customer answers about the screen, files and chat-side tools stay available.
let toolHost: ToolHost | undefined;
if (withTools) {
  toolHost = await startToolHost(target, values, {
    prompt,
    hook,
    relaunch,
    log: (line) => console.error(line),
    onEnded: (why) => {
      say(`The support session is over (${why}).`);
      void quit(0);
    },
  }).catch(async (e: Error) => {
    say(`Could not join the session: ${e.message}`);
    await source.close();
    process.exit(4);
  });
  say(`Connected to session ${target.sessionId}${values.resume ? " (back after restart)" : ""}.`);
}
if (await session.start()) {
  say(
    values.present
      ? `Showing your screen to the customer of session ${target.sessionId}. Press Space to pause or resume, s to stop, r to show it again, Ctrl+C to quit.`
      : `Sharing your screen with session ${target.sessionId}. Press Space to pause or resume, s to stop sharing, Ctrl+C to quit.`,
  );
  if (drawing)
    say(
      "Draw for your agent: p pen, h highlighter, a arrow, l laser, c clear all, m or Esc back to the mouse.",
    );
} else if (toolHost) {
  say("Your screen is not shared. Your agent can still send and receive files with your consent.");
} else {
  await source.close();
  process.exit(1);
}
if (process.stdin.isTTY && prompt instanceof TerminalPrompt) {
  process.stdin.setRawMode(true);
  process.stdin.on("data", (key) => {
    if (prompt.asking) return; // the keys belong to the question on screen
    const k = String(key).toLowerCase();
    if (key[0] === 3) void quit(0);
    else if (k === "s") {
      session.stopHere();
      say(
        values.present
          ? "Stopped. Press r to show your screen again."
          : "Sharing stopped. Your agent can ask to share again.",
      );
    } else if (k === " ") {
      if (session.pauseHere())
        say(
          `Paused: ${values.present ? "the customer" : "your agent"} no longer sees your screen. Press Space to resume.`,
        );
      else void session.resumeHere().then((on) => on && say("Sharing your screen again."));
    } else if (values.present && k === "r") {
      void session.restartHere().then((on) => on && say("Showing your screen again."));
    } else if (drawing && k === "c") drawing.clear();
    else if (drawing && toolKeys[k]) void selectTool(drawing, toolKeys[k]);
  });
}
async function selectTool(t: CustomerTools, tool: CustomerTool): Promise<void> {
  if (await t.select(tool))
    say(
      tool === "mouse"
        ? "Mouse back to normal."
        : tool === "laser"
          ? "laser: point with your mouse."
          : `${tool}: draw with your mouse.`,
    );
  else say("Another program holds the mouse; try again.");
}

async function quit(code: number): Promise<never> {
  await toolHost?.stop();
  await drawing?.close();
  await overlay?.close();
  await session.close();
  await source.close();
  process.exit(code);
}
process.on("SIGINT", () => void quit(0));
process.on("SIGTERM", () => void quit(0));
