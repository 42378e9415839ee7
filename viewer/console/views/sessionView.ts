// One chat tab (R-S1–S7): transcript with pushes and transfers, composer with quick phrases, push URL, details,
// participants, private notes, the timer since the agent's last message, the session actions and the viewer slot.
import { append, field, h, setAttr, setText, uid } from "../dom.ts";
import { formatDuration, formatTime, isStringKey, type Lang, type Translate } from "../i18n.ts";
import type { ChatLine, ConsoleModel, SessionRow } from "../model.ts";
import type { Preferences } from "../preferences.ts";
import type { ConsoleSettings } from "../transport.ts";

export interface SessionActions {
  chat(sessionId: string, text: string): Promise<boolean>;
  note(sessionId: string, text: string): Promise<boolean>;
  pushUrl(sessionId: string, url: string): Promise<boolean>;
  close(sessionId: string): void;
  leave(sessionId: string): void;
  transfer(sessionId: string): void;
  invite(sessionId: string): void;
  cancelTransfer(sessionId: string): void;
  cancelInvite(sessionId: string): void;
}

export class SessionView {
  readonly root: HTMLElement;
  readonly composer: HTMLTextAreaElement;
  readonly viewer: HTMLElement;
  /** Where the session tools (issue 7) are mounted: clipboard, diagnostics, files. */
  readonly tools: HTMLElement;
  private readonly transcript: HTMLOListElement;
  private readonly notes: HTMLOListElement;
  private readonly participants: HTMLUListElement;
  private readonly timer: HTMLElement;
  private readonly state: HTMLElement;
  private readonly banner: HTMLElement;
  private readonly leaveButton: HTMLButtonElement;
  private readonly closeButton: HTMLButtonElement;
  private readonly transferButton: HTMLButtonElement;
  private readonly inviteButton: HTMLButtonElement;
  private renderedLines = 0;
  private renderedNotes = 0;

