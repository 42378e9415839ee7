// The screen channel (`/screen`): per session, the customer's screen (their host; the agents view it) and the agent's
// own screen (the owner's host started with `--present`; the customer and the agents view it). Frames go through a
// FrameRelay per shared screen; input is forwarded only under shared control granted by the sharing side, and only
// from the other side: the owner on the customer's screen, the customer on the agent's (R-S8). Annotations go both
// ways (R-V4); R-L4 sees the sharing state.
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import * as Result from "effect/Result";
import { type WebSocket, WebSocketServer } from "ws";
import type { SessionScreenState } from "../../actors/index.ts";
import type { AnnotationDiff } from "../../protocol/annotations/index.ts";
import {
  type ControlLevel,
  type CursorPosition,
  type CursorShape,
  decodeHostMessage,
  decodeViewerMessage,
  type HostMessage,
  type ScreenErrorReason,
  screenCloseCodes,
  screenProtocol,
  type ToHost,
  type ToViewer,
  type ViewerMessage,
} from "../../protocol/screen/index.ts";
import { AnnotationScene, type SceneLimits } from "../../viewer/annotations/scene.ts";
import { defaultRelayOptions, FrameRelay, type RelayOptions } from "./frameRelay.ts";

/** What the screen channel needs to know from the rest of the server. */
export interface ScreenAuthority {
  /** The key the customer page handed to the host for this session (`session.joined`). */
  isHostKey(sessionId: string, key: string): boolean;
  /** The host key, while the customer is still in the session (they watch the agent's screen with it). */
  isCustomerKey(sessionId: string, key: string): boolean;
  /** The key the session's owner got for showing their own screen (`screen.present`). */
  isPresenterKey(sessionId: string, key: string): boolean;
  /** The agent an agent session token belongs to, or null. */
  agentOfToken(token: string): string | null;
  /** Owner or invitee of the open session? */
  isInSession(agentId: string, sessionId: string): boolean;
  isOwner(agentId: string, sessionId: string): boolean;
  /** What the session's Current-sessions clock shows of its screens (R-L4); told again only when it changes. */
  screenStateChanged(sessionId: string, state: ScreenClockState): void;
  /** R-S8, R-M1: may the control level be switched during a session (configuration)? */
  levelSwitchEnabled(): boolean;
}

/** The R-L4 states the screen channel knows of ("downloading" is the session's state until a host connects). */
export type ScreenClockState = Exclude<SessionScreenState, "downloading">;

export interface ScreenGatewayOptions {
  relay: RelayOptions;
  /** Largest control or frame message accepted on the screen channel. */
  messageMaxBytes: number;
  /** Every socket is pinged this often; one that has not answered the previous ping is cut (a half-open link). */
  heartbeatIntervalMs: number;
  /**
   * The annotations kept per shared screen for viewers that join later: past these, what changed longest ago is
   * no longer replayed (it is still relayed live). About 1 MB a screen at most.
   */
  annotationReplay: SceneLimits;
}

export const defaultScreenGatewayOptions: ScreenGatewayOptions = {
  relay: defaultRelayOptions,
  messageMaxBytes: 32 * 1024 * 1024,
  heartbeatIntervalMs: 30_000,
  annotationReplay: { recordsMax: 1_000, pointsMax: 100_000, tombstonesMax: 10_000 },
};

/** Whose screen: the customer's (the usual start) or the session owner's own (R-S8). */
export type ScreenSource = "customer" | "agent";

interface Viewer {
  ws: WebSocket;
  /** null: the customer, who views the agent's screen with the session's host key. */
  agentId: string | null;
}

