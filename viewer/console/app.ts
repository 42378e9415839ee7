// The signed-in console: wires the transport to the read model and the model to the views, redrawing only what each
// event changed, ticking the clocks once a second, and handling the keyboard (tabs; F6 and F10 when hotkeys are on).
import type { ServerMessage } from "../../protocol/messages/server.ts";
import type { ConnectionStatus } from "./connection.ts";
import { h, setAttr, setText } from "./dom.ts";
import { isStringKey, type Lang, type StringKey, type Translate, translator } from "./i18n.ts";
import {
  type AgentStateSnapshot,
  type Changes,
  type ConsoleEvent,
  ConsoleModel,
  defaultTimings,
} from "./model.ts";
import type { Preferences } from "./preferences.ts";
import {
  type ConsoleSettings,
  type Directory,
  defaultConsoleSettings,
  RequestFailed,
  type Target,
  Transport,
} from "./transport.ts";
import { AlertsView } from "./views/alerts.ts";
import { ComputerPanel } from "./views/computerPanel.ts";
import {
  closeDialog,
  confirmLogout,
  inviteDialog,
  preferencesDialog,
  smartCodeDialog,
  transferDialog,
} from "./views/dialogs.ts";
import { ListView, sectionsMenu } from "./views/listView.ts";
import type { SignedIn } from "./views/login.ts";
import { MyScreenPanel, type Presenter } from "./views/myScreenPanel.ts";
import { ScreenPanel } from "./views/screenPanel.ts";
import {
  arrangeWindows,
  type ScreenWindowMessage,
  screenWindowChannel,
  screenWindowUrl,
  type WindowPlace,
} from "./views/screenWindow.ts";
import { SessionView } from "./views/sessionView.ts";
import { ToolsPanel } from "./views/toolsPanel.ts";

/** Events arriving within this are drawn together. */
export const renderBatchMs = 16;

/** R-A7: the hard ceiling of session tabs. */
export const sessionTabsMax = 8;

export class ConsoleApp {
  readonly model = new ConsoleModel({ ...defaultTimings });
  private readonly t: Translate;
  private readonly lang: Lang;
  private transport!: Transport;
  private prefs!: Preferences;
  private settings: ConsoleSettings = defaultConsoleSettings;
  private serverDirectory: Directory | null = null;
  private list!: ListView;
  private alerts!: AlertsView;
  private readonly sessionViews = new Map<string, SessionView>();
  private readonly screens = new Map<string, ScreenPanel>();
  /** Each session's screen slot in its tab, and how to show the screen there again (after its own window closed). */
  private readonly screenSlots = new Map<string, { slot: HTMLElement; reopen: () => void }>();
  private arrange!: HTMLElement;
  private readonly screenWindows = new BroadcastChannel(screenWindowChannel);
  /** Sessions whose screen already went to its own window when sharing started (R-V3): once, not at each restart. */
  private readonly openedInWindow = new Set<string>();
  private readonly tools = new Map<string, ToolsPanel>();
  private readonly computers = new Map<string, ComputerPanel>();
  private readonly myScreens = new Map<string, MyScreenPanel>();
  private readonly tabs = h("div", { role: "tablist", class: "tabs" });
  private readonly listTab: HTMLButtonElement;
  private readonly panels = h("div", { class: "panels" });
  private readonly listPanel = h("section", {
    role: "tabpanel",
    id: "panel-list",
    "aria-labelledby": "tab-list",
  });
  private readonly status = h("span", { class: "conn", role: "status" });
  private readonly availability = h("button", { type: "button", class: "availability" });
  private readonly slots = h("span", { class: "slots" });
  private readonly toast = h("p", { class: "toast", role: "status", "aria-live": "polite" });
  private readonly reminder = h("div", { class: "reminder-popup", role: "alert", hidden: true });
  private active = "list";
  /** Server time minus local time, estimated from the events' stamps (the clocks count in server time). */
  private skew: number | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private notAvailableSince: number | null = null;
  private toastTimer: ReturnType<typeof setTimeout> | null = null;
  private pending: Changes | null = null;

