// A very small DOM kit for the console: element builder, keyed row lists that touch only what changed, and dialogs.
export type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

/** `h("button", { type: "button", "aria-label": "…", onclick }, "text")`: attributes, `on*` listeners, children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      el.addEventListener(name.slice(2), value as EventListener);
    } else if (name === "value" && "value" in el) {
      (el as HTMLInputElement).value = String(value);
    } else if (name === "checked" && "checked" in el) {
      (el as HTMLInputElement).checked = Boolean(value);
    } else {
      el.setAttribute(name, value === true ? "" : String(value));
    }
  }
  append(el, children);
  return el;
}

export function append(el: Element, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === "string" ? document.createTextNode(c) : c);
  }
}

/** Sets text only when it differs: the clocks redraw every second without churning the DOM. */
export function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

export function setAttr(el: Element, name: string, value: string | null): void {
  if (value === null) {
    if (el.hasAttribute(name)) el.removeAttribute(name);
  } else if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

/**
 * Rows keyed by id inside one container: new keys are created, gone keys removed, existing ones updated in place,
 * and nodes are moved only when the order changed. Hundreds of rows cost one pass and few DOM writes.
 */
export class KeyedList<T, E extends HTMLElement = HTMLElement> {
  private readonly nodes = new Map<string, E>();

  constructor(
    private readonly container: HTMLElement,
    private readonly keyOf: (item: T) => string,
    private readonly create: (item: T) => E,
    private readonly update: (el: E, item: T) => void,
  ) {}

  render(items: readonly T[]): void {
    const seen = new Set<string>();
    let cursor: ChildNode | null = this.container.firstChild;
    for (const item of items) {
      const key = this.keyOf(item);
      seen.add(key);
      let el = this.nodes.get(key);
      if (!el) {
        el = this.create(item);
        el.dataset.key = key;
        this.nodes.set(key, el);
      }
      this.update(el, item);
      if (el !== cursor) this.container.insertBefore(el, cursor);
      else cursor = cursor.nextSibling;
    }
    for (const [key, el] of this.nodes) {
      if (!seen.has(key)) {
        el.remove();
        this.nodes.delete(key);
      }
    }
  }

  get(key: string): E | undefined {
    return this.nodes.get(key);
  }

  get size(): number {
    return this.nodes.size;
  }

  each(fn: (el: E, key: string) => void): void {
    for (const [k, el] of this.nodes) fn(el, k);
  }
}

/** A modal dialog (`<dialog>`, so Esc closes it and focus stays inside) that removes itself when closed. */
export function modal(title: string, body: Child[], labelId: string): HTMLDialogElement {
  const dialog = h(
    "dialog",
    { "aria-labelledby": labelId, class: "modal" },
    h("h2", { id: labelId }, title),
    ...body,
  );
  dialog.addEventListener("close", () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  return dialog;
}

let idCounter = 0;
export const uid = (prefix: string) => `${prefix}-${++idCounter}`;

/** A labelled form control: `<label for>` + control, so every field has an accessible name. */
export function field(label: string, control: HTMLElement): HTMLElement {
  const id = control.id || uid("f");
  control.id = id;
  return h("div", { class: "field" }, h("label", { for: id }, label), control);
}
