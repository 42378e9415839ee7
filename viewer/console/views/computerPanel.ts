// The customer's computer, from the agent's side (issue 7): restart and reconnect (R-T5, with the Phone-mode dialog that
// cancels the reconnection), run as service where the management center allows it (R-T4: Ctrl+Alt+Del, restart in
// safe mode with networking), and credentials the customer types on their own machine (R-T6: the agent only ever
// learns whether some are held). Badges say at a glance: elevated, credentials held, waiting for the computer (with
// the time left).

import type { ToolClientMessage } from "../../../protocol/tools/index.ts";
import { h, setAttr, setText, uid } from "../dom.ts";
import { formatDuration, type StringKey, type Translate } from "../i18n.ts";
import { ToolRefused, type ToolsLink } from "../tools/toolsLink.ts";
import { confirmDialog } from "./dialogs.ts";

export interface ComputerEvents {
  /** The computer restarts: the viewer closes (the chat stays). */
  restarting(): void;
  /** The host is back after the restart: the viewer may open again. */
  back(): void;
  /** The session ended from here (not back in time, or the reconnection cancelled): said where it outlives the tab. */
  ended(text: string): void;
}

type Badge = "elevated" | "credentials" | "waiting";

export class ComputerPanel {
  readonly root: HTMLElement;
  private readonly status: HTMLElement;
  private readonly badges: Record<Badge, HTMLElement>;
  private readonly restartButton: HTMLButtonElement;
  private readonly elevateButton: HTMLButtonElement;
  private readonly elevatedButtons: HTMLButtonElement[];
  private deadline: number | null = null;
  private countdown: ReturnType<typeof setInterval> | null = null;
  private phoneDialog: HTMLDialogElement | null = null;

  constructor(
    host: HTMLElement,
    private readonly link: ToolsLink,
    private readonly t: Translate,
    private readonly runAsServiceEnabled: boolean,
    private readonly events: ComputerEvents,
  ) {
    const titleId = uid("computer");
    this.status = h("p", { class: "computer-status", role: "status" });
    const badge = (key: StringKey) => h("span", { class: "badge", hidden: true }, t(key));
    this.badges = {
      elevated: badge("computer.badge.elevated"),
      credentials: badge("computer.badge.credentials"),
      waiting: h("span", { class: "badge warn", hidden: true, role: "timer" }),
    };
    const button = (key: StringKey, onclick: () => void) => h("button", { type: "button", onclick }, t(key));
    this.restartButton = button("computer.restart", () => this.askRestart(false));
    this.elevateButton = button("computer.elevate", () => this.askElevation());
    this.elevateButton.hidden = !runAsServiceEnabled;
    this.elevatedButtons = [
      button(
        "computer.ctrlAltDel",
        () => void this.send({ type: "elevated.command", command: "ctrlAltDel" }, "computer.ctrlAltDelSent"),
      ),
      button("computer.safeMode", () => this.askRestart(true)),
      // R-T6: the customer types them on their machine; the agent only learns whether they are held.
      button(
        "computer.credentials",
        () => void this.send({ type: "tool.request", tool: "credentials" }, "computer.credAsked"),
      ),
    ];
    for (const b of this.elevatedButtons) b.hidden = true;
    this.root = h(
      "section",
      { class: "computer", "aria-labelledby": titleId },
      h("h4", { id: titleId }, t("computer.title")),
      h("p", { class: "badges" }, this.badges.elevated, this.badges.credentials, this.badges.waiting),
      h(
        "div",
        { class: "tools-actions", role: "group", "aria-label": t("computer.title") },
        this.restartButton,
        this.elevateButton,
        ...this.elevatedButtons,
      ),
      this.status,
    );
    host.append(this.root);
    link.onMessage((m) => {
      switch (m.type) {
        case "tools.welcome":
          return this.show("elevated", m.grants.elevation === true);
        case "restart.answered":
          return this.say(
            m.accepted ? "computer.restartAccepted" : "computer.restartRefused",
            m.accepted ? "info" : "warn",
          );
        case "restart.waiting":
          return this.waiting(m.deadline, m.phoneMode);
        case "restart.back":
          this.stopWaiting();
          this.events.back();
          return this.say("computer.back", "ok");
        case "tools.ended":
          this.stopWaiting();
          if (m.reason === "expired" || m.reason === "cancelled") {
            const key = m.reason === "expired" ? "computer.expired" : "computer.cancelledReconnect";
            const window = formatDuration(this.link.welcome?.limits.rebootReconnectWindowMs ?? 600_000);
            this.say(key, m.reason === "expired" ? "error" : "warn", { window });
            this.events.ended(this.t(key, { window }));
          }
          for (const b of [this.restartButton, this.elevateButton, ...this.elevatedButtons])
            b.disabled = true;
          return;
        case "elevate.state":
          this.elevatedNow(m.elevated);
          return this.say(
            m.elevated ? "computer.elevatedOk" : "computer.elevatedNot",
            m.elevated ? "ok" : "warn",
            {
              detail: m.detail ?? m.via ?? "",
            },
          );
        case "cred.state":
          this.show("credentials", m.state === "stored");
          return this.say(`computer.cred.${m.state}`, m.state === "stored" ? "ok" : "warn");
        case "tool.granted":
          if (m.tool === "elevation" && !m.granted) this.elevatedNow(false);
          if (m.tool === "credentials" && !m.granted) this.show("credentials", false);
          return;
      }
    });
  }

