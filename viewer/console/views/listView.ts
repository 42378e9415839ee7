// The list view (R-L1–L5): Incoming requests with live clocks, Current sessions, Session history, Details and the
// active SmartCodes; keyed rows so hundreds of requests redraw with a few DOM writes, selectable columns.
import { field, h, KeyedList, setAttr, setText, uid } from "../dom.ts";
import { formatDuration, formatTime, isStringKey, type Lang, type Translate } from "../i18n.ts";
import type { ConsoleModel, HistoryRow, IncomingRow, SessionRow, SmartCodeRow } from "../model.ts";
import { type ColumnKey, columnsOf, type Preferences, type SectionKey } from "../preferences.ts";

export interface ListActions {
  /** R-L6: double-click or Enter on an Incoming row raises its alert again. */
  reraise(key: string): void;
  openSession(sessionId: string): void;
  select(list: "incoming" | "current" | "history", key: string): void;
  setColumns(list: "incoming" | "current" | "history", columns: ColumnKey[]): void;
  copyCode(code: SmartCodeRow): void;
  cancelCode(code: SmartCodeRow): void;
}

type ListName = "incoming" | "current" | "history";

interface Table<T> {
  section: HTMLElement;
  table: HTMLTableElement;
  head: HTMLTableRowElement;
  body: HTMLTableSectionElement;
  rows: KeyedList<T, HTMLTableRowElement>;
  count: HTMLElement;
  empty: HTMLElement;
}

export class ListView {
  readonly root: HTMLElement;
  private readonly incoming: Table<IncomingRow>;
  private readonly current: Table<SessionRow>;
  private readonly history: Table<HistoryRow>;
  private readonly details: HTMLElement;
  private readonly detailsBody: HTMLElement;
  private readonly codes: HTMLElement;
  private readonly codeRows: KeyedList<SmartCodeRow, HTMLLIElement>;
  private readonly codesEmpty: HTMLElement;
  private readonly sections: Record<SectionKey, HTMLElement>;

  constructor(
    private readonly model: ConsoleModel,
    private readonly t: Translate,
    private readonly lang: Lang,
    private prefs: Preferences,
    private readonly actions: ListActions,
  ) {
    this.incoming = this.table(
      "incoming",
      "section.incoming",
      (r) => r.key,
      (r) => this.incomingCells(r),
    );
    this.current = this.table(
      "current",
      "section.current",
      (s) => s.sessionId,
      (s) => this.currentCells(s),
    );
    this.history = this.table(
      "history",
      "section.history",
      (x) => x.sessionId,
      (x) => this.historyCells(x),
    );
    const detailsTitle = uid("h");
    this.detailsBody = h("dl", { class: "details" });
    this.details = h(
      "section",
      { class: "panel details-panel", "aria-labelledby": detailsTitle },
      h("h2", { id: detailsTitle }, t("section.details")),
      this.detailsBody,
    );
    const codesTitle = uid("h");
    const codeList = h("ul", { class: "codes", "aria-labelledby": codesTitle });
    this.codesEmpty = h("p", { class: "empty" }, t("code.none"));
    this.codes = h(
      "section",
      { class: "panel codes-panel", "aria-labelledby": codesTitle },
      h("h2", { id: codesTitle }, t("section.codes")),
      codeList,
      this.codesEmpty,
    );
    this.codeRows = new KeyedList(
      codeList,
      (c) => c.code,
      (c) => this.codeItem(c),
      () => {},
    );
    this.sections = {
      incoming: this.incoming.section,
      current: this.current.section,
      history: this.history.section,
      details: this.details,
      codes: this.codes,
    };
    this.root = h(
      "div",
      { class: "list-view" },
      h("div", { class: "lists" }, this.incoming.section, this.current.section, this.history.section),
      h("div", { class: "side" }, this.details, this.codes),
    );
    this.applyPreferences(prefs);
  }

