// @ts-check
// One customer as a load client: posts through a portal (any type and mode, with a SmartMatch choice or a SmartCode),
// waits, abandons if asked to or out of patience, chats once joined, and leaves or waits for the agent to close.
import { ageOf, hello, names, saidBy, stamp } from "./io.js";

/**
 * @typedef {object} CustomerSpec
 * @property {string} id  A short unique label (goes into the name, with the send-time stamp).
 * @property {string} portalId
 * @property {"smartButton" | "smartBox" | "smartMatch" | "smartCode"} portalType
 * @property {"standard" | "queue" | "phone"} mode
 * @property {string} [matchAgentId]  SmartMatch: the agent chosen (R-P4).
 * @property {string} [code]  SmartCode: the code the agent gave (R-P6).
 * @property {number | null} abandonAfterMs  Abandon while waiting after this long (null = not deliberately).
 * @property {number} patienceMs  Give up (abandon) if not joined by then.
 * @property {number} chatIntervalMs  Mean gap between the customer's lines (jittered ±50 %).
 * @property {number} leaveAfterLines  Leave the chat after this many lines (0 = wait for the agent to close).
 */

/** @typedef {import("./io.js").Io} Io */
/** @typedef {"waiting" | "joined" | "answered" | "abandoned" | "expired" | "ended" | "left" | "refused"} Outcome */

/**
 * @param {Io} io
 * @param {CustomerSpec} spec
 */
export function createCustomer(io, spec) {
  let requestId = "";
  let sessionId = "";
  let posted = false;
  /** @type {Outcome | null} */
  let outcome = null;
  let lines = 0;
  let postedAt = 0;

  /** @param {Outcome} how */
  function end(how) {
    if (outcome !== null && outcome !== "joined") return;
    outcome = how;
    io.note?.("ended", { requestId, outcome: how, portalId: spec.portalId, mode: spec.mode });
    io.close();
  }

  function post() {
    if (posted) return;
    posted = true;
    postedAt = io.now();
    io.send({
      type: "customer.post",
      ref: "post",
      portalId: spec.portalId,
      name: stamp(io, spec.id),
      language: "en",
      ...(spec.portalType === "smartBox" ? { question: "My printer prints blank pages." } : {}),
      ...(spec.matchAgentId ? { matchAgentId: spec.matchAgentId } : {}),
      ...(spec.code ? { code: spec.code } : {}),
    });
    io.counter("requests_posted");
  }

  function abandon() {
    if (outcome !== null || !requestId) return;
    io.send({ type: "customer.abandon", ref: "abandon", requestId });
  }

  function chatLoop() {
    io.after(spec.chatIntervalMs * (0.5 + io.random()), () => {
      if (outcome !== "joined") return;
      if (spec.leaveAfterLines > 0 && lines >= spec.leaveAfterLines) {
        io.send({ type: "customer.leave", ref: "leave", sessionId });
        end("left");
        return;
      }
      lines += 1;
      io.send({ type: "chat.send", sessionId, text: stamp(io, "c") });
      io.counter("chat_sent");
      chatLoop();
    });
  }

  /** @param {any} m */
  function onMessage(m) {
    switch (m.type) {
      case "welcome":
        if (m.role === "anonymous") post();
        return;
      case "request.accepted":
        requestId = m.requestId;
        io.check(names.checkPostAccepted, true);
        io.note?.("posted", { requestId, portalId: spec.portalId, mode: spec.mode });
        if (spec.abandonAfterMs !== null) io.after(spec.abandonAfterMs, abandon);
        io.after(spec.patienceMs, abandon);
        return;
      case "request.status":
        if (m.state === "abandoned" || m.state === "expired") end(m.state);
        return;
      case "session.joined":
        io.check(names.checkJoinedOnce, sessionId === "" || sessionId === m.sessionId);
        if (sessionId) return;
        sessionId = m.sessionId;
        io.trend(names.answerWaitMs, io.now() - postedAt);
        io.note?.("joined", { requestId, sessionId });
        outcome = "joined";
        chatLoop();
        return;
      case "chat.line": {
        if (m.line?.author === "customer" || m.line?.kind !== "chat") return;
        const age = ageOf(io, m.line.text);
        if (age !== null) io.trend(names.chatMs, age);
        io.counter("chat_received");
        return;
      }
      case "session.ended":
        end("ended");
        return;
      case "error":
        if (m.ref === "post" && m.reason === "Overloaded") {
          // Admission shed the request (close 1013, try again later): refused cleanly, not a failure.
          io.counter("requests_shed");
          io.note?.("refused", { portalId: spec.portalId, reason: m.reason, detail: m.detail });
          end("refused");
          return;
        }
        if (m.ref === "post") {
          // Decided outcomes, not failures: the SmartMatch agent went away meanwhile, or the code was used up.
          const decided =
            (spec.matchAgentId && ["notEligible", "notLoggedIn"].includes(m.detail)) ||
            (spec.code && ["codeExpired", "codeUsed", "unknownCode"].includes(m.detail));
          io.check(names.checkPostAccepted, Boolean(decided), saidBy(m));
          io.note?.("refused", { portalId: spec.portalId, reason: m.reason, detail: m.detail });
          end("refused");
        }
        // A refused abandon or leave means the agent got there first: the session.joined that follows decides.
        return;
    }
  }

  return {
    hello: () => hello({ role: "anonymous" }),
    onMessage,
    /** Posts on an already-greeted socket (the Node runner keeps idle greeted customers ready). */
    post,
    /** The run is over: a customer still waiting gives up, as one out of patience would. */
    giveUp: abandon,
    /** @returns {Outcome | null} */
    get outcome() {
      return outcome;
    },
    get requestId() {
      return requestId;
    },
    /** The socket closed: a customer who never heard how the request ended fails the notice check. */
    onClose() {
      if (outcome === null && posted) {
        io.check(names.checkNotice, false);
        io.note?.("ended", { requestId, outcome: "lost", portalId: spec.portalId, mode: spec.mode });
        outcome = "refused";
      } else if (outcome !== null && outcome !== "refused") io.check(names.checkNotice, true);
    },
  };
}
