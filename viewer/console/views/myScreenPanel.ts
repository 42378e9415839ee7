// The agent's own screen, from the console (R-S8): "Show my screen" gets the session's presenter key and shows the
// `tandem-host --present` command to run on the agent's computer, where the agent confirms the level. The panel then
// follows the sharing on the screen channel (state only, no frames) and pauses, stops or restarts it; the customer
// may stop it from their page, and only the agent restarts.
import { screenCloseCodes, type ViewerMessage } from "../../../protocol/screen/index.ts";
import { openScreenChannel, type SharingState, sharingWord } from "../../screen/screenChannel.ts";
import { h, setText } from "../dom.ts";
import type { StringKey, Translate } from "../i18n.ts";

export interface Presenter {
  key: string;
  command: string;
}

export class MyScreenPanel {
  readonly root: HTMLElement;
  private readonly status: HTMLElement;
  private readonly command: HTMLElement;
  private readonly showButton: HTMLButtonElement;
  private readonly running: HTMLButtonElement[];
  private readonly restartButton: HTMLButtonElement;
  private readonly levelButton: HTMLButtonElement;
  private level: "view" | "control" | null = null;
  private socket: WebSocket | null = null;
  private closed = false;

  constructor(
    host: HTMLElement,
    private readonly sessionId: string,
    private readonly token: string,
    private readonly t: Translate,
    /** `screen.present`: the key and command line, or null when refused (the console says why). */
    private readonly present: () => Promise<Presenter | null>,
  ) {
    const button = (key: StringKey, onclick: () => void) => h("button", { type: "button", onclick }, t(key));
    this.status = h("p", { class: "my-screen-status", role: "status" }, t("myScreen.off"));
    this.command = h("pre", { class: "my-screen-command", hidden: true });
    this.showButton = button("myScreen.show", () => void this.show());
    this.restartButton = button("myScreen.restart", () => this.send({ type: "sharing", action: "restart" }));
    // Switching level during the session: the agent confirms it again in their tandem-host (R-S8).
    this.levelButton = button("myScreen.giveControl", () =>
      this.send({ type: "level", level: this.level === "control" ? "view" : "control" }),
    );
    this.running = [
      button("myScreen.pause", () => this.send({ type: "sharing", action: "pause" })),
      button("myScreen.stop", () => this.send({ type: "sharing", action: "stop" })),
      this.levelButton,
    ];
    for (const b of [...this.running, this.restartButton]) b.hidden = true;
    this.root = h(
      "section",
      { class: "my-screen", "aria-label": t("myScreen.title") },
      h("h3", {}, t("myScreen.title")),
      this.status,
      h("div", { class: "tools-actions" }, this.showButton, ...this.running, this.restartButton),
      this.command,
    );
    host.append(this.root);
  }

  close(): void {
    this.closed = true;
    this.socket?.close();
  }

  private async show(): Promise<void> {
    const presenter = await this.present();
    if (!presenter) return;
    setText(this.command, presenter.command);
    this.command.hidden = false;
    setText(this.status, this.t("myScreen.waiting"));
    this.follow();
  }

  /** Follows the sharing state of the agent's screen (no frames: the agent sees their screen on their own). */
  private follow(): void {
    if (this.socket || this.closed) return;
    const socket = openScreenChannel({
      sessionId: this.sessionId,
      secret: this.token,
      source: "agent",
      frames: false,
    });
    this.socket = socket;
    socket.onmessage = (e) => {
      const m = JSON.parse(String(e.data)) as { type: string };
      if (m.type === "state") this.showState(m as SharingState);
    };
    socket.onclose = (e) => {
      this.socket = null;
      this.root.dataset.sharing = "off";
      for (const b of [...this.running, this.restartButton]) b.hidden = true;
      const final = e.code === screenCloseCodes.SessionEnded || e.code === screenCloseCodes.Unauthorised;
      if (this.closed || final) return setText(this.status, this.t("myScreen.off"));
      // A dropped connection: follow again shortly (the state comes back with it).
      setTimeout(() => this.follow(), 2_000);
    };
  }

  private showState(m: SharingState): void {
    this.root.dataset.sharing = m.sharing;
    setText(this.status, this.t(`myScreen.${sharingWord(m)}`));
    this.level = m.level;
    setText(
      this.levelButton,
      this.t(m.level === "control" ? "myScreen.viewOnlyAsk" : "myScreen.giveControl"),
    );
    for (const b of this.running) b.hidden = m.sharing !== "on";
    this.restartButton.hidden = m.sharing !== "paused" && m.sharing !== "stopped";
    // Once the host is connected the command has done its work.
    this.command.hidden = m.sharing !== "waiting";
  }

  private send(m: ViewerMessage): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(m));
  }
}