  constructor(
    private readonly root: HTMLElement,
    private readonly signedIn: SignedIn,
    private readonly onSignedOut: (notice?: string) => void,
  ) {
    this.lang = signedIn.lang;
    this.t = translator(this.lang);
    this.listTab = h(
      "button",
      {
        type: "button",
        role: "tab",
        id: "tab-list",
        "aria-controls": "panel-list",
        onclick: () => this.show("list"),
      },
      this.t("tabs.list"),
    );
  }

  async start(): Promise<void> {
    const { token, account } = this.signedIn;
    this.model.me.id = account.id;
    this.model.me.name = `${account.firstName} ${account.lastName}`.trim() || account.email;
    this.model.names.set(account.id, this.model.me.name);
    this.transport = new Transport(
      token,
      account.id,
      (m) => this.receive(m),
      (s) => this.showStatus(s),
    );
    const [prefs, settings, directory] = await Promise.all([
      this.transport.loadPreferences(),
      this.transport.settings(),
      this.transport.directory(),
    ]);
    this.prefs = prefs;
    this.settings = settings;
    this.serverDirectory = directory;
    for (const p of directory?.portals ?? []) this.model.names.set(p.id, p.name);
    for (const a of directory?.agents ?? []) this.model.names.set(a.id, a.name);
    this.applyTimings();
    this.build();
    this.applyViewerPreferences();
    this.transport.start();
    this.timer = setInterval(() => this.tick(), 1000);
    // A screen window closed (by the agent, or with its session): the screen shows in its tab again.
    this.screenWindows.onmessage = (e: MessageEvent<ScreenWindowMessage>) => {
      if (e.data?.type === "closed") this.screenSlots.get(e.data.sessionId)?.reopen();
    };
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    document.removeEventListener("keydown", this.onKey);
    window.removeEventListener("blur", this.onFocusChange);
    window.removeEventListener("focus", this.onFocusChange);
    for (const tools of this.tools.values()) tools.close();
    for (const computer of this.computers.values()) computer.close();
    this.screenWindows.close();
    this.transport.stop();
  }

  now(): number {
    return Date.now() + (this.skew ?? 0);
  }

  private applyTimings(): void {
    this.model.timings = {
      ...this.model.timings,
      attentionMs: this.prefs.attentionSeconds * 1000,
      warningMs: this.prefs.warningSeconds * 1000,
      requestExpiryMs: this.settings.requestExpiryMs,
      alertDisplayMs: this.prefs.alertDisplaySeconds * 1000,
    };
  }

  // ——— the shell ———

  /** R-V6: the console remembers whether its window has the focus; CSS greys the viewers out when it has not. */
  private readonly onFocusChange = (e: Event) => {
    if (e.type === "blur") this.root.dataset.unfocused = "";
    else delete this.root.dataset.unfocused;
  };

