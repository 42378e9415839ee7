// The customer page (browser): the portal's form, the waiting state, then the chat with the agent (R-P1, R-A8, R-S1–S3, R-L6),
// and the agent's own screen when they show it (R-S8).
import { AgentScreen, type AgentScreenText } from "./agentScreen.client.ts";

type Lang = "en" | "fr";
interface PortalInfo {
  id: string;
  name: string;
  type: "smartButton" | "smartBox" | "smartMatch" | "smartCode";
  mode: string;
  language: Lang;
}
// biome-ignore lint/suspicious/noExplicitAny: server messages are decoded by their `type`
type Msg = any;

const strings = {
  en: {
    name: "Your name",
    question: "Your question",
    agent: "Choose an agent",
    noAgent: "No agent is available right now. Please try again later.",
    code: "Code given by your agent",
    submit: "Ask for help",
    connecting: "Connecting…",
    waiting: "Your request has been sent. An agent will answer shortly — please keep this page open.",
    inQueue: "You are in the queue. The next available agent will take your request.",
    position: "Requests ahead of yours or with you in line: ",
    offered: "Your request is being offered to an agent…",
    answered: "An agent has accepted your request. Connecting you…",
    queuedForAgent:
      "Your agent is finishing with the previous customer. Please wait: your session starts as soon as they are free.",
    expired: "Nobody could answer your request in time. Please try again.",
    abandoned: "Your request was withdrawn.",
    joined: "You are now connected with",
    hostTitle: "To let your agent see your screen",
    hostText: "When your agent asks, start the Tandem host on this computer with:",
    participants: "In this chat:",
    send: "Send",
    message: "Message",
    save: "Save the conversation",
    leave: "Leave",
    left: "You left the session. You can close this page.",
    ended: "The session has ended. Thank you.",
    urlPushed: "Your agent opened a page for you:",
    transfer: "You are being transferred to another agent. Stay connected.",
    diagnostics:
      "Your agent asks for diagnostic information about this computer. The Tandem host collects it only with your consent.",
    withdraw: "Cancel my request",
    you: "You",
    error: "Something went wrong: ",
    shutdown: "The service is restarting. Please reload this page in a moment.",
    busy: "Our support team is very busy right now. Please try again in a moment.",
    reconnecting: "The connection was lost. Reconnecting…",
  },
  fr: {
    name: "Votre nom",
    question: "Votre question",
    agent: "Choisissez un conseiller",
    noAgent: "Aucun conseiller n'est disponible pour le moment. Veuillez réessayer plus tard.",
    code: "Code donné par votre conseiller",
    submit: "Demander de l'aide",
    connecting: "Connexion…",
    waiting: "Votre demande a été envoyée. Un conseiller va vous répondre — gardez cette page ouverte.",
    inQueue: "Vous êtes dans la file d'attente. Le prochain conseiller disponible prendra votre demande.",
    position: "Demandes en file avec la vôtre : ",
    offered: "Votre demande est proposée à un conseiller…",
    answered: "Un conseiller a accepté votre demande. Connexion en cours…",
    queuedForAgent:
      "Votre conseiller termine avec le client précédent. Veuillez patienter : votre session commence dès qu'il est libre.",
    expired: "Personne n'a pu répondre à temps. Veuillez réessayer.",
    abandoned: "Votre demande a été retirée.",
    joined: "Vous êtes en relation avec",
    hostTitle: "Pour que votre conseiller voie votre écran",
    hostText: "Lorsque votre conseiller le demande, lancez l'hôte Tandem sur cet ordinateur avec :",
    participants: "Dans cette conversation :",
    send: "Envoyer",
    message: "Message",
    save: "Enregistrer la conversation",
    leave: "Quitter",
    left: "Vous avez quitté la session. Vous pouvez fermer cette page.",
    ended: "La session est terminée. Merci.",
    urlPushed: "Votre conseiller a ouvert une page pour vous :",
    transfer: "Vous êtes transféré vers un autre conseiller. Restez connecté.",
    diagnostics:
      "Votre conseiller demande des informations de diagnostic sur cet ordinateur. L'hôte Tandem ne les collecte qu'avec votre accord.",
    withdraw: "Annuler ma demande",
    you: "Vous",
    error: "Une erreur s'est produite : ",
    shutdown: "Le service redémarre. Rechargez cette page dans un instant.",
    busy: "Notre équipe d'assistance est très sollicitée en ce moment. Veuillez réessayer dans un instant.",
    reconnecting: "La connexion a été perdue. Reconnexion…",
  },
} as const;

