// A test page for the screen view alone: frames arrive on a WebSocket from a test, acknowledgements go back on it.
import { toScreenView } from "../screenChannel.ts";
import { ScreenView } from "../screenView.ts";
import type { ViewMode } from "../viewMath.ts";

const params = new URLSearchParams(location.search);
const socket = new WebSocket(params.get("ws")!);
socket.binaryType = "arraybuffer";

const view = new ScreenView({
  workerUrl: new URL("./decodeWorker.js", import.meta.url),
  author: "harness",
  hotkeys: true,
  onApplied: (seq) => socket.send(JSON.stringify({ type: "ack", seq })),
  onNeedKeyFrame: (reason) => socket.send(JSON.stringify({ type: "needKey", reason })),
  onAnnotations: (diff) => socket.send(JSON.stringify({ type: "annotations", diff })),
});
Object.assign(view.element.style, { width: "100vw", height: "100vh" });
document.body.style.margin = "0";
document.body.append(view.element);
view.setMode(JSON.parse(params.get("mode") ?? '{"kind":"actual"}') as ViewMode);

// Frames and the relay's messages go the way the console's channel sends them; `tool` is the test's own.
const fromChannel = toScreenView(view, () => {});
socket.onmessage = (e) => {
  const m =
    typeof e.data === "string" ? (JSON.parse(e.data) as { type: string; tool?: "pen" | "mouse" }) : null;
  if (m?.type === "tool" && m.tool) view.selectTool(m.tool);
  else fromChannel(e);
};