  private build(): void {
    const t = this.t;
    window.addEventListener("blur", this.onFocusChange);
    window.addEventListener("focus", this.onFocusChange);
    document.documentElement.lang = this.lang;
    document.title = t("app.title");
    this.list = new ListView(this.model, t, this.lang, this.prefs, {
      reraise: (key) => this.render(this.model.reraise(key, this.now())),
      openSession: (id) => this.show(id),
      select: (list, key) => {
        const sel = this.model.selection;
        if (sel?.list === list && sel.key === key) return;
        this.model.select({ list, key });
        this.list.renderSelection();
      },
      setColumns: (list, columns) =>
        this.savePrefs({ ...this.prefs, columns: { ...this.prefs.columns, [list]: columns } }),
      copyCode: (c) => this.copy(c.quickUrl),
      cancelCode: (c) => void this.run(this.transport.cancelCode(c.code)),
    });
    this.list.now = () => this.now();
    this.listPanel.append(this.list.root);
    this.alerts = new AlertsView(
      this.model,
      t,
      {
        yes: (a) => void this.answer(a.key, a.action),
        decline: (a) => void this.run(this.transport.decline(a.key)),
        dismiss: (a) => this.render(this.model.dismiss(a.key, this.now())),
      },
      () => this.prefs.notifications,
    );
    this.availability.addEventListener(
      "click",
      () => void this.run(this.transport.setAvailable(!this.model.me.available)),
    );
    const toolbar = h(
      "header",
      { class: "toolbar", role: "toolbar", "aria-label": t("toolbar.label") },
      h("strong", { class: "brand" }, "Tandem"),
      h("span", { class: "me" }, this.model.me.name),
      this.availability,
      this.slots,
      sectionsMenu(t, this.prefs, (sections) => this.savePrefs({ ...this.prefs, sections })),
      h("button", { type: "button", onclick: () => this.smartCodes() }, t("toolbar.smartCode")),
      h(
        "button",
        { type: "button", onclick: () => preferencesDialog(t, this.prefs, (p) => this.savePrefs(p)) },
        t("toolbar.preferences"),
      ),
      h(
        "button",
        { type: "button", class: "close-all", onclick: () => this.closeAll() },
        t("toolbar.closeAll"),
      ),
      typeof Notification !== "undefined" && Notification.permission === "default"
        ? h(
            "button",
            {
              type: "button",
              "aria-label": t("notify.permission"),
              onclick: (e: Event) => {
                void Notification.requestPermission();
                (e.currentTarget as HTMLElement).remove();
              },
            },
            t("notify.short"),
          )
        : null,
      h("span", { class: "spacer" }),
      h("span", { class: "conn-wrap", "aria-label": t("status.label") }, this.status),
      h(
        "button",
        { type: "button", onclick: () => confirmLogout(t, () => void this.logout()) },
        t("logout.button"),
      ),
    );
    this.tabs.setAttribute("aria-label", t("tabs.label"));
    this.arrange = h(
      "div",
      { class: "screen-arrange", role: "group", "aria-label": t("screens.arrange"), hidden: true },
      h("button", { type: "button", onclick: () => this.arrangeScreens("tiled") }, t("screens.tile")),
      h("button", { type: "button", onclick: () => this.arrangeScreens("cascaded") }, t("screens.cascade")),
    );
    this.tabs.addEventListener("keydown", (e) => this.tabKey(e));
    this.panels.append(this.listPanel);
    this.reminder.append(
      h("span", {}, t("reminder.notAvailable")),
      h(
        "button",
        { type: "button", onclick: () => void this.run(this.transport.setAvailable(true)) },
        t("reminder.becomeAvailable"),
      ),
    );
    this.root.replaceChildren(
      h(
        "div",
        { class: "console", lang: this.lang },
        toolbar,
        h("div", { class: "tabs-bar" }, this.tabs, this.arrange),
        this.panels,
        this.alerts.root,
        this.reminder,
        this.toast,
      ),
    );
    document.addEventListener("keydown", this.onKey);
    this.renderTabs();
    this.show("list");
    this.render({
      agent: true,
      incoming: true,
      sessions: new Set(),
      sessionList: true,
      history: true,
      alerts: true,
      codes: true,
    });
  }

  // ——— receiving ———

  private receive(m: ServerMessage): void {
    const now = this.now();
    switch (m.type) {
      case "agent.state": {
        const changes = this.model.applyState(m as unknown as AgentStateSnapshot, now);
        this.render(changes);
        // Refill the tabs' transcripts after a (re)connect (R-S2).
        for (const id of this.model.sessions.keys()) {
          this.transport
            .transcript(id)
            .then((r) => {
              this.render(this.model.applyTranscript(id, (r.lines as never[]) ?? []));
            })
            .catch(() => {});
        }
        break;
      }
      case "event": {
        const e = m.event as unknown as ConsoleEvent;
        if (typeof e.at === "number") {
          const observed = e.at - Date.now();
          // Events arrive after they happen: the largest (server − local) seen is the closest estimate of the skew.
          this.skew = this.skew === null ? observed : Math.max(this.skew, observed);
        }
        this.schedule(this.model.apply(e, this.now()));
        break;
      }
      case "server.shutdown":
        this.say(this.t("status.reconnecting", { seconds: 1 }));
        break;
      default:
        break;
    }
  }