/** The agent's own screen on this page (R-S8). */
const screenStrings: Record<Lang, AgentScreenText> = {
  en: {
    title: "Your agent's screen",
    viewOnly: "Your agent is showing you their screen. You can point and draw on it.",
    control: "Your agent is showing you their screen and lets you use their mouse and keyboard.",
    paused: "Your agent's screen is paused.",
    stopped: "Your agent's screen is no longer shown. Only your agent can show it again.",
    mouse: "Mouse",
    pen: "Pen",
    highlighter: "Highlighter",
    arrow: "Arrow",
    laser: "Laser pointer",
    clear: "Clear drawings",
    fit: "Fit",
    actual: "Actual size",
    fullScreen: "Full screen",
    pause: "Pause",
    stop: "Stop",
  },
  fr: {
    title: "L'écran de votre conseiller",
    viewOnly: "Votre conseiller vous montre son écran. Vous pouvez pointer et dessiner dessus.",
    control: "Votre conseiller vous montre son écran et vous laisse utiliser sa souris et son clavier.",
    paused: "L'écran de votre conseiller est en pause.",
    stopped:
      "L'écran de votre conseiller n'est plus affiché. Seul votre conseiller peut le montrer à nouveau.",
    mouse: "Souris",
    pen: "Stylo",
    highlighter: "Surligneur",
    arrow: "Flèche",
    laser: "Pointeur laser",
    clear: "Effacer les dessins",
    fit: "Ajuster",
    actual: "Taille réelle",
    fullScreen: "Plein écran",
    pause: "Pause",
    stop: "Arrêter",
  },
};

const app = document.getElementById("app")!;
const portal = JSON.parse(app.dataset.portal!) as PortalInfo;
const params = new URLSearchParams(location.search);
const lang: Lang = (params.get("lang") ?? portal.language) === "fr" ? "fr" : "en";
const t = strings[lang];
/** The request's customer token, kept for a reload or a reconnect while the request or session is open. */
const tokenKey = `tandem:${portal.id}`;
document.documentElement.lang = lang;

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

const status = el("p", { id: "status", role: "status" });
const transcript: string[] = [];
let socket: WebSocket | null = null;
let sessionId: string | null = null;
let requestId: string | null = null;
let nextRef = 1;
let agentScreen: AgentScreen | null = null;

function stamp(at = Date.now()): string {
  return new Date(at).toLocaleTimeString(lang);
}