  constructor(
    private readonly model: ConsoleModel,
    public session: SessionRow,
    private readonly t: Translate,
    private readonly lang: Lang,
    private prefs: Preferences,
    settings: ConsoleSettings,
    private readonly actions: SessionActions,
  ) {
    const s = session;
    const id = s.sessionId;
    const titleId = uid("chat");
    this.transcript = h("ol", { class: "transcript", "aria-live": "polite", "aria-labelledby": titleId });
    this.composer = h("textarea", { rows: "2", class: "composer", "aria-label": t("session.message") });
    this.composer.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey && this.prefs.enterSends) {
        e.preventDefault();
        void this.send();
      }
    });
    const phrases = this.quickPhrases(settings);
    const url = h("input", {
      type: "url",
      class: "push-url",
      placeholder: "https://",
      list: `urls-${id}`,
      "aria-label": t("session.url"),
    });
    const urlList = h(
      "datalist",
      { id: `urls-${id}` },
      ...settings.quickUrls.map((u) => h("option", { value: u.url }, u.label)),
    );
    const noteInput = h("textarea", { rows: "2", class: "note-input", "aria-label": t("session.note") });
    this.notes = h("ol", { class: "notes", "aria-label": t("session.notes") });
    this.participants = h("ul", { class: "participants", "aria-label": t("session.participants") });
    this.timer = h("span", { class: "reply-timer", role: "timer", "aria-label": t("session.timer") });
    this.state = h("span", { class: "session-state" });
    this.banner = h("p", { class: "banner", hidden: true });
    this.viewer = h(
      "div",
      { class: "viewer", tabindex: "0", role: "region", "aria-label": t("session.viewer") },
      h("p", {}, t("session.viewerIdle")),
    );
    this.tools = h("div", { class: "tools-slot" });
    this.closeButton = h("button", { type: "button", onclick: () => actions.close(id) }, t("session.close"));
    this.leaveButton = h("button", { type: "button", onclick: () => actions.leave(id) }, t("session.leave"));
    this.transferButton = h(
      "button",
      { type: "button", onclick: () => actions.transfer(id) },
      t("session.transfer"),
    );
    this.inviteButton = h(
      "button",
      { type: "button", onclick: () => actions.invite(id) },
      t("session.invite"),
    );
    this.transferButton.hidden = !settings.transferEnabled;
    this.inviteButton.hidden = !settings.inviteEnabled;

    const detailsList = h(
      "dl",
      { class: "details" },
      h("dt", {}, t("details.sessionId")),
      h("dd", {}, s.sessionId),
      h("dt", {}, t("details.language")),
      h("dd", {}, s.customer.language.toUpperCase()),
      h("dt", {}, t("details.os")),
      h("dd", {}, s.customer.os ?? "—"),
      h("dt", {}, t("details.started")),
      h("dd", {}, formatTime(s.startedAt, lang)),
      h("dt", {}, t("details.portal")),
      h("dd", {}, model.nameOf(s.portalId)),
      h("dt", {}, t("details.question")),
      h("dd", {}, s.customer.question ?? "—"),
    );

    this.root = h(
      "section",
      { class: "session", role: "tabpanel", id: `panel-${id}`, "aria-labelledby": `tab-${id}` },
      h(
        "div",
        { class: "chat-col" },
        h(
          "header",
          { class: "session-head" },
          h("h2", { id: titleId }, t("session.transcript", { name: s.customer.name })),
          this.state,
          h("span", { class: "timer-wrap" }, `${t("session.timer")}: `, this.timer),
          h(
            "div",
            { class: "actions", role: "group", "aria-label": t("session.details") },
            this.transferButton,
            this.inviteButton,
            this.leaveButton,
            this.closeButton,
          ),
        ),
        this.banner,
        // The shared screen takes the width of the chat column, above the transcript (issue 5).
        this.viewer,
        this.transcript,
        h(
          "form",
          {
            class: "compose",
            onsubmit: (e: Event) => {
              e.preventDefault();
              void this.send();
            },
          },
          phrases,
          this.composer,
          h("button", { type: "submit" }, t("session.send")),
        ),
        h(
          "form",
          {
            class: "push",
            onsubmit: async (e: Event) => {
              e.preventDefault();
              const v = url.value.trim();
              if (v && (await actions.pushUrl(id, v))) url.value = "";
            },
          },
          url,
          urlList,
          h("button", { type: "submit" }, t("session.pushUrl")),
        ),
      ),
      h(
        "aside",
        { class: "session-side" },
        h("h3", {}, t("session.details")),
        detailsList,
        h("h3", {}, t("session.participants")),
        this.participants,
        this.tools,
        h("h3", {}, t("session.notes")),
        this.notes,
        h(
          "form",
          {
            class: "add-note",
            onsubmit: async (e: Event) => {
              e.preventDefault();
              const v = noteInput.value.trim();
              if (v && (await actions.note(id, v))) noteInput.value = "";
            },
          },
          noteInput,
          h("button", { type: "submit" }, t("session.addNote")),
        ),
      ),
    );
    this.render();
  }

  private quickPhrases(settings: ConsoleSettings): HTMLElement {
    const t = this.t;
    const categories = new Map<string, string[]>();
    for (const p of settings.quickPhrases)
      categories.set(p.category, [...(categories.get(p.category) ?? []), p.text]);
    const select = h(
      "select",
      {
        class: "quick-phrases",
        onchange: () => {
          if (!select.value) return;
          const sep = this.composer.value && !this.composer.value.endsWith(" ") ? " " : "";
          this.composer.value += sep + select.value;
          select.value = "";
          this.composer.focus();
        },
      },
      h("option", { value: "" }, t("session.quickPhrases")),
      ...[...categories].map(([cat, texts]) =>
        h("optgroup", { label: cat }, ...texts.map((x) => h("option", { value: x }, x))),
      ),
    );
    return field(t("session.quickPhrase"), select);
  }

  private async send(): Promise<void> {
    const text = this.composer.value.trim();
    if (!text) return;
    if (await this.actions.chat(this.session.sessionId, text)) this.composer.value = "";
  }

  applyPreferences(prefs: Preferences): void {
    this.prefs = prefs;
    this.root.classList.toggle("no-times", !prefs.timestamps);
  }

  private lineText(l: ChatLine): string {
    if (l.key && isStringKey(l.key)) {
      const params = Object.fromEntries(
        Object.entries(l.params ?? {}).map(([k, v]) => [k, k === "reason" ? v : this.names(v)]),
      );
      return this.t(l.key, params) + (l.text ? ` — ${l.text}` : "");
    }
    if (l.kind === "url") return this.t("line.pushed", { url: l.text });
    return l.text;
  }

  private names(ids: string): string {
    return ids
      .split(",")
      .map((i) => this.model.nameOf(i))
      .join(", ");
  }

  private author(l: ChatLine): string {
    if (l.author === "customer") return this.session.customer.name;
    return l.author ? this.model.nameOf(l.author) : "";
  }

  private lineItem(l: ChatLine): HTMLLIElement {
    const who = l.kind === "system" || l.kind === "transfer" ? "" : this.author(l);
    const mine = l.author === this.model.me.id;
    return h(
      "li",
      { class: `line ${l.kind}${mine ? " mine" : ""}${l.author === "customer" ? " theirs" : ""}` },
      h("time", { class: "at" }, formatTime(l.at, this.lang)),
      who ? h("strong", { class: "who" }, `${who}: `) : null,
      l.kind === "url"
        ? h(
            "span",
            {},
            `${this.t("line.pushed", { url: "" })}`,
            h("a", { href: l.text, target: "_blank", rel: "noopener" }, l.text),
          )
        : h("span", { class: "text" }, this.lineText(l)),
    );
  }

  /** Appends only new lines (the transcript can be long); a replaced transcript (reconnect) redraws. */
  render(): void {
    const s = this.session;
    if (s.lines.length < this.renderedLines) {
      this.transcript.replaceChildren();
      this.renderedLines = 0;
    }
    const atBottom =
      this.transcript.scrollTop + this.transcript.clientHeight >= this.transcript.scrollHeight - 4;
    for (let i = this.renderedLines; i < s.lines.length; i++)
      this.transcript.append(this.lineItem(s.lines[i]!));
    this.renderedLines = s.lines.length;
    if (atBottom) this.transcript.scrollTop = this.transcript.scrollHeight;
    if (s.notes.length < this.renderedNotes) {
      this.notes.replaceChildren();
      this.renderedNotes = 0;
    }
    for (let i = this.renderedNotes; i < s.notes.length; i++) {
      const n = s.notes[i]!;
      this.notes.append(
        h(
          "li",
          {},
          h("time", {}, formatTime(n.at, this.lang)),
          " ",
          h("strong", {}, `${this.model.nameOf(n.author)}: `),
          n.text,
        ),
      );
    }
    this.renderedNotes = s.notes.length;
    this.participants.replaceChildren(
      h("li", { class: "customer" }, `${s.customer.name} (${this.t("session.customer")})`),
      ...s.participants.map((p) =>
        h(
          "li",
          { class: p.hidden ? "hidden-agent" : "" },
          this.model.nameOf(p.agentId) + (p.hidden ? ` (${this.t("session.hidden")})` : ""),
        ),
      ),
    );
    const owner = this.model.isOwner(s);
    this.closeButton.hidden = !owner;
    this.transferButton.disabled = !owner || s.pendingTransfer !== null;
    this.leaveButton.hidden = !this.model.mayLeave(s);
    setText(this.state, this.t(`state.${s.state}`));
    const banners: string[] = [];
    if (s.pendingTransfer)
      banners.push(this.t("session.pendingTransfer", { to: this.model.nameOf(s.pendingTransfer.to) }));
    if (s.pendingInvite) banners.push(this.t("session.pendingInvite"));
    if (!s.customerPresent) banners.push(this.t("session.customerLeft"));
    this.banner.hidden = banners.length === 0;
    this.banner.replaceChildren();
    append(this.banner, [
      banners.join(" · "),
      s.pendingTransfer && owner
        ? h(
            "button",
            { type: "button", onclick: () => this.actions.cancelTransfer(s.sessionId) },
            this.t("session.cancelTransfer"),
          )
        : null,
      s.pendingInvite
        ? h(
            "button",
            { type: "button", onclick: () => this.actions.cancelInvite(s.sessionId) },
            this.t("session.cancelInvite"),
          )
        : null,
    ]);
    this.tick();
  }

  tick(now = Date.now()): void {
    const r = this.model.replyTimer(this.session, now);
    setText(this.timer, formatDuration(r.ms));
    setAttr(this.timer, "data-colour", r.colour);
  }
}