  private showStatus(s: ConnectionStatus): void {
    const t = this.t;
    if (s.kind === "loggedOut") {
      this.stop();
      this.onSignedOut(s.reason === "LoggedOut" ? "" : t("login.sessionEnded"));
      return;
    }
    const text =
      s.kind === "online"
        ? s.reconnected
          ? t("status.reconnected")
          : t("status.online")
        : s.kind === "reconnecting"
          ? t("status.reconnecting", { seconds: Math.max(1, Math.ceil((s.retryAt - Date.now()) / 1000)) })
          : s.kind === "connecting"
            ? t("status.connecting")
            : t("status.offline");
    setText(this.status, text);
    setAttr(this.status, "data-status", s.kind === "online" && s.reconnected ? "reconnected" : s.kind);
  }

  // ——— rendering ———

  /**
   * Events are folded at once but drawn in batches: a burst (hundreds of requests posted together) costs one redraw
   * per `renderBatchMs`, not one per event. A timer, not requestAnimationFrame, so a hidden page still notifies.
   */
  private schedule(c: Changes): void {
    const p = this.pending;
    if (p) {
      p.agent ||= c.agent;
      p.incoming ||= c.incoming;
      p.sessionList ||= c.sessionList;
      p.history ||= c.history;
      p.alerts ||= c.alerts;
      p.codes ||= c.codes;
      for (const id of c.sessions) p.sessions.add(id);
      return;
    }
    this.pending = c;
    setTimeout(() => {
      const batch = this.pending;
      this.pending = null;
      if (batch) this.render(batch);
    }, renderBatchMs);
  }

  private render(c: Changes): void {
    if (!this.list) return;
    const now = this.now();
    if (c.agent) this.renderAgent();
    if (c.incoming) this.list.renderIncoming();
    if (c.sessionList) {
      this.list.renderCurrent();
      this.syncSessionViews();
    }
    for (const id of c.sessions) {
      const view = this.sessionViews.get(id);
      const s = this.model.sessions.get(id);
      if (view && s) {
        view.session = s;
        view.render();
        // Only the owner shows their screen (R-S8): an invited agent is not offered it; a transfer moves it.
        const mine = this.myScreens.get(id);
        if (mine) mine.root.hidden = !this.model.isOwner(s);
        if (this.active === id) this.model.markRead(id);
      }
    }
    if (c.sessions.size > 0 || c.sessionList) this.renderTabs();
    if (c.history) this.list.renderHistory();
    if (c.codes) this.list.renderCodes();
    if (c.alerts) this.alerts.render(now);
    if (c.incoming || c.sessionList || c.history) this.list.renderSelection();
  }

  private renderAgent(): void {
    const me = this.model.me;
    const t = this.t;
    setText(this.availability, me.available ? t("toolbar.available") : t("toolbar.notAvailable"));
    setAttr(this.availability, "aria-pressed", me.available ? "true" : "false");
    setAttr(
      this.availability,
      "aria-label",
      t("toolbar.availabilityIs", {
        state: me.available ? t("toolbar.available") : t("toolbar.notAvailable"),
      }),
    );
    setText(this.slots, t("toolbar.sessions", { active: me.active, max: me.max }));
    if (me.available) this.notAvailableSince = null;
    else this.notAvailableSince ??= this.now();
    this.reminder.hidden = me.available || me.remindedAt === null;
  }