  applyPreferences(prefs: Preferences): void {
    this.prefs = prefs;
    for (const [key, el] of Object.entries(this.sections)) el.hidden = !prefs.sections[key as SectionKey];
    for (const name of ["incoming", "current", "history"] as const) {
      const shown = new Set(prefs.columns[name]);
      const table = this.tableOf(name).table;
      for (const col of columnsOf[name]) table.classList.toggle(`hide-${col}`, !shown.has(col));
    }
  }

  private tableOf(name: ListName): Table<unknown> {
    return (
      name === "incoming" ? this.incoming : name === "current" ? this.current : this.history
    ) as Table<unknown>;
  }

  private table<T>(
    name: ListName,
    titleKey: "section.incoming" | "section.current" | "section.history",
    keyOf: (item: T) => string,
    cells: (item: T) => HTMLTableCellElement[],
  ): Table<T> {
    const t = this.t;
    const titleId = `title-${name}`;
    const head = h(
      "tr",
      {},
      ...columnsOf[name].map((c) => h("th", { scope: "col", class: `c-${c}` }, t(`col.${c}`))),
    );
    const body = h("tbody", {});
    const table = h(
      "table",
      { class: `grid ${name}`, "aria-labelledby": titleId },
      h("thead", {}, head),
      body,
    );
    const count = h("span", { class: "count" }, "0");
    const empty = h("p", { class: "empty" }, t("section.empty"));
    const section = h(
      "section",
      { class: `panel list-${name}`, "aria-labelledby": titleId },
      h(
        "div",
        { class: "panel-head" },
        h("h2", { id: titleId }, t(titleKey), " ", count),
        this.columnMenu(name, titleKey),
      ),
      h("div", { class: "scroll" }, table, empty),
    );
    const rows = new KeyedList<T, HTMLTableRowElement>(
      body,
      keyOf,
      (item) => {
        const key = keyOf(item);
        const tr = h("tr", {
          tabindex: "0",
          onclick: () => this.actions.select(name, key),
          onfocus: () => this.actions.select(name, key),
          ondblclick: () => this.activate(name, key),
          onkeydown: (e: Event) => this.rowKey(e as KeyboardEvent, name, key),
        });
        tr.append(...cells(item));
        return tr;
      },
      (tr, item) => this.updateRow(name, tr, item),
    );
    return { section, table, head, body, rows, count, empty };
  }

  private activate(name: ListName, key: string): void {
    if (name === "incoming") this.actions.reraise(key);
    else if (name === "current") this.actions.openSession(key);
  }