function connect(onOpen: () => void): void {
  const ws = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws`);
  socket = ws;
  let welcomed = false;
  ws.onclose = () => {
    if (socket !== ws) return;
    socket = null;
    // A request or session still open (its token kept): come back to it, as a reload would, within the server's
    // grace for a customer without a socket.
    if (sessionStorage.getItem(tokenKey)) return reconnectSoon();
    // A server at capacity refuses the upgrade (HTTP 503), which a page only sees as a socket that closed before its
    // welcome: say so, and leave the form as it was to send again (R-D2).
    if (!welcomed) showBusy();
  };
  ws.onopen = () => {
    const token = sessionStorage.getItem(tokenKey);
    ws.send(
      JSON.stringify({
        type: "hello",
        protocol: 1,
        role: token ? "customer" : "anonymous",
        ...(token ? { customerToken: token } : {}),
      }),
    );
  };
  ws.onmessage = (ev) => {
    const m: Msg = JSON.parse(String(ev.data));
    if (m.type === "welcome") {
      welcomed = true;
      reconnectDelayMs = RECONNECT_FIRST_MS;
      return m.role === "customer" ? resumed(m) : onOpen();
    }
    onMessage(m);
  };
}

const RECONNECT_FIRST_MS = 1_000;
const RECONNECT_MAX_MS = 15_000;
let reconnectDelayMs = RECONNECT_FIRST_MS;

function reconnectSoon(): void {
  if (!status.isConnected) app.append(status);
  status.textContent = t.reconnecting;
  status.dataset.state = "reconnecting";
  setTimeout(() => connect(() => showForm()), reconnectDelayMs);
  reconnectDelayMs = Math.min(RECONNECT_MAX_MS, reconnectDelayMs * 2);
}

function resumed(m: Msg): void {
  requestId = m.requestId;
  if (m.sessionId) showChat();
  else showWaiting();
}

function sendMsg(m: Record<string, unknown>): void {
  socket?.send(JSON.stringify({ ...m, ref: String(nextRef++) }));
}

// ——— the form ———

async function showForm(): Promise<void> {
  const form = el("form", { id: "request" });
  form.append(
    el(
      "label",
      {},
      t.name,
      el("input", { name: "name", required: "", maxlength: "80", autocomplete: "name" }),
    ),
  );
  if (portal.type === "smartBox") {
    form.append(
      el("label", {}, t.question, el("textarea", { name: "question", required: "", maxlength: "2000" })),
    );
  }
  if (portal.type === "smartMatch") {
    const info = await (await fetch(`/api/portals/${encodeURIComponent(portal.id)}`)).json();
    if (info.agents.length === 0) {
      app.append(el("p", { id: "no-agent" }, t.noAgent));
      return;
    }
    const select = el("select", { name: "agent", required: "" });
    for (const a of info.agents) select.append(el("option", { value: a.id }, a.name));
    form.append(el("label", {}, t.agent, select));
  }
  if (portal.type === "smartCode") {
    // The quick URL …/h/<portal>?Question=DR<code> fills the code in (R-P6).
    const q = params.get("Question") ?? "";
    const code = /^DR/i.test(q) ? q.slice(2) : "";
    form.append(
      el(
        "label",
        {},
        t.code,
        el("input", { name: "code", required: "", maxlength: "64", value: code, autocomplete: "off" }),
      ),
    );
  }
  form.append(el("button", { type: "submit" }, t.submit));
  form.onsubmit = (ev) => {
    ev.preventDefault();
    const data = new FormData(form);
    status.textContent = t.connecting;
    delete status.dataset.state;
    connect(() => {
      sendMsg({
        type: "customer.post",
        portalId: portal.id,
        name: String(data.get("name")),
        language: lang,
        ...(data.get("question") ? { question: String(data.get("question")) } : {}),
        ...(data.get("agent") ? { matchAgentId: String(data.get("agent")) } : {}),
        ...(data.get("code") ? { code: String(data.get("code")) } : {}),
        os: navigator.platform,
      });
    });
  };
  app.append(form, status);
}

function showBusy(): void {
  if (!status.isConnected) app.append(status);
  status.textContent = t.busy;
  status.dataset.state = "busy";
}

// ——— waiting and chat ———

function showWaiting(): void {
  document.getElementById("request")?.remove();
  app.append(status);
  status.textContent = t.waiting;
  delete status.dataset.state;
  if (document.getElementById("withdraw")) return;
  const withdraw = el("button", { id: "withdraw" }, t.withdraw);
  withdraw.onclick = () => requestId && sendMsg({ type: "customer.abandon", requestId });
  app.append(withdraw);
}

const log = el("ol", { id: "chat", "aria-live": "polite" });
const people = el("p", { id: "participants" });

function addLine(author: string, text: string, kind = "chat", url?: string, at?: number): void {
  const li = el("li", { class: kind });
  li.append(el("time", {}, stamp(at)), " ");
  if (author) li.append(el("b", {}, `${author}: `));
  if (url) li.append(el("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, url));
  else li.append(text);
  log.append(li);
  transcript.push(`[${stamp(at)}] ${author ? `${author}: ` : ""}${url ?? text}`);
}

function showChat(): void {
  if (document.getElementById("chat")) return;
  document.getElementById("request")?.remove();
  document.getElementById("withdraw")?.remove();
  const input = el("input", {
    id: "message",
    "aria-label": t.message,
    maxlength: "4000",
    autocomplete: "off",
  });
  const form = el("form", { id: "send" }, input, el("button", { type: "submit" }, t.send));
  form.onsubmit = (ev) => {
    ev.preventDefault();
    if (!input.value.trim() || !sessionId) return;
    sendMsg({ type: "chat.send", sessionId, text: input.value });
    input.value = "";
  };
  const save = el("button", { id: "save" }, t.save);
  save.onclick = () => {
    const blob = new Blob([`${transcript.join("\n")}\n`], { type: "text/plain" });
    const a = el("a", { href: URL.createObjectURL(blob), download: `tandem-${sessionId ?? "chat"}.txt` });
    a.click();
  };
  const leave = el("button", { id: "leave" }, t.leave);
  leave.onclick = () => {
    if (sessionId) sendMsg({ type: "customer.leave", sessionId });
    agentScreen?.close();
    sessionStorage.removeItem(tokenKey);
    status.textContent = t.left;
    form.remove();
  };
  app.append(people, log, form, el("p", {}, save, " ", leave));
}

function onMessage(m: Msg): void {
  switch (m.type) {
    case "request.accepted":
      requestId = m.requestId;
      sessionStorage.setItem(tokenKey, m.customerToken);
      return showWaiting();
    case "request.status": {
      const text = t[m.state as keyof typeof t] ?? m.state;
      status.textContent = m.state === "inQueue" && m.position ? `${text} ${t.position}${m.position}` : text;
      status.dataset.state = m.state;
      if (m.state === "expired" || m.state === "abandoned") sessionStorage.removeItem(tokenKey);
      return;
    }
    case "session.joined": {
      sessionId = m.sessionId;
      showChat();
      status.textContent = `${t.joined} ${m.agentName}.`;
      status.dataset.state = "joined";
      if (!document.getElementById("host")) {
        app.append(
          el(
            "aside",
            { id: "host" },
            el("h2", {}, t.hostTitle),
            el("p", {}, t.hostText),
            el("pre", {}, m.host.command),
          ),
        );
      }
      if (!agentScreen) {
        agentScreen = new AgentScreen(m.sessionId, m.host.sessionKey, screenStrings[lang]);
        // Above the host command: when it is shown, it is what the customer is looking at.
        app.insertBefore(agentScreen.element, document.getElementById("host"));
        agentScreen.open();
      }
      return;
    }
    case "participants":
      people.textContent = `${t.participants} ${m.names.join(", ")}`;
      return;
    case "chat.line":
      if (m.line.kind === "transfer") return addLine("", t.transfer, "system");
      return addLine(m.line.author === "customer" ? t.you : m.line.author, m.line.text, m.line.kind);
    case "transcript":
      // The whole conversation so far (on joining, and again after a reconnect): it replaces what is shown.
      log.replaceChildren();
      transcript.length = 0;
      for (const l of m.lines)
        addLine(
          l.author === "customer" ? t.you : l.author,
          l.text,
          l.kind,
          l.kind === "url" ? l.text : undefined,
          l.at,
        );
      return;
    case "url.pushed":
      addLine("", t.urlPushed, "url", m.url);
      // R-S3: the pushed URL opens in a new window on the customer's machine.
      window.open(m.url, "_blank", "noopener");
      return;
    case "diagnostics.requested":
      return addLine("", t.diagnostics, "system");
    case "session.ended":
      status.textContent = t.ended;
      status.dataset.state = "ended";
      sessionStorage.removeItem(tokenKey);
      document.getElementById("send")?.remove();
      agentScreen?.close();
      return;
    case "server.shutdown":
      status.textContent = t.shutdown;
      return;
    case "error":
      if (m.reason === "NotAuthenticated") {
        // The saved request is gone (served, expired, or the server restarted). After a chat: it has ended. Before:
        // start afresh.
        sessionStorage.removeItem(tokenKey);
        socket = null;
        document.getElementById("withdraw")?.remove();
        if (!document.getElementById("chat")) return void showForm();
        status.textContent = t.ended;
        status.dataset.state = "ended";
        document.getElementById("send")?.remove();
        agentScreen?.close();
        return;
      }
      if (m.reason === "Overloaded" && !requestId) {
        // Admission shed the post; the server closes this socket (1013). The form stays, filled in, to send again.
        socket?.close();
        socket = null;
        showBusy();
        return;
      }
      status.textContent = t.error + m.message;
      status.dataset.state = "error";
      if (!requestId) {
        socket?.close();
        socket = null;
      }
      return;
  }
}

if (sessionStorage.getItem(tokenKey)) connect(() => showForm());
else void showForm();
