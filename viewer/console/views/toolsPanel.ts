// The session tools in a chat tab (issue 7): send the agent's clipboard (F6, R-V5, R-T2), request diagnostics and read
// them (R-T3), send files and receive the customer's (R-T1) with progress, hash check and a download at the end. Every
// tool asks the customer first on their machine; this panel asks for the grant when it is missing and says what
// happened.
import { displayName, safeName } from "../../../protocol/tools/index.ts";
import { field, h, KeyedList, setAttr, setText, uid } from "../dom.ts";
import { isStringKey, type StringKey, type Translate } from "../i18n.ts";
import { ToolRefused, ToolsLink, toolsUrl } from "../tools/toolsLink.ts";
import { ToolTransfers, type TransferView } from "../tools/transfers.ts";

type DiagState = "waiting" | "refused" | "closed" | "copied" | "receiving" | "received" | "failed";

const fallbackClipboardMaxBytes = 1_572_864;
const textMime = "text/plain;charset=utf-8";
const pngMime = "image/png";

/** What goes to the customer's clipboard: text, or a PNG image. */
type Clip = { blob: Blob; mime: typeof textMime | typeof pngMime };

/** The browser's clipboard, if the page may read it: a PNG first (screenshots), else text. */
async function readBrowserClipboard(): Promise<Clip | "empty" | "denied"> {
  try {
    for (const item of await navigator.clipboard.read()) {
      if (item.types.includes(pngMime)) return { blob: await item.getType(pngMime), mime: pngMime };
      if (item.types.includes("text/plain")) {
        const text = await (await item.getType("text/plain")).text();
        if (text) return { blob: new Blob([text]), mime: textMime };
      }
    }
    return "empty";
  } catch {
    return "denied";
  }
}

export class ToolsPanel {
  readonly root: HTMLElement;
  readonly link: ToolsLink;
  readonly transfers: ToolTransfers;
  private readonly linkStatus: HTMLElement;
  private readonly clipStatus: HTMLElement;
  private readonly fileStatus: HTMLElement;
  private readonly diagStatus: HTMLElement;
  private readonly diagView: HTMLElement;
  private readonly fallback: HTMLFormElement;
  private readonly fallbackText: HTMLTextAreaElement;
  private readonly fileInput: HTMLInputElement;
  private readonly folderInput: HTMLInputElement;
  private readonly list: KeyedList<TransferView, HTMLLIElement>;
  private readonly listEl: HTMLUListElement;
  private readonly buttons: HTMLButtonElement[];
  private readonly askedDiagnostics = new Set<number>();
  private readonly urls: string[] = [];
  private readonly clipboardsTaken = new Set<number>();

