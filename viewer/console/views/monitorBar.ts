// The customer's monitors above the shared screen (R-V2): a mini-map of their layout with resolutions (primary
// marked, the shown one highlighted, each clickable), previous / next arrows and "All monitors". Hidden with one.
import { type Monitor, miniMap, stepMonitor } from "../../screen/monitors.ts";
import { h, setAttr } from "../dom.ts";
import type { Translate } from "../i18n.ts";

/** The mini-map fits in this box (CSS pixels), small enough to sit above the screen without taking its height. */
const mapWidthMax = 180;
const mapHeightMax = 44;

export class MonitorBar {
  readonly element: HTMLElement;
  private readonly map: HTMLElement;
  private readonly allButton: HTMLButtonElement;
  private monitors: Monitor[] = [];
  /** The layout last drawn, so that repeated sharing states do not rebuild the map. */
  private drawn = "";
  private shownId: string | null = null;

  constructor(
    private readonly t: Translate,
    /** The agent picked a monitor (its id), or all of them (null). */
    private readonly onShow: (monitor: Monitor | null) => void,
  ) {
    const arrow = (direction: 1 | -1, label: string, text: string) =>
      h("button", { type: "button", "aria-label": label, onclick: () => this.step(direction) }, text);
    this.map = h("div", { class: "monitor-map", role: "group", "aria-label": t("screen.monitorMap") });
    this.allButton = h(
      "button",
      { type: "button", "aria-pressed": "true", onclick: () => this.show(null) },
      t("screen.monitorAll"),
    );
    this.element = h(
      "div",
      { class: "screen-monitors", role: "group", "aria-label": t("screen.monitors"), hidden: true },
      arrow(-1, t("screen.monitorPrevious"), "◀"),
      this.map,
      arrow(1, t("screen.monitorNext"), "▶"),
      this.allButton,
    );
  }

  get count(): number {
    return this.monitors.length;
  }

  /** The host's layout: redrawn when it changed; a shown monitor that went away falls back to all of them. */
  update(monitors: Monitor[]): void {
    const key = JSON.stringify(monitors);
    if (key === this.drawn) return;
    this.drawn = key;
    this.monitors = monitors;
    this.element.hidden = monitors.length < 2;
    this.drawMap();
    const same = monitors.find((m) => m.id === this.shownId);
    // The same monitor may have moved or changed resolution: the view follows its new rectangle.
    this.show(monitors.length < 2 ? null : (same ?? null));
  }

  private drawMap(): void {
    const rects = miniMap(this.monitors, mapWidthMax, mapHeightMax);
    const byId = new Map(this.monitors.map((m) => [m.id, m]));
    this.map.style.width = `${Math.max(0, ...rects.map((r) => r.x + r.width))}px`;
    this.map.style.height = `${Math.max(0, ...rects.map((r) => r.y + r.height))}px`;
    this.map.replaceChildren(
      // Numbered in reading order, the order the arrows follow.
      ...rects.map((r, i) => {
        const m = byId.get(r.id)!;
        const name = this.t(m.primary ? "screen.monitorPrimary" : "screen.monitor", {
          n: i + 1,
          resolution: `${m.width}×${m.height}`,
        });
        const box = h(
          "button",
          { type: "button", class: "monitor-box", "data-monitor": r.id, "aria-label": name, title: name },
          r.label,
        );
        Object.assign(box.style, {
          left: `${r.x}px`,
          top: `${r.y}px`,
          width: `${r.width}px`,
          height: `${r.height}px`,
        });
        box.addEventListener("click", () => this.show(m));
        return box;
      }),
    );
  }

  private step(direction: 1 | -1): void {
    const next = stepMonitor(this.monitors, this.shownId, direction);
    if (next) this.show(next);
  }

  private show(monitor: Monitor | null): void {
    this.shownId = monitor?.id ?? null;
    for (const box of this.map.querySelectorAll<HTMLElement>("[data-monitor]")) {
      setAttr(box, "aria-pressed", String(box.dataset.monitor === this.shownId));
    }
    setAttr(this.allButton, "aria-pressed", String(this.shownId === null));
    this.onShow(monitor);
  }
}