  close(): void {
    this.stopWaiting();
  }

  private show(badge: Badge, on: boolean): void {
    this.badges[badge].hidden = !on;
  }

  private say(
    key: StringKey,
    kind: "info" | "ok" | "warn" | "error",
    params?: Record<string, string | number>,
  ): void {
    setText(this.status, this.t(key, params));
    setAttr(this.status, "data-kind", kind);
  }

  private explain(e: unknown): void {
    if (e instanceof ToolRefused && e.reason === "PeerAbsent") return this.say("tools.noHost", "warn");
    if (e instanceof ToolRefused && e.reason === "Disabled") return this.say("computer.disabled", "warn");
    this.say("common.error", "error", { message: e instanceof Error ? e.message : String(e) });
  }

  private elevatedNow(elevated: boolean): void {
    this.show("elevated", elevated);
    for (const b of this.elevatedButtons) b.hidden = !elevated;
    this.elevateButton.hidden = elevated || !this.runAsServiceEnabled;
  }

  /** Sends one request to the host through the server; says `done` once it is taken, or why it was not. */
  private async send(message: ToolClientMessage, done?: StringKey): Promise<null> {
    try {
      await this.link.request(message);
      if (done) this.say(done, done === "computer.ctrlAltDelSent" ? "ok" : "info");
    } catch (e) {
      this.explain(e);
    }
    // A dialog closes either way: what happened is said in the section's status line.
    return null;
  }

  // ——— R-T5 restart and reconnect ———

  /** The agent confirms, then the customer is asked on their own machine. */
  private askRestart(safeMode: boolean): void {
    const t = this.t;
    confirmDialog(
      t,
      t(safeMode ? "computer.safeMode" : "computer.restart"),
      t(safeMode ? "computer.safeModeConfirm" : "computer.restartConfirm"),
      t("computer.restartYes"),
      () =>
        this.send(
          safeMode ? { type: "elevated.command", command: "safeModeRestart" } : { type: "restart.request" },
          "computer.restartAsked",
        ),
    );
  }

  private waiting(deadline: number, phoneMode: boolean): void {
    this.deadline = deadline;
    this.events.restarting();
    this.say("computer.restarting", "info");
    this.show("waiting", true);
    const tick = () => {
      const left = Math.max(0, (this.deadline ?? 0) - Date.now());
      setText(this.badges.waiting, this.t("computer.badge.waiting", { left: formatDuration(left) }));
    };
    tick();
    this.countdown = setInterval(tick, 1_000);
    // Phone mode (R-T5): the agent may give up waiting, which ends the session.
    if (phoneMode) this.phoneDialog = this.cancelDialog();
  }

  private cancelDialog(): HTMLDialogElement {
    const t = this.t;
    return confirmDialog(
      t,
      t("computer.phoneTitle"),
      t("computer.phoneText"),
      t("computer.phoneCancel"),
      () => this.send({ type: "restart.cancel" }),
      t("computer.phoneKeepWaiting"),
    );
  }

  private stopWaiting(): void {
    if (this.countdown) clearInterval(this.countdown);
    this.countdown = null;
    this.deadline = null;
    this.show("waiting", false);
    this.phoneDialog?.close();
    this.phoneDialog = null;
  }

  // ——— R-T4 run as service, R-T6 credentials ———

  private askElevation(): void {
    const t = this.t;
    confirmDialog(t, t("computer.elevate"), t("computer.elevateConfirm"), t("computer.elevateYes"), () =>
      this.send({ type: "elevate.request" }, "computer.elevateAsked"),
    );
  }
}
