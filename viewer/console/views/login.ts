// The screens before sign-in (R-A1–A4): sign in with a language choice, change password, forgot password.
import { field, h } from "../dom.ts";
import { type Lang, type Translate, translator } from "../i18n.ts";
import { type Account, changePassword, forgotPassword, login } from "../transport.ts";

export interface SignedIn {
  token: string;
  account: Account;
  lang: Lang;
}

function screen(title: string, lang: Lang, ...children: HTMLElement[]): HTMLElement {
  return h("main", { class: "auth", lang }, h("h1", {}, title), ...children);
}

export function loginScreen(
  root: HTMLElement,
  lang: Lang,
  onSignedIn: (s: SignedIn) => void,
  notice = "",
): void {
  const t = translator(lang);
  document.documentElement.lang = lang;
  document.title = t("app.title");
  const email = h("input", { type: "email", name: "email", autocomplete: "username", required: true });
  const password = h("input", {
    type: "password",
    name: "password",
    autocomplete: "current-password",
    required: true,
  });
  const language = h(
    "select",
    {
      name: "language",
      onchange: () => {
        localStorage.setItem("tandem.lang", language.value);
        loginScreen(root, language.value as Lang, onSignedIn);
      },
    },
    h("option", { value: "en" }, "English"),
    h("option", { value: "fr" }, "Français"),
  );
  language.value = lang;
  const message = h("p", { class: "message", role: "alert" }, notice);
  const form = h(
    "form",
    {
      class: "login",
      onsubmit: async (e: Event) => {
        e.preventDefault();
        message.textContent = "";
        const r = await login(email.value.trim(), password.value);
        if (r.ok) {
          onSignedIn({ token: r.token, account: r.account, lang });
          return;
        }
        if (r.reason === "expired") {
          changeScreen(root, lang, onSignedIn, email.value.trim(), t("login.expired"));
          return;
        }
        message.textContent =
          r.reason === "failed"
            ? t("login.failed")
            : r.reason === "throttled"
              ? t("login.throttled")
              : t("common.error", { message: r.message ?? "" });
      },
    },
    field(t("login.email"), email),
    field(t("login.password"), password),
    field(t("login.language"), language),
    h("button", { type: "submit", class: "primary" }, t("login.submit")),
    message,
  );
  root.replaceChildren(
    screen(
      t("login.title"),
      lang,
      form,
      h(
        "p",
        { class: "links" },
        h(
          "button",
          { type: "button", class: "link", onclick: () => forgotScreen(root, lang, onSignedIn) },
          t("login.forgot"),
        ),
        " · ",
        h(
          "button",
          {
            type: "button",
            class: "link",
            onclick: () => changeScreen(root, lang, onSignedIn, email.value.trim()),
          },
          t("login.change"),
        ),
      ),
    ),
  );
  email.focus();
}

/** R-A2/R-A3: login ID, current, new, repeat; the server checks the policy and lists what is wrong. */
export function changeScreen(
  root: HTMLElement,
  lang: Lang,
  onSignedIn: (s: SignedIn) => void,
  emailValue = "",
  notice = "",
): void {
  const t = translator(lang);
  const email = h("input", { type: "email", required: true, autocomplete: "username", value: emailValue });
  const current = h("input", { type: "password", required: true, autocomplete: "current-password" });
  const next = h("input", {
    type: "password",
    required: true,
    autocomplete: "new-password",
    minlength: "8",
    maxlength: "32",
  });
  const repeat = h("input", { type: "password", required: true, autocomplete: "new-password" });
  const message = h("p", { class: "message", role: "alert" }, notice);
  const form = h(
    "form",
    {
      onsubmit: async (e: Event) => {
        e.preventDefault();
        if (next.value !== repeat.value) {
          message.textContent = t("password.mismatch");
          return;
        }
        const r = await changePassword({
          email: email.value.trim(),
          current: current.value,
          next: next.value,
          repeat: repeat.value,
        });
        if (r.ok) {
          loginScreen(root, lang, onSignedIn, t("password.changed"));
          return;
        }
        message.textContent = r.problems
          ? t("password.problems", { problems: r.problems.join("; ") })
          : r.reason === "invalid"
            ? t("login.failed")
            : r.reason === "throttled"
              ? t("login.throttled")
              : t("common.error", { message: r.reason });
      },
    },
    field(t("login.email"), email),
    field(t("password.current"), current),
    field(t("password.new"), next),
    field(t("password.repeat"), repeat),
    h("p", { class: "hint" }, t("password.policy")),
    h("button", { type: "submit", class: "primary" }, t("common.save")),
    message,
  );
  root.replaceChildren(
    screen(
      t("password.title"),
      lang,
      form,
      h(
        "p",
        {},
        h(
          "button",
          { type: "button", class: "link", onclick: () => loginScreen(root, lang, onSignedIn) },
          t("common.back"),
        ),
      ),
    ),
  );
  (emailValue ? current : email).focus();
}

/** R-A4: login ID twice; the server mails a one-time link if the address is known and validated. */
export function forgotScreen(root: HTMLElement, lang: Lang, onSignedIn: (s: SignedIn) => void): void {
  const t = translator(lang);
  const email = h("input", { type: "email", required: true });
  const repeat = h("input", { type: "email", required: true });
  const message = h("p", { class: "message", role: "status" });
  const form = h(
    "form",
    {
      onsubmit: async (e: Event) => {
        e.preventDefault();
        if (email.value.trim() !== repeat.value.trim()) {
          message.textContent = t("forgot.mismatch");
          return;
        }
        const r = await forgotPassword(email.value.trim(), repeat.value.trim());
        message.textContent = r.ok ? t("forgot.sent") : t("forgot.mismatch");
      },
    },
    field(t("forgot.email"), email),
    field(t("forgot.repeat"), repeat),
    h("button", { type: "submit", class: "primary" }, t("forgot.submit")),
    message,
  );
  root.replaceChildren(
    screen(
      t("forgot.title"),
      lang,
      form,
      h(
        "p",
        {},
        h(
          "button",
          { type: "button", class: "link", onclick: () => loginScreen(root, lang, onSignedIn) },
          t("common.back"),
        ),
      ),
    ),
  );
  email.focus();
}

// Translate is re-exported for screens that build their own strings.
export type { Translate };