  /** Keyboard: Enter does what a double-click does; arrows move between rows. */
  private rowKey(e: KeyboardEvent, name: ListName, key: string): void {
    const tr = e.currentTarget as HTMLTableRowElement;
    if (e.key === "Enter") {
      e.preventDefault();
      this.activate(name, key);
    } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      const next = (
        e.key === "ArrowDown" ? tr.nextElementSibling : tr.previousElementSibling
      ) as HTMLElement | null;
      next?.focus();
    }
  }

  private columnMenu(
    name: ListName,
    titleKey: "section.incoming" | "section.current" | "section.history",
  ): HTMLElement {
    const t = this.t;
    const boxes = columnsOf[name].map((col) => {
      const box = h("input", {
        type: "checkbox",
        checked: this.prefs?.columns[name].includes(col) ?? true,
        onchange: () => {
          const chosen = columnsOf[name].filter(
            (_, i) => (boxes[i]!.querySelector("input") as HTMLInputElement).checked,
          );
          this.actions.setColumns(name, chosen);
        },
      });
      const id = uid("col");
      box.id = id;
      return h("div", { class: "check" }, box, h("label", { for: id }, t(`col.${col}`)));
    });
    return h(
      "details",
      { class: "menu columns-menu" },
      h("summary", { "aria-label": t("section.columns", { section: t(titleKey) }) }, "⋮"),
      h("fieldset", {}, h("legend", {}, t("section.columns", { section: t(titleKey) })), ...boxes),
    );
  }

  private cell(col: ColumnKey, text = ""): HTMLTableCellElement {
    return h("td", { class: `c-${col}` }, text);
  }

  private incomingCells(r: IncomingRow): HTMLTableCellElement[] {
    const clock = this.cell("clock");
    clock.append(h("span", { class: "badge" }), h("span", { class: "time" }));
    return [
      clock,
      this.cell("portal"),
      this.cell("sessionId", r.sessionId ?? ""),
      this.cell("sent", formatTime(r.postedAt, this.lang)),
      this.cell("name"),
      this.cell("language", r.customer.language.toUpperCase()),
      this.cell("question"),
    ];
  }

  private currentCells(s: SessionRow): HTMLTableCellElement[] {
    return [
      this.cell("clock"),
      this.cell("state"),
      this.cell("portal"),
      this.cell("sessionId", s.sessionId),
      this.cell("sent", formatTime(s.startedAt, this.lang)),
      this.cell("name", s.customer.name),
      this.cell("language", s.customer.language.toUpperCase()),
      this.cell("question", s.customer.question ?? ""),
    ];
  }

  private historyCells(x: HistoryRow): HTMLTableCellElement[] {
    return [
      this.cell("start", formatTime(x.startedAt, this.lang)),
      this.cell("end", formatTime(x.endedAt, this.lang)),
      this.cell("resolution", this.t(`resolution.${x.resolution}`)),
      this.cell("portal", this.model.nameOf(x.portalId)),
      this.cell("sessionId", x.sessionId),
      this.cell("name", x.customer.name),
      this.cell("language", x.customer.language.toUpperCase()),
      this.cell("question", x.customer.question ?? ""),
    ];
  }

  private updateRow(name: ListName, tr: HTMLTableRowElement, item: unknown): void {
    const sel = this.model.selection;
    const key = tr.dataset.key ?? "";
    setAttr(tr, "aria-selected", sel?.list === name && sel.key === key ? "true" : "false");
    const now = this.now();
    if (name === "incoming") this.updateIncoming(tr, item as IncomingRow, now);
    if (name === "current") this.updateCurrent(tr, item as SessionRow, now);
  }

  private updateIncoming(tr: HTMLTableRowElement, r: IncomingRow, now: number): void {
    const state = this.model.clockOf(r, now);
    const [clock, portal, , , name, , question] = tr.cells as unknown as HTMLTableCellElement[];
    setAttr(tr, "data-clock", state);
    setAttr(tr, "data-kind", r.kind);
    setText(clock!.firstElementChild!, this.t(`clock.${state}`));
    setText(
      clock!.lastElementChild!,
      state === "queued" ? `#${r.queuedPosition ?? 1}` : formatDuration(this.model.countdownMs(r, now)),
    );
    setText(portal!, this.model.nameOf(r.portalId));
    setText(
      name!,
      r.kind === "request" ? r.customer.name : `${r.customer.name} — ${this.t(`kind.${r.kind}`)}`,
    );
    setText(question!, r.comments ?? r.customer.question ?? "");
  }

  private updateCurrent(tr: HTMLTableRowElement, s: SessionRow, now: number): void {
    const [clock, state, portal] = tr.cells as unknown as HTMLTableCellElement[];
    setText(clock!, formatDuration(this.model.durationMs(s, now)));
    setText(state!, this.t(`state.${s.state}`));
    setAttr(tr, "data-state", s.state);
    setText(portal!, this.model.nameOf(s.portalId));
  }

  private codeItem(c: SmartCodeRow): HTMLLIElement {
    const t = this.t;
    return h(
      "li",
      { class: "code" },
      h("strong", { class: "code-display" }, c.name ?? c.display),
      " ",
      h("span", { class: "code-portal" }, this.model.nameOf(c.portalId)),
      " ",
      h("span", { class: "code-status" }, t("code.active")),
      " ",
      h("span", { class: "code-remaining", "aria-label": t("code.remaining") }, ""),
      h("input", { class: "code-url", readonly: true, value: c.quickUrl, "aria-label": t("code.url") }),
      h("button", { type: "button", onclick: () => this.actions.copyCode(c) }, t("code.copy")),
      h(
        "button",
        {
          type: "button",
          "aria-label": t("code.cancel", { code: c.display }),
          onclick: () => this.actions.cancelCode(c),
        },
        "✕",
      ),
    );
  }

  now: () => number = () => Date.now();

  // ——— rendering ———

  renderIncoming(): void {
    const rows = this.model.incomingRows();
    this.incoming.rows.render(rows);
    setText(this.incoming.count, `(${rows.length})`);
    this.incoming.empty.hidden = rows.length > 0;
  }

  renderCurrent(): void {
    const rows = this.model.sessionRows();
    this.current.rows.render(rows);
    setText(this.current.count, `(${rows.length})`);
    this.current.empty.hidden = rows.length > 0;
  }

  renderHistory(): void {
    this.history.rows.render(this.model.history);
    setText(this.history.count, `(${this.model.history.length})`);
    this.history.empty.hidden = this.model.history.length > 0;
  }

  renderCodes(): void {
    const now = this.now();
    const codes = this.model.activeCodes(now);
    this.codeRows.render(codes);
    this.codesEmpty.hidden = codes.length > 0;
    for (const c of codes) {
      const li = this.codeRows.get(c.code);
      const span = li?.querySelector(".code-remaining");
      if (span) setText(span, formatDuration(this.model.codeRemainingMs(c, now)));
    }
  }

  renderDetails(): void {
    const d = this.model.details();
    this.detailsBody.replaceChildren();
    if (!d) {
      this.detailsBody.append(h("p", { class: "empty" }, this.t("details.none")));
      return;
    }
    for (const [k, v] of Object.entries(d)) {
      const label = `details.${k}`;
      const value =
        k === "kind" && isStringKey(`kind.${v}`)
          ? this.t(`kind.${v}` as never)
          : k === "state" && isStringKey(`state.${v}`)
            ? this.t(`state.${v}` as never)
            : k === "resolution" && isStringKey(`resolution.${v}`)
              ? this.t(`resolution.${v}` as never)
              : v;
      this.detailsBody.append(h("dt", {}, isStringKey(label) ? this.t(label) : k), h("dd", {}, value || "—"));
    }
  }

  /** Selection changed: mark rows and redraw Details. */
  renderSelection(): void {
    for (const name of ["incoming", "current", "history"] as const) {
      const sel = this.model.selection;
      this.tableOf(name).rows.each((tr, key) =>
        setAttr(tr, "aria-selected", sel?.list === name && sel.key === key ? "true" : "false"),
      );
    }
    this.renderDetails();
  }

  /** Once a second: the clocks only. */
  tick(): void {
    const now = this.now();
    this.incoming.rows.each((tr, key) => {
      const r = this.model.incoming.get(key);
      if (r) this.updateIncoming(tr, r, now);
    });
    this.current.rows.each((tr, key) => {
      const s = this.model.sessions.get(key);
      if (s) this.updateCurrent(tr, s, now);
    });
    this.renderCodes();
  }
}

export function sectionsMenu(
  t: Translate,
  prefs: Preferences,
  onChange: (sections: Record<SectionKey, boolean>) => void,
): HTMLElement {
  const keys: SectionKey[] = ["incoming", "current", "history", "details", "codes"];
  const boxes = keys.map((k) =>
    h("input", {
      type: "checkbox",
      checked: prefs.sections[k],
      onchange: () => onChange(Object.fromEntries(keys.map((x, i) => [x, boxes[i]!.checked])) as never),
    }),
  );
  return h(
    "details",
    { class: "menu" },
    h("summary", {}, t("toolbar.sections")),
    h(
      "fieldset",
      {},
      h("legend", {}, t("toolbar.sections")),
      ...keys.map((k, i) => field(t(`section.${k}`), boxes[i]!)),
    ),
  );
}
