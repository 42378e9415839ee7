// The screen channel (`/screen`): one host and any number of viewers (owner and invited agents) per session.
// Frames go through the session's FrameRelay; input is forwarded only under shared control granted by the customer
// and only from the session's owner (R-S8); annotations go both ways (R-V4); R-L4 sees the sharing state.
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { Result } from "effect";
import { type WebSocket, WebSocketServer } from "ws";
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
import { defaultRelayOptions, FrameRelay, type RelayOptions } from "./frameRelay.ts";

/** What the screen channel needs to know from the rest of the server. */
export interface ScreenAuthority {
  /** The key the customer page handed to the host for this session (`session.joined`). */
  isHostKey(sessionId: string, key: string): boolean;
  /** The agent an agent session token belongs to, or null. */
  agentOfToken(token: string): string | null;
  /** Owner or invitee of the open session? */
  isInSession(agentId: string, sessionId: string): boolean;
  isOwner(agentId: string, sessionId: string): boolean;
  /** Sharing started or ended: the session's Current-sessions clock shows it (R-L4). */
  sharingChanged(sessionId: string, sharing: boolean): void;
}

export interface ScreenGatewayOptions {
  relay: RelayOptions;
  /** Largest control or frame message accepted on the screen channel. */
  messageMaxBytes: number;
}

export const defaultScreenGatewayOptions: ScreenGatewayOptions = {
  relay: defaultRelayOptions,
  messageMaxBytes: 32 * 1024 * 1024,
};

interface Viewer {
  ws: WebSocket;
  agentId: string;
}

interface SessionScreen {
  sessionId: string;
  relay: FrameRelay;
  host: WebSocket | null;
  viewers: Map<string, Viewer>;
  sharing: "waiting" | "on" | "paused" | "stopped";
  level: ControlLevel | null;
  monitors: Extract<HostMessage, { type: "share" }>["monitors"];
  /** The latest pointer and cursor picture, for viewers that join later. */
  cursor: CursorPosition | null;
  cursorShape: CursorShape | null;
}

let viewerCounter = 0;

export class ScreenGateway {
  private readonly wss: WebSocketServer;
  private readonly sessions = new Map<string, SessionScreen>();

