// @ts-check
// The one interface between the scenario logic and whatever runs it (the Node runner or k6): sockets, clock,
// randomness, timers and measurements are injected, so these modules import nothing and run in both.

/**
 * What a scenario module may do. Messages are plain objects; the runner encodes them as JSON text frames.
 * @typedef {object} Io
 * @property {(msg: Record<string, unknown>) => void} send  Sends one control message on this client's socket.
 * @property {() => void} close  Closes this client's socket.
 * @property {() => number} now  Milliseconds on a clock shared by every client of the run (stamps cross clients).
 * @property {() => number} random  Uniform in [0, 1).
 * @property {(ms: number, fn: () => void) => void} after  Runs `fn` once after `ms` (no cancel: callbacks check state).
 * @property {(name: string, ok: boolean, why?: string) => void} check  One pass/fail check (k6 `check`); `why` says what a
 *   failure saw.
 * @property {(name: string, ms: number) => void} trend  One latency sample (k6 `Trend`).
 * @property {(name: string, n?: number) => void} counter  Adds to a counter (k6 `Counter`).
 * @property {(kind: string, data: Record<string, unknown>) => void} [note]  A structured observation for
 *   cross-client checks (the Node runner aggregates them; k6 has no shared memory and leaves this out).
 */

/** The control protocol version the scenarios speak (protocol/messages/client.ts). */
export const PROTOCOL_VERSION = 1;

/** @param {Record<string, unknown>} fields */
export const hello = (fields) => ({ type: "hello", protocol: PROTOCOL_VERSION, ...fields });

/**
 * A send-time stamp carried in text the other side receives (a customer's name, a chat line), so that the
 * receiver can measure latency on the shared clock without any shared memory.
 * @param {Io} io
 * @param {string} prefix
 */
export const stamp = (io, prefix) => `${prefix}@${io.now().toFixed(2)}`;

/**
 * Milliseconds since the stamp in `text`, or null when it carries none.
 * @param {Io} io
 * @param {unknown} text
 */
export function ageOf(io, text) {
  if (typeof text !== "string") return null;
  const at = text.lastIndexOf("@");
  if (at < 0) return null;
  const sent = Number(text.slice(at + 1));
  return Number.isFinite(sent) ? io.now() - sent : null;
}

/**
 * A uniform integer-ish delay in [range[0], range[1]].
 * @param {Io} io
 * @param {readonly [number, number]} range
 */
export const between = (io, range) => range[0] + io.random() * (range[1] - range[0]);

/** What a server answer said, for a failed check's record: its reason, detail and message. @param {any} m */
export const saidBy = (m) => `${m.reason} ${m.detail ?? ""} ${m.message}`;

/**
 * Raw text frames a client ignores whatever they hold, recognised without JSON.parse (a load client receives its own
 * chat lines back; parsing them is most of its work). Optional: a runner may parse everything.
 * `agent`: a chat line some agent wrote (agent.js measures and counts only the customer's lines).
 * `customer`: the customer's own line echoed (customer.js reads only the agent's lines).
 */
export const ignorable = {
  /** @param {string} text */
  agent: (text) => text.includes('"from":{"kind":"agent"'),
  /** @param {string} text */
  customer: (text) => text.includes('"author":"customer"'),
};

/** Checks and trends by name: the k6 thresholds and the Node runner's verdict use the same names. */
export const names = {
  alertMs: "alert_ms",
  offerMs: "offer_ms",
  chatMs: "chat_ms",
  answerWaitMs: "answer_wait_ms",
  checkPhoneNoAlert: "phone mode raises no alert",
  checkWithinMax: "agent never above its maximum (client view)",
  checkSlotWithinMax: "slot granted within the maximum and never above 8",
  checkAnswerRefusal: "a refused answer is explained by the race (alreadyAnswered/notOffered/notEligible)",
  checkPostAccepted: "customer post accepted",
  checkJoinedOnce: "customer joined at most one session",
  checkNotice: "customer told how the request ended",
  checkLogin: "agent login",
  checkCodeCreated: "SmartCode created",
  checkCommandOk: "agent command acknowledged",
};