  private syncSessionViews(): void {
    for (const [id, view] of this.sessionViews) {
      if (!this.model.sessions.has(id)) {
        this.screens.get(id)?.close();
        this.screens.delete(id);
        this.screenSlots.delete(id);
        this.openedInWindow.delete(id);
        this.screenWindows.postMessage({ type: "close", sessionId: id } satisfies ScreenWindowMessage);
        this.tools.get(id)?.close();
        this.tools.delete(id);
        this.computers.get(id)?.close();
        this.computers.delete(id);
        this.myScreens.get(id)?.close();
        this.myScreens.delete(id);
        view.root.remove();
        this.sessionViews.delete(id);
        if (this.active === id) this.show("list");
      }
    }
    for (const s of this.model.sessionRows()) {
      if (this.sessionViews.has(s.sessionId) || this.sessionViews.size >= sessionTabsMax) continue;
      const view = new SessionView(this.model, s, this.t, this.lang, this.prefs, this.settings, {
        chat: (id, text) => this.ok(this.transport.chat(id, text)),
        note: (id, text) => this.ok(this.transport.note(id, text)),
        pushUrl: (id, url) => this.ok(this.transport.pushUrl(id, url)),
        close: (id) => this.closeOne(id),
        leave: (id) => void this.run(this.transport.leave(id)),
        transfer: (id) => this.transfer(id),
        invite: (id) => this.invite(id),
        cancelTransfer: (id) => void this.run(this.transport.cancelTransfer(id)),
        cancelInvite: (id) => void this.run(this.transport.cancelInvite(id)),
      });
      view.applyPreferences(this.prefs);
      view.root.hidden = true;
      this.sessionViews.set(s.sessionId, view);
      // The shared screen lives in the tab's viewer slot (issue 5), with the hotkeys the agent chose (R-V5). It can
      // move to a window of its own and back (R-V3), by itself when sharing starts if the agent prefers that.
      const openScreen = () => {
        this.screens.get(s.sessionId)?.close();
        view.viewer.replaceChildren();
        this.screens.set(
          s.sessionId,
          new ScreenPanel(view.viewer, s.sessionId, this.signedIn.token, this.t, {
            hotkeys: () => this.prefs.hotkeys,
            colours: () => this.prefs.hostColours,
            monitorNotice: () => this.prefs.multiMonitorNotice,
            forwardSystemKeys: () => this.prefs.forwardSystemKeys,
            levelSwitch: () => this.settings.screenLevelSwitchEnabled,
            popOut: () => this.popOutScreen(s.sessionId),
            sharingStarted: () => this.sharingStarted(s.sessionId),
          }),
        );
      };
      const reopenScreen = () => {
        // Once: the agent's "show it here" and the window's goodbye both lead here.
        if (!("poppedOut" in view.viewer.dataset)) return;
        delete view.viewer.dataset.poppedOut;
        openScreen();
        this.screens.get(s.sessionId)?.open();
      };
      this.screenSlots.set(s.sessionId, { slot: view.viewer, reopen: reopenScreen });
      openScreen();
      // The session tools (issue 7): clipboard, diagnostics and files, each asked of the customer on their machine;
      // and the customer's computer: restart and reconnect, run as service, credentials.
      const tools = new ToolsPanel(view.tools, s.sessionId, this.signedIn.token, this.t);
      this.tools.set(s.sessionId, tools);
      this.computers.set(
        s.sessionId,
        new ComputerPanel(view.tools, tools.link, this.t, this.settings.runAsServiceEnabled, {
          // R-T5: the viewer closes while the computer restarts, the chat stays; it opens again once it is back.
          restarting: () => {
            this.screens.get(s.sessionId)?.close();
            this.screens.delete(s.sessionId);
            view.viewer.replaceChildren();
          },
          back: openScreen,
          ended: (text) => this.say(text),
        }),
      );
      // The agent's own screen, shown to the customer (R-S8).
      this.myScreens.set(
        s.sessionId,
        new MyScreenPanel(view.tools, s.sessionId, this.signedIn.token, this.t, () =>
          this.transport
            .presentScreen(s.sessionId)
            .then((data) => data as unknown as Presenter)
            .catch((err) => {
              this.say(this.explain(err));
              return null;
            }),
        ),
      );
      this.myScreens.get(s.sessionId)!.root.hidden = !this.model.isOwner(s);
      this.panels.append(view.root);
    }
  }