  constructor(
    private readonly authority: ScreenAuthority,
    private readonly options: ScreenGatewayOptions = defaultScreenGatewayOptions,
  ) {
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.messageMaxBytes,
      handleProtocols: (protocols) => (protocols.has(screenProtocol) ? screenProtocol : false),
    });
  }

  /** The HTTP server's `upgrade` for `/screen?session=<id>&role=host|viewer`. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? "/", "http://x");
    const sessionId = url.searchParams.get("session") ?? "";
    const role = url.searchParams.get("role");
    const secret = secretOf(req);
    // Refused before the handshake: a stranger never gets an open socket, and sees a plain 401.
    if (role === "host" && secret && this.authority.isHostKey(sessionId, secret)) {
      return this.wss.handleUpgrade(req, socket, head, (ws) => this.acceptHost(ws, sessionId));
    }
    const agentId = role === "viewer" && secret ? this.authority.agentOfToken(secret) : null;
    if (agentId && this.authority.isInSession(agentId, sessionId)) {
      return this.wss.handleUpgrade(req, socket, head, (ws) => this.acceptViewer(ws, sessionId, agentId));
    }
    socket.end("HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
  }

  /** The session ended: everyone on its screen channel is told and disconnected. */
  endSession(sessionId: string): void {
    const s = this.sessions.get(sessionId);
    if (!s) return;
    this.sessions.delete(sessionId);
    s.host?.close(screenCloseCodes.SessionEnded, "session ended");
    for (const v of s.viewers.values()) v.ws.close(screenCloseCodes.SessionEnded, "session ended");
  }

  /** A viewer's agent left the session (transfer, leave): it stops seeing the screen. */
  agentLeft(sessionId: string, agentId: string): void {
    const s = this.sessions.get(sessionId);
    if (!s) return;
    for (const [id, v] of s.viewers) {
      if (v.agentId === agentId) v.ws.close(screenCloseCodes.Unauthorised, "no longer in this session");
      if (v.agentId === agentId) this.dropViewer(s, id);
    }
  }

  openSockets(): number {
    return this.wss.clients.size;
  }

  close(): void {
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }

  private session(sessionId: string): SessionScreen {
    let s = this.sessions.get(sessionId);
    if (!s) {
      const screen: SessionScreen = {
        sessionId,
        host: null,
        viewers: new Map(),
        sharing: "waiting",
        level: null,
        monitors: [],
        cursor: null,
        cursorShape: null,
        relay: new FrameRelay(
          {
            ack: (seq) => sendJson(screen.host, { type: "ack", seq } satisfies ToHost),
            requestKeyFrame: () => sendJson(screen.host, { type: "keyFrame" } satisfies ToHost),
          },
          this.options.relay,
        ),
      };
      s = screen;
      this.sessions.set(sessionId, s);
    }
    return s;
  }

  private acceptHost(ws: WebSocket, sessionId: string): void {
    const s = this.session(sessionId);
    s.host?.close(screenCloseCodes.Replaced, "another host connected");
    s.host = ws;
    ws.on("message", (data, binary) => {
      if (binary) return this.hostFrame(s, ws, toBytes(data));
      const decoded = decodeHostMessage(data.toString());
      if (Result.isFailure(decoded)) return sendError(ws, "BadMessage", decoded.failure.message);
      this.hostMessage(s, decoded.success);
    });
    ws.on("close", () => {
      if (s.host !== ws) return;
      s.host = null;
      if (s.sharing === "on") this.setSharing(s, "paused", s.level);
    });
    if (s.viewers.size > 0) sendJson(ws, { type: "keyFrame" } satisfies ToHost);
  }

  private hostFrame(s: SessionScreen, ws: WebSocket, frame: Uint8Array): void {
    if (s.sharing !== "on")
      return sendError(ws, "NotSharing", "frames before the customer shared the screen");
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
        this.setSharing(s, m.by === "customer" ? "stopped" : "paused", s.level);
        return;
      case "annotations":
        for (const v of s.viewers.values())
          sendJson(v.ws, { type: "annotations", diff: m.diff } satisfies ToViewer);
        return;
      case "cursor":
      case "cursorShape":
        if (m.type === "cursor") s.cursor = m;
        else s.cursorShape = m;
        for (const v of s.viewers.values()) sendJson(v.ws, m satisfies ToViewer);
        return;
    }
  }

  private acceptViewer(ws: WebSocket, sessionId: string, agentId: string): void {
    const s = this.session(sessionId);
    const id = `v${++viewerCounter}`;
    s.viewers.set(id, { ws, agentId });
    s.relay.addViewer({ id, send: (frame) => ws.send(frame), bufferedBytes: () => ws.bufferedAmount });
    this.sendState(s, id);
    if (s.cursorShape) sendJson(ws, s.cursorShape satisfies ToViewer);
    if (s.cursor) sendJson(ws, s.cursor satisfies ToViewer);
    ws.on("message", (data, binary) => {
      if (binary) return sendError(ws, "BadMessage", "viewers send no binary messages");
      const decoded = decodeViewerMessage(data.toString());
      if (Result.isFailure(decoded)) return sendError(ws, "BadMessage", decoded.failure.message);
      this.viewerMessage(s, id, agentId, decoded.success);
    });
    ws.on("close", () => this.dropViewer(s, id));
  }

  private dropViewer(s: SessionScreen, id: string): void {
    if (!s.viewers.delete(id)) return;
    s.relay.removeViewer(id);
  }

  private viewerMessage(s: SessionScreen, id: string, agentId: string, m: ViewerMessage): void {
    const viewer = s.viewers.get(id)!;
    switch (m.type) {
      case "ack":
        return s.relay.onViewerAck(id, m.seq);
      case "needKey":
        return s.relay.resync(id);
      case "input.pointer":
      case "input.key":
        if (!this.hasControl(s, agentId)) {
          return sendError(viewer.ws, "NotAllowed", "shared control is not granted to you (R-S8)");
        }
        return sendJson(s.host, m);
      case "annotations":
        sendJson(s.host, m);
        for (const [other, v] of s.viewers) if (other !== id) sendJson(v.ws, m);
        return;
      case "laser":
        sendJson(s.host, m);
        return;
      case "sharing":
      case "level":
      case "colours":
        // The host asks the customer where consent is needed and reports back with `share` or `stopped`.
        if (!this.authority.isOwner(agentId, s.sessionId)) {
          return sendError(viewer.ws, "NotAllowed", "only the session's owner changes sharing");
        }
        return sendJson(s.host, m);
    }
  }

  private hasControl(s: SessionScreen, agentId: string): boolean {
    return s.sharing === "on" && s.level === "control" && this.authority.isOwner(agentId, s.sessionId);
  }

  private setSharing(s: SessionScreen, sharing: SessionScreen["sharing"], level: ControlLevel | null): void {
    const was = s.sharing === "on";
    s.sharing = sharing;
    s.level = level;
    if (was !== (sharing === "on")) this.authority.sharingChanged(s.sessionId, sharing === "on");
    for (const id of s.viewers.keys()) this.sendState(s, id);
  }

  private sendState(s: SessionScreen, id: string): void {
    const v = s.viewers.get(id);
    if (!v) return;
    sendJson(v.ws, {
      type: "state",
      sharing: s.sharing,
      level: s.level,
      monitors: s.monitors,
      control: this.hasControl(s, v.agentId),
    } satisfies ToViewer);
  }
}

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

function toBytes(data: Buffer | ArrayBuffer | Buffer[]): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}