  constructor(
    host: HTMLElement,
    sessionId: string,
    token: string,
    private readonly t: Translate,
  ) {
    this.link = new ToolsLink(toolsUrl(), sessionId, token);
    this.transfers = new ToolTransfers(this.link);
    const titleId = uid("tools");
    this.linkStatus = h("p", { class: "tools-link", role: "status" }, t("tools.connecting"));
    this.clipStatus = h("p", { class: "tools-clip-status", role: "status" });
    this.fileStatus = h("p", { class: "tools-file-status", role: "status" });
    this.diagStatus = h("p", { class: "tools-diag-status", role: "status" });
    this.diagView = h("div", { class: "tools-diag" });
    this.fallbackText = h("textarea", {
      rows: "3",
      class: "clip-text",
      onpaste: (e: Event) => this.pasted(e as ClipboardEvent),
    });
    this.fallback = h(
      "form",
      {
        class: "clip-fallback",
        hidden: true,
        onsubmit: (e: Event) => {
          e.preventDefault();
          void this.sendText(this.fallbackText.value);
        },
      },
      h("p", {}, t("tools.clipboardFallback")),
      field(t("tools.clipboardText"), this.fallbackText),
      h("button", { type: "submit" }, t("tools.sendText")),
    );
    this.fileInput = h("input", {
      type: "file",
      multiple: true,
      class: "tools-files",
      "aria-label": t("tools.chooseFiles"),
      onchange: () => {
        const files = [...(this.fileInput.files ?? [])];
        this.fileInput.value = "";
        if (files.length) void this.sendFiles(files);
      },
    });
    // R-T1 folders: the browser hands over a folder's files with their paths inside it (webkitRelativePath).
    this.folderInput = h("input", {
      type: "file",
      multiple: true,
      webkitdirectory: true,
      class: "tools-folder",
      "aria-label": t("tools.chooseFolder"),
      onchange: () => {
        const files = [...(this.folderInput.files ?? [])];
        this.folderInput.value = "";
        if (files.length) void this.sendFiles(files, true);
      },
    });
    const clipButton = h(
      "button",
      { type: "button", "aria-keyshortcuts": "F6", onclick: () => void this.sendClipboard() },
      t("tools.sendClipboard"),
    );
    const diagButton = h(
      "button",
      { type: "button", onclick: () => void this.requestDiagnostics() },
      t("tools.requestDiagnostics"),
    );
    const fileButton = h(
      "button",
      { type: "button", onclick: () => this.fileInput.click() },
      t("tools.sendFile"),
    );
    const folderButton = h(
      "button",
      { type: "button", onclick: () => this.folderInput.click() },
      t("tools.sendFolder"),
    );
    this.buttons = [clipButton, diagButton, fileButton, folderButton];
    this.listEl = h("ul", { class: "transfers", "aria-label": t("tools.files") });
    this.list = new KeyedList(
      this.listEl,
      (v) => String(v.id),
      (v) => this.row(v),
      (el, v) => this.updateRow(el, v),
    );
    this.root = h(
      "section",
      { class: "tools", "aria-labelledby": titleId },
      h("h3", { id: titleId }, t("tools.title")),
      this.linkStatus,
      h(
        "div",
        { class: "tools-actions", role: "group", "aria-label": t("tools.title") },
        clipButton,
        diagButton,
        fileButton,
        folderButton,
        this.fileInput,
        this.folderInput,
      ),
      this.fallback,
      this.clipStatus,
      this.fileStatus,
      this.diagStatus,
      this.diagView,
      h("h4", {}, t("tools.files")),
      this.listEl,
    );
    host.append(this.root);
    this.link.onState((s) => this.showLink(s));
    this.link.onMessage((m) => {
      if (m.type === "tools.peer" && m.role === "host") this.showLink(this.link.state);
      else if (m.type === "diag.answered" && this.askedDiagnostics.has(m.diagnosticsId))
        this.setDiag(
          m.outcome === "sent"
            ? "receiving"
            : m.outcome === "cancelled"
              ? "refused"
              : m.outcome === "copied"
                ? "copied"
                : "closed",
        );
      else if (m.type === "tool.granted" && !m.granted && (m.tool === "files" || m.tool === "clipboard"))
        this.say(this.fileStatus, this.t("tools.revoked", { tool: this.toolName(m.tool) }), "warn");
    });
    this.transfers.onChange((v) => this.changed(v));
    this.link.start();
  }

  close(): void {
    this.link.stop();
    for (const u of this.urls) URL.revokeObjectURL(u);
  }

  // ——— status ———

  private showLink(s: string): void {
    const key: StringKey =
      s === "ended"
        ? "tools.ended"
        : s === "down"
          ? "tools.reconnecting"
          : s === "connecting"
            ? "tools.connecting"
            : this.link.hostPresent
              ? "tools.online"
              : "tools.noHost";
    setText(this.linkStatus, this.t(key));
    setAttr(this.root, "data-link", s);
    for (const b of this.buttons) b.disabled = s === "ended";
  }

  private say(el: HTMLElement, text: string, kind: "info" | "ok" | "warn" | "error" = "info"): void {
    setText(el, text);
    setAttr(el, "data-kind", kind);
  }

  private toolName(tool: "files" | "clipboard"): string {
    return this.t(tool === "files" ? "tools.tool.files" : "tools.tool.clipboard");
  }

  private explain(e: unknown, tool: "files" | "clipboard" | "diagnostics"): string {
    if (e instanceof ToolRefused) {
      if (e.reason === "PeerAbsent") return this.t("tools.noHost");
      if (e.reason === "NotGranted" && tool !== "diagnostics")
        return this.t("tools.notGranted", { tool: this.toolName(tool) });
      if (e.reason === "Declined") return this.t("tools.declined", { reason: e.message });
      if (e.reason === "Cancelled") return this.t("tools.cancelled", { reason: e.message });
      if (e.reason === "Disconnected" || e.reason === "SessionEnded") return this.t("tools.ended");
    }
    return this.t("common.error", { message: e instanceof Error ? e.message : String(e) });
  }