  /** R-V3, R-V6: "one viewer per session" — the screen leaves the tab for its own window the first time it is shared. */
  private sharingStarted(sessionId: string): void {
    if (this.prefs.screenOpensIn !== "window" || this.openedInWindow.has(sessionId)) return;
    // Opened with no click behind it, a browser may block the window: then the next start tries again.
    if (this.popOutScreen(sessionId)) this.openedInWindow.add(sessionId);
  }

  /** R-V3: the session's screen moves to a window of its own (at `place`, if given); the tab can bring it back. */
  private popOutScreen(sessionId: string, place?: WindowPlace): boolean {
    const at = this.screenSlots.get(sessionId);
    const view = this.sessionViews.get(sessionId);
    if (!at || !view) return false;
    const where = place
      ? `,left=${place.left},top=${place.top},width=${place.width},height=${place.height}`
      : "";
    const url = screenWindowUrl(sessionId, view.session.customer.name);
    const opened = window.open(url, `tandem-screen-${sessionId}`, `popup${where}`);
    if (!opened) {
      this.say(this.t("screen.popupBlocked"));
      return false;
    }
    // A window that was already open keeps its place unless it is told; resized first, so that the move is not
    // cut short by the screen's edge.
    if (place) {
      opened.resizeTo(place.width, place.height);
      opened.moveTo(place.left, place.top);
    }
    this.screens.get(sessionId)?.close();
    this.screens.delete(sessionId);
    const bringBack = () => {
      this.screenWindows.postMessage({ type: "close", sessionId } satisfies ScreenWindowMessage);
      at.reopen();
    };
    at.slot.replaceChildren(
      h("p", { class: "screen-status", role: "status" }, this.t("screen.poppedOut")),
      h(
        "button",
        { type: "button", class: "screen-bring-back", onclick: bringBack },
        this.t("screen.bringBack"),
      ),
    );
    at.slot.dataset.poppedOut = "";
    return true;
  }

  /** R-V3: every session's screen in a window of its own, tiled over the agent's screen or cascaded. */
  private arrangeScreens(kind: "tiled" | "cascaded"): void {
    const ids = [...this.sessionViews.keys()];
    const s = window.screen as Screen & { availLeft?: number; availTop?: number };
    const area = { left: s.availLeft ?? 0, top: s.availTop ?? 0, width: s.availWidth, height: s.availHeight };
    const places = arrangeWindows(kind, ids.length, area);
    for (const [i, id] of ids.entries()) this.popOutScreen(id, places[i]);
  }

  private renderTabs(): void {
    const tabs: HTMLElement[] = [this.listTab];
    for (const [id, view] of this.sessionViews) {
      const s = view.session;
      let tab = this.tabs.querySelector<HTMLButtonElement>(`#tab-${id}`);
      if (!tab) {
        tab = h(
          "button",
          {
            type: "button",
            role: "tab",
            id: `tab-${id}`,
            "aria-controls": `panel-${id}`,
            onclick: () => this.show(id),
          },
          h("span", { class: "tab-name" }),
          h("span", { class: "unread" }),
        );
      }
      setText(tab.querySelector(".tab-name")!, s.customer.name);
      setAttr(tab, "aria-label", this.t("session.tab", { name: s.customer.name }));
      const unread = tab.querySelector(".unread")!;
      setText(unread, s.unread > 0 && this.active !== id ? String(s.unread) : "");
      tabs.push(tab);
    }
    this.arrange.hidden = this.sessionViews.size === 0;
    const current = [...this.tabs.children];
    if (current.length !== tabs.length || current.some((el, i) => el !== tabs[i]))
      this.tabs.replaceChildren(...tabs);
    for (const tab of tabs) {
      const selected = tab.id === `tab-${this.active}`;
      setAttr(tab, "aria-selected", selected ? "true" : "false");
      setAttr(tab, "tabindex", selected ? "0" : "-1");
    }
  }