interface SessionScreen {
  sessionId: string;
  source: ScreenSource;
  relay: FrameRelay;
  host: WebSocket | null;
  /** The key the host connected with, checked again when the session changes owner. */
  hostSecret: string;
  viewers: Map<string, Viewer>;
  sharing: "waiting" | "on" | "paused" | "stopped";
  level: ControlLevel | null;
  monitors: Extract<HostMessage, { type: "share" }>["monitors"];
  /** The latest pointer and cursor picture, for viewers that join later. */
  cursor: CursorPosition | null;
  cursorShape: CursorShape | null;
  /** Whether a host ever connected: until then the customer is still downloading it (R-L4). */
  hostSeen: boolean;
  /** The annotations on this screen, for viewers that join later (invite, transfer, reconnect). */
  annotations: AnnotationScene;
}

let viewerCounter = 0;

export class ScreenGateway {
  private readonly wss: WebSocketServer;
  private readonly sessions = new Map<string, SessionScreen>();
  /** Silent viewers fall out of step even while no frame flows (the host may be waiting on them). */
  private readonly silenceTimer = setInterval(() => {
    for (const s of this.sessions.values()) s.relay.expireSilentViewers();
  }, 1000).unref();
  /** Sockets pinged and not heard from since: a dropped network leaves a socket open that nothing else notices. */
  private readonly unanswered = new WeakSet<WebSocket>();
  private readonly heartbeat: NodeJS.Timeout;
  /** The R-L4 state last told per session, so the floor hears of changes only. */
  private readonly clocks = new Map<string, ScreenClockState>();