  /** The customer grants a tool on their own machine: asked here when not granted yet. */
  private async ensureGrant(tool: "files" | "clipboard", status: HTMLElement): Promise<boolean> {
    if (this.link.grants[tool]) return true;
    this.say(status, this.t("tools.asking", { tool: this.toolName(tool) }));
    const answer = this.link.next("tool.granted", (m) => m.tool === tool);
    try {
      await this.link.request({ type: "tool.request", tool });
      const m = await answer;
      if (!m.granted) this.say(status, this.t("tools.notGranted", { tool: this.toolName(tool) }), "warn");
      return m.granted;
    } catch (e) {
      answer.catch(() => {});
      this.say(status, this.explain(e, tool), "error");
      return false;
    }
  }

  // ——— clipboard (R-T2, F6) ———

  /**
   * F6 or the button: the browser's clipboard where the page may read it — an image (PNG, the one image type browsers
   * hand to pages) before text — else the box to paste text or an image into.
   */
  async sendClipboard(): Promise<void> {
    const clip = await readBrowserClipboard();
    if (clip === "denied" || clip === "empty") {
      this.fallback.hidden = false;
      this.say(
        this.clipStatus,
        this.t(clip === "empty" ? "tools.clipboardEmpty" : "tools.clipboardFallback"),
      );
      this.fallbackText.focus();
      return;
    }
    await this.sendClip(clip);
  }

  sendText(text: string): Promise<void> {
    return this.sendClip({ blob: new Blob([text]), mime: textMime });
  }

  private async sendClip(clip: Clip): Promise<void> {
    const bytes = clip.blob.size;
    if (bytes === 0) return this.say(this.clipStatus, this.t("tools.clipboardEmpty"), "warn");
    const max = this.link.welcome?.limits.clipboardMaxBytes ?? fallbackClipboardMaxBytes;
    const tooLarge = this.t("tools.clipboardTooLarge", {
      bytes: bytes.toLocaleString("en"),
      max: max.toLocaleString("en"),
    });
    // Over the limit: refused here before the customer is asked anything; once granted, the server refuses (and logs).
    if (bytes > max && !this.link.grants.clipboard) return this.say(this.clipStatus, tooLarge, "error");
    if (!(await this.ensureGrant("clipboard", this.clipStatus))) return;
    this.say(this.clipStatus, this.t("tools.clipboardSending"));
    try {
      const name = clip.mime === pngMime ? "clipboard.png" : "clipboard.txt";
      const r = await this.transfers.send([{ name, blob: clip.blob, mime: clip.mime }], "clipboard");
      if (r.ok) {
        this.say(this.clipStatus, this.t("tools.clipboardSent", { bytes }), "ok");
        this.fallbackText.value = "";
        this.fallback.hidden = true;
      } else this.say(this.clipStatus, this.t("tools.mismatch"), "error");
    } catch (e) {
      const tooBig = e instanceof ToolRefused && e.reason === "TooLarge";
      this.say(this.clipStatus, tooBig ? tooLarge : this.explain(e, "clipboard"), "error");
    }
  }

  /** An image pasted into the box goes as it is; text pasted stays in the box to be read first. */
  private pasted(e: ClipboardEvent): void {
    const image = [...(e.clipboardData?.files ?? [])].find((f) => f.type === pngMime);
    if (!image) return;
    e.preventDefault();
    void this.sendClip({ blob: image, mime: pngMime });
  }

  // ——— files (R-T1) ———

  async sendFiles(files: File[], folder = false): Promise<void> {
    if (!(await this.ensureGrant("files", this.fileStatus))) return;
    this.say(this.fileStatus, this.t("tools.offering", { count: files.length }));
    try {
      const r = await this.transfers.send(
        files.map((f) => ({
          name: f.name,
          blob: f,
          mime: f.type,
          ...(folder && f.webkitRelativePath
            ? { path: f.webkitRelativePath.split("/").filter(Boolean) }
            : {}),
        })),
        "files",
      );
      this.say(
        this.fileStatus,
        r.ok ? this.t("tools.sentOk", { count: files.length }) : this.t("tools.mismatch"),
        r.ok ? "ok" : "error",
      );
    } catch (e) {
      this.say(this.fileStatus, this.explain(e, "files"), "error");
    }
  }