  /** Shows the list view or one session's tab. */
  show(id: string): void {
    if (id !== "list" && !this.sessionViews.has(id)) return;
    this.active = id;
    this.listPanel.hidden = id !== "list";
    for (const [sid, view] of this.sessionViews) view.root.hidden = sid !== id;
    if (id !== "list") {
      this.model.markRead(id);
      this.sessionViews.get(id)!.composer.focus();
    }
    this.renderTabs();
  }

  private tabKey(e: KeyboardEvent): void {
    if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") return;
    const ids = ["list", ...this.sessionViews.keys()];
    const i = ids.indexOf(this.active);
    const next = ids[(i + (e.key === "ArrowRight" ? 1 : ids.length - 1)) % ids.length]!;
    this.show(next);
    this.tabs.querySelector<HTMLElement>(`#tab-${next}`)?.focus();
    e.preventDefault();
  }

  /** R-V5, when hotkeys are on: F10 moves the focus between the shown session's chat and viewer; F6 sends the clipboard. */
  private readonly onKey = (e: KeyboardEvent): void => {
    if (!this.prefs.hotkeys) return;
    if (e.key === "F6") {
      const tools = this.tools.get(this.active);
      if (!tools) return;
      e.preventDefault();
      void tools.sendClipboard();
      return;
    }
    if (e.key !== "F10") return;
    e.preventDefault();
    const view = this.sessionViews.get(this.active);
    if (!view) return;
    if (view.viewer.contains(document.activeElement)) view.composer.focus();
    else view.viewer.focus();
  };

  private tick(): void {
    const now = this.now();
    const status = this.transport.connection.status;
    if (status.kind === "reconnecting") this.showStatus(status);
    this.list.tick();
    for (const view of this.sessionViews.values()) view.tick(now);
    this.alerts.render(now);
    // R-A6: the local reminder after N seconds Not available (the floor's `agent.reminded` shows the same pop-up).
    const secs = this.prefs.unavailableReminderSeconds;
    if (
      !this.model.me.available &&
      secs > 0 &&
      this.notAvailableSince !== null &&
      now - this.notAvailableSince >= secs * 1000
    ) {
      this.reminder.hidden = false;
    }
  }

  // ——— actions ———

  private say(text: string): void {
    this.toast.textContent = text;
    if (this.toastTimer) clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(() => {
      this.toast.textContent = "";
    }, 6000);
  }

  private explain(err: unknown): string {
    if (err instanceof RequestFailed) {
      const key = `rejected.${err.detail ?? ""}`;
      if (err.detail && isStringKey(key)) return this.t(key as StringKey);
      return this.t("rejected.other", { message: err.message });
    }
    return this.t("common.error", { message: String(err) });
  }

  /** Runs a command; a rejection is told in the status line. Resolves to the error text, or null when it took effect. */
  private async run(p: Promise<Record<string, unknown>>): Promise<string | null> {
    try {
      await p;
      return null;
    } catch (err) {
      const text = this.explain(err);
      this.say(text);
      return text;
    }
  }

  private async ok(p: Promise<Record<string, unknown>>): Promise<boolean> {
    return (await this.run(p)) === null;
  }

  private async answer(key: string, action: string): Promise<void> {
    const sessionId = key.startsWith("s:") ? key.slice(2) : key;
    const p =
      action === "acceptTransfer"
        ? this.transport.acceptTransfer(sessionId)
        : action === "acceptInvite"
          ? this.transport.acceptInvite(sessionId)
          : this.transport.answer(key);
    const error = await this.run(p);
    if (error === null) this.render(this.model.dismiss(key, this.now()));
  }

