// @ts-check
// One support agent as a load client: logs in over HTTP, says hello, goes Available, answers alerts and Queue offers
// after a think time while below the maximum, chats in each session, closes it with a resolution after a hold time,
// creates SmartCodes for a Phone portal, and now and then goes Not available and back.
import { ageOf, between, hello, names, saidBy, stamp } from "./io.js";

/**
 * @typedef {object} AgentSpec
 * @property {string} email
 * @property {string} password
 * @property {number} maxSessions  The maximum the management center set (R-A7); the server's decides, this checks.
 * @property {[number, number]} thinkMs  Delay before answering an alert or offer.
 * @property {[number, number]} holdMs  How long a session lasts before the agent closes it.
 * @property {number} chatIntervalMs  Mean gap between the agent's lines in one session (jittered ±50 %).
 * @property {number} declineRate  Share of Queue offers declined (R-P5: the offer moves on).
 * @property {number} overAnswerRate  Share of alerts answered even at the maximum (R-A8: the request is Queued).
 * @property {number} awayEveryMs  Mean time between spells of Not available (0 = never).
 * @property {[number, number]} awayMs  How long a spell of Not available lasts.
 * @property {(code: string, portalId: string) => void} [onCode]  Called with each SmartCode created.
 */

/** @typedef {import("./io.js").Io} Io */

/**
 * @param {Io} io
 * @param {AgentSpec} spec
 */
