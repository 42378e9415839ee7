// Alert pop-ups (R-P3, R-P4, R-P7, R-P8, R-P9, R-L6): coloured by kind, *Yes* to answer, shown for the display time,
// raised again by reminders or a double-click; a browser notification when the page is hidden (with permission).
import { h, KeyedList, setText } from "../dom.ts";
import type { Translate } from "../i18n.ts";
import type { AlertView, ConsoleModel } from "../model.ts";

/** Pop-ups on screen at once; more visible alerts are summarised in one line. */
export const alertPopupsMax = 4;

export interface AlertActions {
  yes(alert: AlertView): void;
  decline(alert: AlertView): void;
  dismiss(alert: AlertView): void;
}

export class AlertsView {
  readonly root: HTMLElement;
  private readonly list: KeyedList<AlertView, HTMLElement>;
  private readonly notified = new Set<string>();
  private readonly more: HTMLElement;

  constructor(
    private readonly model: ConsoleModel,
    private readonly t: Translate,
    private readonly actions: AlertActions,
    private readonly notificationsWanted: () => boolean,
  ) {
    const stack = h("div", { class: "alert-stack" });
    this.more = h("p", { class: "alert-more", hidden: true });
    this.root = h("section", { class: "alerts", "aria-label": t("alert.region") }, stack, this.more);
    this.list = new KeyedList(
      stack,
      (a) => a.key,
      (a) => this.create(a),
      (el, a) => this.update(el, a),
    );
  }

  private title(a: AlertView): string {
    if (a.action === "acceptOffer") return this.t("alert.offer");
    return this.t(`alert.${a.colour}`);
  }

  private create(a: AlertView): HTMLElement {
    const t = this.t;
    const row = this.model.incoming.get(a.key);
    const titleId = `alert-title-${a.key.replace(/\W/g, "_")}`;
    const descId = `${titleId}-d`;
    const yes = h(
      "button",
      { type: "button", class: "yes", onclick: () => this.actions.yes(a) },
      t("alert.yes"),
    );
    const el = h(
      "div",
      {
        class: `alert ${a.colour}`,
        role: "alertdialog",
        "aria-labelledby": titleId,
        "aria-describedby": descId,
        "data-colour": a.colour,
      },
      h("h2", { id: titleId }, this.title(a), h("span", { class: "reminder" })),
      h(
        "div",
        { id: descId },
        h("p", { class: "who" }, row ? `${row.customer.name} · ${this.model.nameOf(row.portalId)}` : ""),
        row?.customer.question
          ? h("p", { class: "question" }, t("alert.question", { question: row.customer.question }))
          : null,
        row?.comments ? h("p", { class: "comments" }, t("alert.comments", { comments: row.comments })) : null,
      ),
      h(
        "div",
        { class: "buttons" },
        yes,
        a.action === "acceptOffer"
          ? h("button", { type: "button", onclick: () => this.actions.decline(a) }, t("alert.decline"))
          : null,
        h(
          "button",
          { type: "button", class: "dismiss", onclick: () => this.actions.dismiss(a) },
          t("alert.dismiss"),
        ),
      ),
    );
    return el;
  }

  private update(el: HTMLElement, a: AlertView): void {
    const r = el.querySelector(".reminder");
    if (r) setText(r, a.reminders > 0 ? ` — ${this.t("alert.reminder")} ${a.reminders}` : "");
  }

  render(now: number): void {
    const visible = this.model.visibleAlerts(now);
    // A burst of requests must not bury the screen: the oldest few pop up, the rest wait in Incoming.
    this.list.render(visible.slice(0, alertPopupsMax));
    const hiddenCount = visible.length - alertPopupsMax;
    this.more.hidden = hiddenCount <= 0;
    if (hiddenCount > 0) setText(this.more, this.t("alert.more", { count: hiddenCount }));
    for (const a of visible) {
      const id = `${a.key}@${a.visibleUntil}`;
      if (!this.notified.has(id)) {
        this.notified.add(id);
        this.notify(a);
      }
    }
  }

  /** A browser notification when the page is hidden; clicking it brings the console forward. */
  private notify(a: AlertView): void {
    if (typeof Notification === "undefined" || !document.hidden || !this.notificationsWanted()) return;
    if (Notification.permission !== "granted") return;
    const row = this.model.incoming.get(a.key);
    const n = new Notification(this.t("notify.title", { title: this.title(a) }), {
      body: row ? `${row.customer.name}${row.customer.question ? ` — ${row.customer.question}` : ""}` : "",
      tag: a.key,
    });
    n.onclick = () => {
      window.focus();
      n.close();
    };
  }
}
