// The console's dialogs: log-out confirmation (R-A5), close / close all (R-S4), transfer (R-S6), invite (R-S7),
// SmartCodes (R-P6) and preferences. Each is a native <dialog>: modal, Esc to cancel, labelled fields.
import { field, h, modal, uid } from "../dom.ts";
import type { Translate } from "../i18n.ts";
import type { Preferences } from "../preferences.ts";
import type { Directory, Target } from "../transport.ts";

const buttons = (t: Translate, dialog: () => HTMLDialogElement, submit: string, cancel?: string) =>
  h(
    "div",
    { class: "buttons" },
    h("button", { type: "submit", class: "primary" }, submit),
    h("button", { type: "button", onclick: () => dialog().close() }, cancel ?? t("common.cancel")),
  );

/** A form whose submit runs `done`; a false / thrown result keeps the dialog open with the message shown. */
function formDialog(
  t: Translate,
  title: string,
  fields: HTMLElement[],
  submitLabel: string,
  done: () => Promise<string | null> | string | null,
  cancelLabel?: string,
): HTMLDialogElement {
  let dialog!: HTMLDialogElement;
  const error = h("p", { class: "error", role: "alert" });
  const form = h(
    "form",
    {
      method: "dialog",
      onsubmit: async (e: Event) => {
        e.preventDefault();
        error.textContent = "";
        const problem = await done();
        if (problem) error.textContent = problem;
        else dialog.close();
      },
    },
    ...fields,
    error,
    buttons(t, () => dialog, submitLabel, cancelLabel),
  );
  dialog = modal(title, [form], uid("dlg"));
  return dialog;
}

/** A yes/no question; `onYes` may return a problem to show instead of closing. */
export function confirmDialog(
  t: Translate,
  title: string,
  text: string,
  yesLabel: string,
  onYes: () => Promise<string | null> | string | null,
  noLabel?: string,
): HTMLDialogElement {
  return formDialog(t, title, [h("p", {}, text)], yesLabel, onYes, noLabel);
}

export function confirmLogout(t: Translate, onYes: () => void): void {
  formDialog(t, t("logout.button"), [h("p", {}, t("logout.confirm"))], t("logout.yes"), () => {
    onYes();
    return null;
  });
}

/** R-S4: resolution Resolved / Not resolved / Unknown and, where configured, the extra field. */
export function closeDialog(
  t: Translate,
  all: boolean,
  extraField: string | null,
  onClose: (resolution: string, extra?: string) => Promise<string | null>,
): void {
  const name = uid("res");
  const radios = (["resolved", "notResolved", "unknown"] as const).map((r, i) => {
    const input = h("input", { type: "radio", name, value: r, checked: i === 0, id: uid("r") });
    return h("div", { class: "check" }, input, h("label", { for: input.id }, t(`resolution.${r}`)));
  });
  const extra = extraField ? h("input", { type: "text", "aria-required": "true", maxlength: "200" }) : null;
  const fields = [
    h("fieldset", {}, h("legend", {}, t("close.resolution")), ...radios),
    extra ? field(t("close.extra", { field: extraField! }), extra) : null,
  ].filter(Boolean) as HTMLElement[];
  formDialog(t, t(all ? "close.allTitle" : "close.title"), fields, t("close.submit"), () => {
    const chosen = radios.map((r) => r.querySelector("input")!).find((i) => i.checked)!.value;
    if (extra && !extra.value.trim()) return t("close.extraRequired", { field: extraField! });
    return onClose(chosen, extra?.value.trim() || undefined);
  });
}

/** A picker of agents and portals: search by name, a portal tree with its agents, and "broadcast to portal". */
function targetPicker(t: Translate, directory: Directory, selfId: string, allowPortal: boolean) {
  const name = uid("target");
  let chosen: Target | null = null;
  const radio = (target: Target, label: string, extra = "") => {
    const input = h("input", {
      type: "radio",
      name,
      id: uid("t"),
      onchange: () => {
        chosen = target;
      },
    });
    return h(
      "div",
      { class: "check target", "data-search": label.toLowerCase() },
      input,
      h("label", { for: input.id }, label, extra ? h("small", {}, ` ${extra}`) : null),
    );
  };
  const agentName = (id: string) => directory.agents.find((a) => a.id === id)?.name ?? id;
  const status = (id: string) => {
    const a = directory.agents.find((x) => x.id === id);
    return a?.available === undefined ? "" : a.available ? t("directory.available") : t("directory.away");
  };
  const agents = directory.agents.filter((a) => a.id !== selfId);
  const results = h("div", { class: "results", role: "group", "aria-label": t("invite.matches") });
  const search = h("input", { type: "search", autocomplete: "off" });
  const draw = () => {
    const q = search.value.trim().toLowerCase();
    const matches = agents.filter(
      (a) => !q || a.name.toLowerCase().includes(q) || a.id.toLowerCase().includes(q),
    );
    results.replaceChildren(
      ...(matches.length
        ? matches.map((a) => radio({ agentId: a.id }, a.name, status(a.id)))
        : [h("p", {}, t("directory.none"))]),
    );
  };
  search.addEventListener("input", draw);
  draw();
  const tree = h(
    "div",
    { class: "tree", role: "group", "aria-label": t("invite.tree") },
    ...directory.portals.map((p) =>
      h(
        "details",
        {},
        h("summary", {}, p.name),
        allowPortal ? radio({ portalId: p.id }, t("invite.broadcast", { portal: p.name })) : null,
        ...p.members.filter((m) => m !== selfId).map((m) => radio({ agentId: m }, agentName(m), status(m))),
      ),
    ),
  );
  const el = h(
    "fieldset",
    { class: "picker" },
    h("legend", {}, t("invite.target")),
    field(t("invite.search"), search),
    results,
    h("p", { class: "tree-title" }, t("invite.tree")),
    tree,
  );
  return { el, chosen: () => chosen };
}