export function createAgent(io, spec) {
  let agentId = "";
  let stopped = false;
  let available = false;
  /** Sessions this agent is in, per the events it received. */
  const sessions = new Set();
  /** Requests this agent decided to answer and has not heard back about. */
  const answering = new Set();
  /** Requests whose alert was withdrawn: an answer not sent yet is dropped. */
  const withdrawn = new Set();
  let refs = 0;
  /** @type {Map<string, string>} ref → what it was for */
  const pending = new Map();

  /** @param {Record<string, unknown>} msg @param {string} what */
  const command = (msg, what) => {
    const ref = `${what}:${++refs}`;
    pending.set(ref, what);
    io.send({ ...msg, ref });
    return ref;
  };

  /** An answer or decline refused because the request moved on meanwhile: a race, not a failure. @param {any} m */
  const lostRace = (m) =>
    ["alreadyAnswered", "notOffered", "notEligible", "unknownRequest"].includes(m.detail);

  const resolutions = /** @type {const} */ (["resolved", "resolved", "notResolved", "unknown"]);

  /** @param {string} sessionId */
  function chatLoop(sessionId) {
    io.after(spec.chatIntervalMs * (0.5 + io.random()), () => {
      if (stopped || !sessions.has(sessionId)) return;
      io.send({ type: "chat.send", sessionId, text: stamp(io, "a") });
      io.counter("chat_sent");
      chatLoop(sessionId);
    });
  }

  /** @param {string} sessionId */
  function closeLater(sessionId) {
    io.after(between(io, spec.holdMs), () => closeNow(sessionId));
  }

  /** @param {string} sessionId */
  function closeNow(sessionId) {
    if (stopped || !sessions.has(sessionId)) return;
    const resolution = resolutions[Math.floor(io.random() * resolutions.length)];
    command({ type: "session.close", sessionId, resolution }, "close");
  }

  /** @param {string} requestId @param {boolean} queue */
  function answerLater(requestId, queue) {
    answering.add(requestId);
    io.after(between(io, spec.thinkMs), () => {
      if (stopped || withdrawn.has(requestId)) {
        answering.delete(requestId);
        return;
      }
      if (queue && io.random() < spec.declineRate) {
        answering.delete(requestId);
        command({ type: "request.decline", requestId }, "decline");
        return;
      }
      const ref = command({ type: "request.answer", requestId }, "answer");
      pending.set(ref, `answer:${requestId}`);
    });
  }

  function awayLoop() {
    if (!spec.awayEveryMs) return;
    io.after(spec.awayEveryMs * (0.5 + io.random()), () => {
      if (stopped) return;
      command({ type: "agent.setAvailable", available: false }, "away");
      io.after(between(io, spec.awayMs), () => {
        if (stopped) return;
        command({ type: "agent.setAvailable", available: true }, "back");
        awayLoop();
      });
    });
  }

  /** @param {string} portalId */
  function createCode(portalId) {
    command({ type: "code.create", portalId }, "code");
  }

  /** @param {any} e */
  function onEvent(e) {
    switch (e.type) {
      case "alert.raised": {
        if (!e.requestId) return; // invitation or transfer alerts (blue/orange): not part of this scenario
        const request = e.request ?? {};
        const age = ageOf(io, request.customer?.name);
        if (age !== null) io.trend(names.alertMs, age);
        io.check(names.checkPhoneNoAlert, request.mode !== "phone");
        io.note?.("alert", { requestId: e.requestId, agentId, mode: request.mode });
        const room = sessions.size + answering.size < spec.maxSessions;
        if (room || io.random() < spec.overAnswerRate) answerLater(e.requestId, false);
        return;
      }
      case "offer.made": {
        if (e.agentId !== agentId) return;
        const age = ageOf(io, e.request?.customer?.name);
        if (age !== null) io.trend(names.offerMs, age);
        answerLater(e.requestId, true);
        return;
      }
      case "alert.withdrawn":
        if (e.requestId) {
          withdrawn.add(e.requestId);
          io.note?.("withdrawn", { requestId: e.requestId, agentId });
        }
        return;
      case "agent.slotGranted":
      case "agent.joinedSession":
        if (e.agentId === agentId) io.check(names.checkSlotWithinMax, e.active <= e.max && e.max <= 8);
        return;
      case "session.started":
        if (e.agentId !== agentId) return;
        answering.delete(e.requestId);
        sessions.add(e.sessionId);
        io.check(names.checkWithinMax, sessions.size <= spec.maxSessions && sessions.size <= 8);
        io.note?.("session", {
          agentId,
          sessionId: e.sessionId,
          requestId: e.requestId,
          open: sessions.size,
        });
        chatLoop(e.sessionId);
        closeLater(e.sessionId);
        return;
      case "chat.posted": {
        if (e.from?.kind !== "customer" || !sessions.has(e.sessionId)) return;
        const age = ageOf(io, e.text);
        if (age !== null) io.trend(names.chatMs, age);
        io.counter("chat_received");
        return;
      }
      case "customer.left":
        // The customer is gone: close now rather than after the hold time.
        io.after(between(io, spec.thinkMs), () => closeNow(e.sessionId));
        return;
      case "session.closed":
        sessions.delete(e.sessionId);
        return;
      case "request.abandoned":
      case "request.expired":
        answering.delete(e.requestId);
        return;
    }
  }

  /** @param {any} m */
  function onAnswer(m) {
    const what = pending.get(m.ref);
    if (what === undefined) return;
    pending.delete(m.ref);
    if (what.startsWith("answer:")) {
      const requestId = what.slice(7);
      if (m.type === "ack") {
        io.counter("answers_won");
        io.note?.("answered", { requestId, agentId });
        return;
      }
      answering.delete(requestId);
      io.counter("answers_lost");
      io.check(names.checkAnswerRefusal, lostRace(m), saidBy(m));
      return;
    }
    if (what === "code") {
      const ok = m.type === "ack" && m.data?.code;
      // codeLimitReached is a decided outcome (R-P6: at most smartCodesPerAgentMax live codes), not a failure.
      io.check(names.checkCodeCreated, Boolean(ok) || m.detail === "codeLimitReached", saidBy(m));
      if (ok) spec.onCode?.(m.data.code, m.data.portalId);
      return;
    }
    // Closing a session the customer just left, or one already closed, races harmlessly; so does declining an offer
    // that ended (answered, abandoned, expired or timed out) while the decline was on its way, as an answer would.
    const harmless =
      m.detail === "unknownSession" || m.detail === "sessionClosed" || (what === "decline" && lostRace(m));
    io.check(names.checkCommandOk, m.type !== "error" || harmless, `${what}: ${saidBy(m)}`);
  }

  return {
    /** The HTTP login request (the runner performs it: fetch in Node, http.post in k6). */
    loginRequest: () => ({
      method: "POST",
      path: "/api/login",
      body: { email: spec.email, password: spec.password },
    }),
    /**
     * The login's answer: the token, or null (a failed check).
     * @param {number} status @param {any} body
     */
    onLogin(status, body) {
      const ok = status === 200 && typeof body?.token === "string";
      io.check(names.checkLogin, ok);
      return ok ? /** @type {string} */ (body.token) : null;
    },
    /** @param {string} token */
    hello: (token) => hello({ role: "agent", token }),
    /** @param {any} m */
    onMessage(m) {
      if (stopped) return;
      if (m.type === "welcome") {
        agentId = m.agentId;
        return;
      }
      if (m.type === "agent.state") {
        available = Boolean(m.agent?.available);
        if (!available) command({ type: "agent.setAvailable", available: true }, "available");
        awayLoop();
        return;
      }
      if (m.type === "event") return onEvent(m.event);
      if (m.ref !== undefined && (m.type === "ack" || m.type === "error")) return onAnswer(m);
    },
    createCode,
    get agentId() {
      return agentId;
    },
    get openSessions() {
      return sessions.size;
    },
    stop() {
      stopped = true;
    },
  };
}