  private changed(v: TransferView): void {
    if (v.purpose === "diagnostics") return this.diagnosticsTransfer(v);
    if (v.direction === "receive" && v.state === "done" && v.purpose === "clipboard")
      void this.clipboardArrived(v);
    else if (v.direction === "receive" && v.state === "done")
      this.say(this.fileStatus, this.t("tools.receivedOk", { count: v.blobs.size }), "ok");
    this.list.render([...this.transfers.views.values()].filter((x) => x.purpose !== "diagnostics"));
  }

  /** The customer sent their clipboard (R-T2): it goes to the agent's clipboard where the page may write it. */
  private async clipboardArrived(v: TransferView): Promise<void> {
    const blob = v.blobs.get(0);
    if (!blob || this.clipboardsTaken.has(v.id)) return;
    this.clipboardsTaken.add(v.id);
    try {
      if (v.files[0]?.mime === pngMime)
        await navigator.clipboard.write([
          new ClipboardItem({ [pngMime]: blob.slice(0, blob.size, pngMime) }),
        ]);
      else await navigator.clipboard.writeText(await blob.text());
      this.say(this.clipStatus, this.t("tools.clipboardReceived", { bytes: blob.size }), "ok");
    } catch {
      this.say(this.clipStatus, this.t("tools.clipboardReceivedLink", { bytes: blob.size }), "ok");
    }
  }

  private row(v: TransferView): HTMLLIElement {
    const names = v.files.map((f) => displayName(f.path)).join(", ");
    const title = this.t(v.direction === "send" ? "tools.toCustomer" : "tools.fromCustomer", {
      what: v.purpose === "clipboard" ? this.t("tools.tool.clipboard") : names,
    });
    const li = h(
      "li",
      { class: `transfer ${v.direction}` },
      h("span", { class: "transfer-title" }, title),
      h("progress", { max: "1", value: "0", "aria-label": this.t("tools.progress", { name: names }) }),
      h("span", { class: "transfer-state" }),
      h("div", { class: "transfer-extra" }),
    );
    return li;
  }

  private updateRow(li: HTMLLIElement, v: TransferView): void {
    const progress = li.querySelector("progress")!;
    progress.max = Math.max(1, v.total);
    progress.value = v.bytes;
    const pct = v.total > 0 ? Math.floor((v.bytes / v.total) * 100) : v.state === "done" ? 100 : 0;
    const state = this.t(`tools.state.${v.state}` as StringKey, { reason: v.reason ?? "", pct });
    setText(li.querySelector(".transfer-state")!, state);
    li.dataset.state = v.state;
    const extra = li.querySelector<HTMLElement>(".transfer-extra")!;
    if (extra.dataset.for === v.state) return;
    extra.dataset.for = v.state;
    if (v.direction === "receive" && v.state === "offered") extra.replaceChildren(this.offerForm(v));
    else if (v.direction === "receive" && v.state === "done")
      extra.replaceChildren(
        ...[...v.blobs].map(([index, blob]) => {
          const name = safeName(v.files[index]!.path.at(-1) ?? "file");
          const url = URL.createObjectURL(blob);
          this.urls.push(url);
          return h("a", { href: url, download: name, class: "download" }, this.t("tools.download", { name }));
        }),
      );
    else if (v.state === "flowing" || v.state === "waiting" || v.state === "interrupted")
      extra.replaceChildren(
        h("button", { type: "button", onclick: () => this.transfers.cancel(v.id) }, this.t("tools.cancel")),
      );
    else extra.replaceChildren();
  }

  /** The customer offers files: the agent ticks what to take before any byte flows. */
  private offerForm(v: TransferView): HTMLElement {
    const boxes = v.files.map((f, i) => {
      const box = h("input", { type: "checkbox", checked: true, value: String(i) });
      return h("label", { class: "offered-file" }, box, ` ${displayName(f.path)} (${formatBytes(f.size)})`);
    });
    return h(
      "form",
      {
        class: "offer",
        onsubmit: (e: Event) => {
          e.preventDefault();
          const ticked = boxes
            .map((l, i) => (l.querySelector("input")!.checked ? i : -1))
            .filter((i) => i >= 0);
          void this.transfers.accept(v.id, ticked);
        },
      },
      h("p", {}, this.t("tools.offered", { by: v.by, count: v.files.length })),
      ...boxes,
      h("button", { type: "submit" }, this.t("tools.accept")),
      h(
        "button",
        { type: "button", onclick: () => void this.transfers.decline(v.id) },
        this.t("tools.decline"),
      ),
    );
  }