/** R-S6: to one agent or to a whole portal; the comments start with the customer's question. */
export function transferDialog(
  t: Translate,
  directory: Directory,
  selfId: string,
  question: string,
  onTransfer: (to: Target, comments: string) => Promise<string | null>,
): void {
  const picker = targetPicker(t, directory, selfId, true);
  const comments = h("textarea", { rows: "3", maxlength: "2000" });
  comments.value = question;
  formDialog(
    t,
    t("transfer.title"),
    [picker.el, field(t("transfer.comments"), comments)],
    t("transfer.submit"),
    () => {
      const to = picker.chosen();
      if (!to) return t("invite.pick");
      return onTransfer(to, comments.value);
    },
  );
}

/** R-S7: search, portal tree or broadcast; hidden or visible; comments prefilled with the question. */
export function inviteDialog(
  t: Translate,
  directory: Directory,
  selfId: string,
  question: string,
  onInvite: (to: Target, hidden: boolean, comments: string) => Promise<string | null>,
): void {
  const picker = targetPicker(t, directory, selfId, true);
  const vis = uid("vis");
  const hidden = h("input", { type: "radio", name: vis, value: "hidden", id: uid("v"), checked: true });
  const visible = h("input", { type: "radio", name: vis, value: "visible", id: uid("v") });
  const comments = h("textarea", { rows: "3", maxlength: "2000" });
  comments.value = question;
  formDialog(
    t,
    t("invite.title"),
    [
      picker.el,
      h(
        "fieldset",
        {},
        h("legend", {}, t("invite.visibility")),
        h("div", { class: "check" }, hidden, h("label", { for: hidden.id }, t("invite.hidden"))),
        h("div", { class: "check" }, visible, h("label", { for: visible.id }, t("invite.visible"))),
      ),
      field(t("invite.comments"), comments),
    ],
    t("invite.submit"),
    () => {
      const to = picker.chosen();
      if (!to) return t("invite.pick");
      return onInvite(to, hidden.checked, comments.value);
    },
  );
}

/** R-P6: pick a portal and a numeric or named code; the created code shows with its quick URL to copy. */
export function smartCodeDialog(
  t: Translate,
  portals: { id: string; name: string }[],
  onCreate: (
    portalId: string,
    name?: string,
  ) => Promise<{ error: string } | { display: string; quickUrl: string }>,
  onCopy: (url: string) => void,
): void {
  const portal = h("select", { required: true }, ...portals.map((p) => h("option", { value: p.id }, p.name)));
  const kind = uid("kind");
  const numeric = h("input", { type: "radio", name: kind, id: uid("k"), checked: true });
  const named = h("input", { type: "radio", name: kind, id: uid("k") });
  const name = h("input", { type: "text", maxlength: "40" });
  const result = h("div", { class: "code-result", role: "status" });
  let dialog!: HTMLDialogElement;
  const error = h("p", { class: "error", role: "alert" });
  const form = h(
    "form",
    {
      onsubmit: async (e: Event) => {
        e.preventDefault();
        error.textContent = "";
        const r = await onCreate(portal.value, named.checked ? name.value.trim() || undefined : undefined);
        if ("error" in r) {
          error.textContent = r.error;
          return;
        }
        const url = h("input", {
          type: "text",
          readonly: true,
          value: r.quickUrl,
          "aria-label": t("code.url"),
        });
        result.replaceChildren(
          h("p", { class: "created-code" }, h("strong", {}, r.display)),
          url,
          h("button", { type: "button", onclick: () => onCopy(r.quickUrl) }, t("code.copy")),
        );
      },
    },
    field(t("code.portal"), portal),
    h(
      "fieldset",
      {},
      h("legend", {}, t("code.kind")),
      h("div", { class: "check" }, numeric, h("label", { for: numeric.id }, t("code.numeric"))),
      h("div", { class: "check" }, named, h("label", { for: named.id }, t("code.named"))),
      field(t("code.name"), name),
    ),
    error,
    result,
    h(
      "div",
      { class: "buttons" },
      h("button", { type: "submit", class: "primary" }, t("code.create")),
      h("button", { type: "button", onclick: () => dialog.close() }, t("common.close")),
    ),
  );
  name.addEventListener("input", () => {
    if (name.value) named.checked = true;
  });
  dialog = modal(t("code.title"), [form], uid("dlg"));
}