  private closeOne(sessionId: string): void {
    closeDialog(this.t, false, this.settings.resolutionExtraField, (resolution, extra) =>
      this.run(this.transport.close(sessionId, resolution, extra)),
    );
  }

  private closeAll(): void {
    closeDialog(this.t, true, this.settings.resolutionExtraField, (resolution, extra) =>
      this.run(this.transport.closeAll(resolution, extra)),
    );
  }

  /** The server's directory, or what the console has seen: portals of its rows and the agents it knows by name. */
  private directory(): Directory {
    if (this.serverDirectory) return this.serverDirectory;
    const portals = new Map<string, string>();
    for (const r of this.model.incoming.values()) portals.set(r.portalId, this.model.nameOf(r.portalId));
    for (const s of this.model.sessions.values()) portals.set(s.portalId, this.model.nameOf(s.portalId));
    const agents = [...this.model.names]
      .filter(([id]) => !portals.has(id))
      .map(([id, name]) => ({ id, name }));
    return {
      portals: [...portals].map(([id, name]) => ({ id, name, type: "", mode: "", tier: false, members: [] })),
      agents,
    };
  }

  private transfer(sessionId: string): void {
    const s = this.model.sessions.get(sessionId);
    if (!s) return;
    transferDialog(
      this.t,
      this.directory(),
      this.model.me.id,
      s.customer.question ?? "",
      (to: Target, comments) => this.run(this.transport.transfer(sessionId, to, comments)),
    );
  }

  private invite(sessionId: string): void {
    const s = this.model.sessions.get(sessionId);
    if (!s) return;
    inviteDialog(
      this.t,
      this.directory(),
      this.model.me.id,
      s.customer.question ?? "",
      (to, hidden, comments) => this.run(this.transport.invite(sessionId, to, hidden, comments)),
    );
  }

  private smartCodes(): void {
    const dir = this.directory();
    const phone = dir.portals.filter(
      (p) => p.mode === "phone" && (p.members.length === 0 || p.members.includes(this.model.me.id)),
    );
    smartCodeDialog(
      this.t,
      phone.length ? phone : dir.portals,
      async (portalId, name) => {
        try {
          const data = await this.transport.createCode(portalId, name);
          return { display: String(data.name ?? data.display ?? ""), quickUrl: String(data.quickUrl ?? "") };
        } catch (err) {
          return { error: this.explain(err) };
        }
      },
      (url) => this.copy(url),
    );
  }

  private copy(text: string): void {
    void navigator.clipboard
      ?.writeText(text)
      .then(() => this.say(this.t("code.copied")))
      .catch(() => this.say(text));
  }

  private applyViewerPreferences(): void {
    for (const screen of this.screens.values()) {
      screen.applyPreferences();
      screen.applyNotice();
    }
    // Screens in windows of their own follow the same preferences (R-V3, R-V6).
    this.screenWindows.postMessage({ type: "prefs", prefs: this.prefs } satisfies ScreenWindowMessage);
    if (this.prefs.greyOutUnfocused) this.root.dataset.greyUnfocused = "";
    else delete this.root.dataset.greyUnfocused;
  }

  private savePrefs(p: Preferences): void {
    this.prefs = p;
    this.applyTimings();
    this.applyViewerPreferences();
    this.list.applyPreferences(p);
    for (const v of this.sessionViews.values()) v.applyPreferences(p);
    this.list.tick();
    void this.transport.savePreferences(p).then(() => this.say(this.t("prefs.saved")));
  }

  private async logout(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    document.removeEventListener("keydown", this.onKey);
    window.removeEventListener("blur", this.onFocusChange);
    window.removeEventListener("focus", this.onFocusChange);
    for (const tools of this.tools.values()) tools.close();
    for (const computer of this.computers.values()) computer.close();
    await this.transport.logout();
    this.onSignedOut();
  }
}
