// The console's entry point in the browser: sign-in screens, then the console; the session token lives in
// sessionStorage so a reload keeps the agent signed in (the server still checks it at `hello`).
import { ConsoleApp } from "./app.ts";
import type { Lang } from "./i18n.ts";
import { loginScreen, type SignedIn } from "./views/login.ts";
import { screenWindow, screenWindowTarget } from "./views/screenWindow.ts";

const storageKey = "tandem.console";
const root = document.getElementById("app") ?? document.body;
let app: ConsoleApp | null = null;

function preferredLang(): Lang {
  const saved = localStorage.getItem("tandem.lang");
  if (saved === "en" || saved === "fr") return saved;
  return navigator.language.toLowerCase().startsWith("fr") ? "fr" : "en";
}

function signedOut(notice = ""): void {
  app = null;
  sessionStorage.removeItem(storageKey);
  loginScreen(root, preferredLang(), signedIn, notice);
}

function signedIn(s: SignedIn): void {
  localStorage.setItem("tandem.lang", s.lang);
  sessionStorage.setItem(storageKey, JSON.stringify(s));
  app?.stop();
  app = new ConsoleApp(root, s, signedOut);
  void app.start();
  (window as unknown as { tandemConsole: ConsoleApp }).tandemConsole = app;
}

const saved = sessionStorage.getItem(storageKey);
const screenOnly = screenWindowTarget(location.hash);
if (screenOnly && saved) {
  // A session's screen in a window of its own (R-V3), opened by the signed-in console.
  void screenWindow(root, JSON.parse(saved) as SignedIn, screenOnly.sessionId, screenOnly.customer);
} else if (saved) signedIn(JSON.parse(saved) as SignedIn);
else signedOut();