export function preferencesDialog(t: Translate, prefs: Preferences, onSave: (p: Preferences) => void): void {
  const num = (v: number, min: number) => h("input", { type: "number", min: String(min), value: String(v) });
  const box = (v: boolean) => h("input", { type: "checkbox", checked: v });
  const alertSeconds = num(prefs.alertDisplaySeconds, 5);
  const notifications = box(prefs.notifications);
  const idle = box(prefs.remindWhen.idle);
  const inSession = box(prefs.remindWhen.inSession);
  const atMax = box(prefs.remindWhen.atMaximum);
  const attention = num(prefs.attentionSeconds, 1);
  const warning = num(prefs.warningSeconds, 1);
  const enterSends = box(prefs.enterSends);
  const timestamps = box(prefs.timestamps);
  const after = box(prefs.unavailableAfterSession);
  const remind = num(prefs.unavailableReminderSeconds, 0);
  const greyOut = box(prefs.greyOutUnfocused);
  const monitorNotice = box(prefs.multiMonitorNotice);
  const colours = h(
    "select",
    {},
    h("option", { value: "true", selected: prefs.hostColours !== "256" }, t("prefs.coloursTrue")),
    h("option", { value: "256", selected: prefs.hostColours === "256" }, t("prefs.colours256")),
  );
  const hotkeys = box(prefs.hotkeys);
  const systemKeys = box(prefs.forwardSystemKeys);
  const opensIn = h(
    "select",
    {},
    h("option", { value: "tab", selected: prefs.screenOpensIn !== "window" }, t("prefs.opensInTab")),
    h("option", { value: "window", selected: prefs.screenOpensIn === "window" }, t("prefs.opensInWindow")),
  );
  const check = (label: string, input: HTMLInputElement) => {
    input.id = uid("p");
    return h("div", { class: "check" }, input, h("label", { for: input.id }, label));
  };
  formDialog(
    t,
    t("prefs.title"),
    [
      h(
        "fieldset",
        {},
        h("legend", {}, t("prefs.alerts")),
        field(t("prefs.alertSeconds"), alertSeconds),
        check(t("prefs.notifications"), notifications),
        check(t("prefs.remindIdle"), idle),
        check(t("prefs.remindInSession"), inSession),
        check(t("prefs.remindAtMax"), atMax),
      ),
      h(
        "fieldset",
        {},
        h("legend", {}, t("prefs.list")),
        field(t("prefs.attention"), attention),
        field(t("prefs.warning"), warning),
      ),
      h(
        "fieldset",
        {},
        h("legend", {}, t("prefs.chat")),
        check(t("prefs.enterSends"), enterSends),
        check(t("prefs.timestamps"), timestamps),
      ),
      h(
        "fieldset",
        {},
        h("legend", {}, t("prefs.availability")),
        check(t("prefs.unavailableAfter"), after),
        field(t("prefs.remindUnavailable"), remind),
      ),
      h(
        "fieldset",
        {},
        h("legend", {}, t("prefs.viewer")),
        check(t("prefs.greyOut"), greyOut),
        check(t("prefs.multiMonitorNotice"), monitorNotice),
        field(t("prefs.colours"), colours),
        check(t("prefs.hotkeys"), hotkeys),
        check(t("prefs.systemKeys"), systemKeys),
        field(t("prefs.opensIn"), opensIn),
      ),
    ],
    t("common.save"),
    () => {
      const n = (i: HTMLInputElement, d: number) => (Number.isFinite(i.valueAsNumber) ? i.valueAsNumber : d);
      const attentionS = n(attention, prefs.attentionSeconds);
      onSave({
        ...prefs,
        alertDisplaySeconds: Math.max(5, n(alertSeconds, prefs.alertDisplaySeconds)),
        notifications: notifications.checked,
        remindWhen: { idle: idle.checked, inSession: inSession.checked, atMaximum: atMax.checked },
        attentionSeconds: attentionS,
        warningSeconds: Math.max(attentionS, n(warning, prefs.warningSeconds)),
        enterSends: enterSends.checked,
        timestamps: timestamps.checked,
        unavailableAfterSession: after.checked,
        unavailableReminderSeconds: Math.max(0, n(remind, 0)),
        greyOutUnfocused: greyOut.checked,
        multiMonitorNotice: monitorNotice.checked,
        hostColours: colours.value === "256" ? "256" : "true",
        hotkeys: hotkeys.checked,
        forwardSystemKeys: systemKeys.checked,
        screenOpensIn: opensIn.value === "window" ? "window" : "tab",
      });
      if (
        notifications.checked &&
        typeof Notification !== "undefined" &&
        Notification.permission === "default"
      ) {
        void Notification.requestPermission();
      }
      return null;
    },
  );
}