  // ——— diagnostics (R-T3) ———

  async requestDiagnostics(): Promise<void> {
    try {
      const d = await this.link.request({ type: "diag.request" });
      this.askedDiagnostics.add(d.diagnosticsId as number);
      this.diagView.replaceChildren();
      this.setDiag("waiting");
    } catch (e) {
      this.say(this.diagStatus, this.explain(e, "diagnostics"), "error");
      setAttr(this.diagStatus, "data-state", "failed");
    }
  }

  private setDiag(state: DiagState, reason = ""): void {
    this.say(
      this.diagStatus,
      this.t(`tools.diag.${state}` as StringKey, { reason }),
      state === "received" ? "ok" : state === "failed" ? "error" : state === "waiting" ? "info" : "warn",
    );
    setAttr(this.diagStatus, "data-state", state);
  }

  private diagnosticsTransfer(v: TransferView): void {
    if (
      v.direction !== "receive" ||
      v.diagnosticsId === undefined ||
      !this.askedDiagnostics.has(v.diagnosticsId)
    )
      return;
    if (v.state === "offered") void this.transfers.accept(v.id, [0]);
    else if (v.state === "done") {
      const blob = v.blobs.get(0);
      if (!blob) return this.setDiag("failed", this.t("tools.mismatch"));
      void blob.text().then((text) => {
        try {
          this.showDiagnostics(JSON.parse(text) as Record<string, unknown>);
          this.setDiag("received");
        } catch (e) {
          this.setDiag("failed", (e as Error).message);
        }
      });
    } else if (v.state === "mismatch" || v.state === "cancelled" || v.state === "failed")
      this.setDiag("failed", v.reason ?? this.t("tools.mismatch"));
  }

  /** The report as collapsible sections: a summary open, the long lists (processes, packages) folded. */
  private showDiagnostics(report: Record<string, unknown>): void {
    const sections = Object.entries(report).map(([key, value]) => {
      const label = this.sectionLabel(key);
      const count = Array.isArray(value) ? ` (${value.length})` : "";
      const open = !Array.isArray(value) || value.length <= 10;
      return h(
        "details",
        { class: `diag-section diag-${key}`, open },
        h("summary", {}, label + count),
        renderValue(value),
      );
    });
    this.diagView.replaceChildren(
      h(
        "details",
        { open: true, class: "diag-report" },
        h("summary", {}, this.t("tools.diag.title")),
        ...sections,
      ),
    );
  }

  private sectionLabel(key: string): string {
    const k = `tools.diag.section.${key}`;
    return isStringKey(k) ? this.t(k) : key;
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1_048_576) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1_073_741_824) return `${(n / 1_048_576).toFixed(1)} MiB`;
  return `${(n / 1_073_741_824).toFixed(2)} GiB`;
}

function cell(key: string, v: unknown): string {
  if (typeof v === "number" && /bytes$/i.test(key)) return formatBytes(v);
  if (Array.isArray(v))
    return v.map((x) => (typeof x === "object" && x ? Object.values(x).join(" ") : String(x))).join(", ");
  if (typeof v === "object" && v !== null) return JSON.stringify(v);
  return String(v ?? "");
}

/** Arrays of objects as tables, objects as term lists, the rest as text: readable whatever the report holds. */
function renderValue(value: unknown): HTMLElement {
  if (Array.isArray(value)) {
    const rows = value.filter((x): x is Record<string, unknown> => typeof x === "object" && x !== null);
    if (rows.length === 0) return h("p", {}, value.map(String).join(", ") || "—");
    const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    return h(
      "table",
      { class: "diag-table" },
      h("thead", {}, h("tr", {}, ...columns.map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, ...rows.map((r) => h("tr", {}, ...columns.map((c) => h("td", {}, cell(c, r[c])))))),
    );
  }
  if (typeof value === "object" && value !== null)
    return h(
      "dl",
      { class: "diag-dl" },
      ...Object.entries(value).flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, cell(k, v))]),
    );
  return h("p", {}, String(value));
}