  constructor(
    private readonly authority: ScreenAuthority,
    private readonly options: ScreenGatewayOptions = defaultScreenGatewayOptions,
  ) {
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.messageMaxBytes,
      handleProtocols: (protocols) => (protocols.has(screenProtocol) ? screenProtocol : false),
    });
    this.heartbeat = setInterval(() => this.beat(), options.heartbeatIntervalMs).unref();
  }

  /** Cuts the sockets that never answered the last ping (their close handlers clean up), and pings the rest. */
  private beat(): void {
    for (const ws of this.wss.clients) {
      if (this.unanswered.has(ws)) {
        ws.terminate();
        continue;
      }
      this.unanswered.add(ws);
      ws.ping();
    }
  }

  /** The HTTP server's `upgrade` for `/screen?session=<id>&role=host|viewer[&source=agent]`. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? "/", "http://x");
    const sessionId = url.searchParams.get("session") ?? "";
    const role = url.searchParams.get("role");
    const source: ScreenSource = url.searchParams.get("source") === "agent" ? "agent" : "customer";
    // `frames=none`: a viewer that follows the sharing state only (the agent's console for their own screen).
    const frames = url.searchParams.get("frames") !== "none";
    const secret = secretOf(req);
    const accept = (then: (ws: WebSocket, s: SessionScreen) => void) =>
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        ws.on("pong", () => this.unanswered.delete(ws));
        then(ws, this.session(sessionId, source));
      });
    // Refused before the handshake: a stranger never gets an open socket, and sees a plain 401.
    if (secret && role === "host") {
      const sharer =
        source === "customer"
          ? this.authority.isHostKey(sessionId, secret)
          : this.authority.isPresenterKey(sessionId, secret);
      if (sharer) return accept((ws, s) => this.acceptHost(ws, s, secret));
    }
    if (secret && role === "viewer") {
      const agentId = this.authority.agentOfToken(secret);
      if (agentId && this.authority.isInSession(agentId, sessionId))
        return accept((ws, s) => this.acceptViewer(ws, s, agentId, frames));
      if (source === "agent" && this.authority.isCustomerKey(sessionId, secret))
        return accept((ws, s) => this.acceptViewer(ws, s, null, frames));
    }
    socket.end("HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
  }

  /** The session ended: everyone on its screen channel is told and disconnected. */
  endSession(sessionId: string): void {
    this.clocks.delete(sessionId);
    for (const s of this.screensOf(sessionId)) {
      this.sessions.delete(keyOf(sessionId, s.source));
      s.host?.close(screenCloseCodes.SessionEnded, "session ended");
      for (const v of s.viewers.values()) v.ws.close(screenCloseCodes.SessionEnded, "session ended");
    }
  }

  /** A viewer's agent left the session (transfer, leave): it stops seeing the screen. */
  agentLeft(sessionId: string, agentId: string): void {
    for (const s of this.screensOf(sessionId)) {
      for (const [id, v] of s.viewers) {
        if (v.agentId !== agentId) continue;
        v.ws.close(screenCloseCodes.Unauthorised, "no longer in this session");
        this.dropViewer(s, id);
      }
    }
  }

  /** The customer left the chat: they no longer see (nor drive) the agent's screen. */
  customerLeft(sessionId: string): void {
    const s = this.sessions.get(keyOf(sessionId, "agent"));
    for (const [id, v] of s?.viewers ?? []) {
      if (v.agentId !== null) continue;
      v.ws.close(screenCloseCodes.Unauthorised, "you left the session");
      this.dropViewer(s!, id);
    }
  }

  /** Only the session's owner shows their screen: a former owner's host (transfer, leave) is disconnected. */
  ownerChanged(sessionId: string): void {
    const s = this.sessions.get(keyOf(sessionId, "agent"));
    if (!s?.host || this.authority.isPresenterKey(sessionId, s.hostSecret)) return;
    s.host.close(screenCloseCodes.Unauthorised, "no longer the session's owner");
  }

  openSockets(): number {
    return this.wss.clients.size;
  }

  close(): void {
    clearInterval(this.silenceTimer);
    clearInterval(this.heartbeat);
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }

  private screensOf(sessionId: string): SessionScreen[] {
    return (["customer", "agent"] as const).flatMap(
      (source) => this.sessions.get(keyOf(sessionId, source)) ?? [],
    );
  }

  private session(sessionId: string, source: ScreenSource): SessionScreen {
    let s = this.sessions.get(keyOf(sessionId, source));
    if (!s) {
      const screen: SessionScreen = {
        sessionId,
        source,
        hostSecret: "",
        host: null,
        viewers: new Map(),
        sharing: "waiting",
        level: null,
        monitors: [],
        cursor: null,
        cursorShape: null,
        hostSeen: false,
        annotations: new AnnotationScene(this.options.annotationReplay),
        relay: new FrameRelay(
          {
            ack: (seq) => sendJson(screen.host, { type: "ack", seq } satisfies ToHost),
            requestKeyFrame: () => sendJson(screen.host, { type: "keyFrame" } satisfies ToHost),
          },
          this.options.relay,
        ),
      };
      s = screen;
      this.sessions.set(keyOf(sessionId, source), s);
    }
    return s;
  }

  private acceptHost(ws: WebSocket, s: SessionScreen, secret: string): void {
    s.host?.close(screenCloseCodes.Replaced, "another host connected");
    s.host = ws;
    s.hostSecret = secret;
    s.hostSeen = true;
    this.updateClock(s.sessionId);
    ws.on("message", (data, binary) => {
      if (binary) return this.hostFrame(s, ws, toBytes(data));
      const decoded = decodeHostMessage(data.toString());
      if (Result.isFailure(decoded)) return sendError(ws, "BadMessage", decoded.failure.message);
      this.hostMessage(s, decoded.success);
    });
    ws.on("close", () => {
      if (s.host !== ws) return;
      s.host = null;
      // The customer's host comes back by itself (restart, reconnect); the agent's is started again by the agent.
      if (s.source === "agent" && s.sharing !== "waiting") this.setSharing(s, "stopped", s.level);
      else if (s.sharing === "on") this.setSharing(s, "paused", s.level);
      else this.updateClock(s.sessionId);
    });
    if (s.viewers.size > 0) sendJson(ws, { type: "keyFrame" } satisfies ToHost);
  }

  private hostFrame(s: SessionScreen, ws: WebSocket, frame: Uint8Array): void {
    if (s.sharing !== "on") return sendError(ws, "NotSharing", "frames before sharing was agreed to");
    const rejected = s.relay.onHostFrame(frame);
    if (rejected) sendError(ws, "BadFrame", rejected.detail);
  }

  private hostMessage(s: SessionScreen, m: HostMessage): void {
    switch (m.type) {
      case "share":
        s.monitors = m.monitors;
        this.setSharing(s, "on", m.level);
        return;
      case "stopped":
        // The host says whether it paused or stopped, whoever asked; after a stop only the agent restarts (R-S8).
        // A customer who said no to sharing at all is "stopped" too: the agent may ask again.
        this.setSharing(s, m.paused === true ? "paused" : "stopped", s.level);
        return;
      case "annotations":
        s.annotations.apply(m.diff);
        for (const v of s.viewers.values())
          sendJson(v.ws, { type: "annotations", diff: m.diff } satisfies ToViewer);
        return;
      case "laser":
        if (s.sharing !== "on") return; // nothing of the screen shows to point at
        for (const v of s.viewers.values()) sendJson(v.ws, m satisfies ToViewer);
        return;
      case "cursor":
      case "cursorShape":
        if (m.type === "cursor") s.cursor = m;
        else s.cursorShape = m;
        for (const v of s.viewers.values()) sendJson(v.ws, m satisfies ToViewer);
        return;
    }
  }

  private acceptViewer(ws: WebSocket, s: SessionScreen, agentId: string | null, frames: boolean): void {
    // The same person again may be a reconnect after a dropped network, whose old socket lingers half-open holding
    // frames: those no longer keep the host from sending the newcomer its key frame (the old one, if alive, resyncs).
    for (const [old, v] of s.viewers) if (v.agentId === agentId) s.relay.resync(old);
    const id = `v${++viewerCounter}`;
    s.viewers.set(id, { ws, agentId });
    if (frames)
      s.relay.addViewer({ id, send: (frame) => ws.send(frame), bufferedBytes: () => ws.bufferedAmount });
    this.sendState(s, id);
    if (s.cursorShape) sendJson(ws, s.cursorShape satisfies ToViewer);
    if (s.cursor) sendJson(ws, s.cursor satisfies ToViewer);
    for (const diff of snapshotDiffs(s.annotations))
      sendJson(ws, { type: "annotations", diff } satisfies ToViewer);
    ws.on("message", (data, binary) => {
      if (binary) return sendError(ws, "BadMessage", "viewers send no binary messages");
      const decoded = decodeViewerMessage(data.toString());
      if (Result.isFailure(decoded)) return sendError(ws, "BadMessage", decoded.failure.message);
      this.viewerMessage(s, id, decoded.success);
    });
    ws.on("close", () => this.dropViewer(s, id));
  }

  private dropViewer(s: SessionScreen, id: string): void {
    if (!s.viewers.delete(id)) return;
    s.relay.removeViewer(id);
  }

  private viewerMessage(s: SessionScreen, id: string, m: ViewerMessage): void {
    // A viewer dropped (it left the session) while its socket closes may still have messages in flight.
    const viewer = s.viewers.get(id);
    if (!viewer) return;
    switch (m.type) {
      case "ack":
        return s.relay.onViewerAck(id, m.seq);
      case "needKey":
        return s.relay.resync(id);
      case "input.pointer":
      case "input.key":
        if (!this.hasControl(s, viewer)) {
          return sendError(viewer.ws, "NotAllowed", "shared control is not granted to you (R-S8)");
        }
        return sendJson(s.host, m);
      case "annotations":
        s.annotations.apply(m.diff);
        sendJson(s.host, m);
        for (const [other, v] of s.viewers) if (other !== id) sendJson(v.ws, m);
        return;
      case "laser":
        // The sharing side and every other viewer (an invited agent, the customer on the agent's screen) see it.
        sendJson(s.host, m);
        for (const [other, v] of s.viewers) if (other !== id) sendJson(v.ws, m);
        return;
      case "sharing":
      case "level":
      case "colours": {
        // The host asks the sharing side where consent is needed and reports back with `share` or `stopped`.
        const refused = this.sharingRefusal(s, viewer, m);
        if (refused) return sendError(viewer.ws, "NotAllowed", refused);
        if (!s.host) return sendError(viewer.ws, "NotSharing", "the sharing side is not connected");
        return sendJson(s.host, m);
      }
    }
  }

  /** Who may change sharing: the owner always; on the agent's screen the customer may pause or stop it (R-S8). */
  private sharingRefusal(s: SessionScreen, viewer: Viewer, m: ViewerMessage): string | null {
    if (m.type === "level" && !this.authority.levelSwitchEnabled())
      return "switching the control level during a session is turned off in the configuration (R-S8)";
    if (viewer.agentId !== null && this.authority.isOwner(viewer.agentId, s.sessionId)) return null;
    if (s.source === "agent" && viewer.agentId === null) {
      if (m.type === "sharing" && m.action !== "restart") return null;
      return m.type === "sharing"
        ? "only the agent restarts sharing their screen (R-S8)"
        : "the agent chooses how their screen is shared";
    }
    return "only the session's owner changes sharing";
  }

  /** The other side of the shared screen, under shared control: the owner on the customer's, the customer on the agent's. */
  private hasControl(s: SessionScreen, viewer: Viewer): boolean {
    if (s.sharing !== "on" || s.level !== "control") return false;
    if (s.source === "agent") return viewer.agentId === null;
    return viewer.agentId !== null && this.authority.isOwner(viewer.agentId, s.sessionId);
  }

  private setSharing(s: SessionScreen, sharing: SessionScreen["sharing"], level: ControlLevel | null): void {
    s.sharing = sharing;
    s.level = level;
    this.updateClock(s.sessionId);
    for (const id of s.viewers.keys()) this.sendState(s, id);
  }

  /**
   * R-L4 shows one state for the session's screens: a screen shared (the customer's first, the usual reason for a
   * session); else the customer's host connected and asking them (connecting); else chat only once the customer's
   * host has been there or the agent's screen was shown. Before that, the session stays "downloading".
   */
  private updateClock(sessionId: string): void {
    const screens = this.screensOf(sessionId);
    const on = screens.find((x) => x.sharing === "on");
    const customer = screens.find((x) => x.source === "customer");
    const state: ScreenClockState | undefined = on
      ? on.source === "customer"
        ? "sharingCustomerScreen"
        : "sharingAgentScreen"
      : customer?.host && customer.sharing === "waiting"
        ? "connecting"
        : customer?.hostSeen || screens.some((x) => x.source === "agent" && x.sharing !== "waiting")
          ? "chatOnly"
          : undefined;
    if (state === undefined || this.clocks.get(sessionId) === state) return;
    this.clocks.set(sessionId, state);
    this.authority.screenStateChanged(sessionId, state);
  }

  private sendState(s: SessionScreen, id: string): void {
    const v = s.viewers.get(id);
    if (!v) return;
    sendJson(v.ws, {
      type: "state",
      sharing: s.sharing,
      level: s.level,
      monitors: s.monitors,
      control: this.hasControl(s, v),
    } satisfies ToViewer);
  }
}

const keyOf = (sessionId: string, source: ScreenSource) => `${source}:${sessionId}`;

function secretOf(req: IncomingMessage): string | null {
  const offered = (req.headers["sec-websocket-protocol"] ?? "").split(",").map((p) => p.trim());
  const auth = offered.find((p) => p.startsWith("auth."));
  return auth ? auth.slice(5) : null;
}

function sendJson(ws: WebSocket | null, message: ToHost | ToViewer | ViewerMessage): void {
  if (ws && ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
}

function sendError(ws: WebSocket, reason: ScreenErrorReason, message: string): void {
  sendJson(ws, { type: "error", reason, message });
}

/** The whole scene as diffs a joining viewer applies, each within the schema's 256 records. */
function snapshotDiffs(scene: AnnotationScene): AnnotationDiff[] {
  const all = scene.all();
  const diffs: AnnotationDiff[] = [];
  for (let i = 0; i < all.length; i += 256)
    diffs.push({ added: all.slice(i, i + 256), updated: [], removed: [] });
  return diffs;
}

function toBytes(data: Buffer | ArrayBuffer | Buffer[]): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}
