// @ts-check
// The safety and liveness checks on the server's domain event log (actors/events.ts), fed one recorded event at a
// time after a load run: no request answered twice, no agent above its maximum or above 8, every request ended,
// Queue mode strictly FIFO, Phone mode never alerting, and the first answer withdrawing every other alert.

/**
 * @typedef {object} Violation
 * @property {string} rule
 * @property {string} detail
 */

/**
 * @typedef {object} ObserverReport
 * @property {{ posted: number, answered: number, abandoned: number, expired: number, lost: number }} requests
 * @property {number} doubleAssignments  Requests answered or started more than once.
 * @property {number} agentsAboveMax  Agents seen above their maximum (or above 8) at least once.
 * @property {number} maxConcurrentPeak  The most sessions any one agent was in at once.
 * @property {number} alertsRaised
 * @property {number} alertsWithdrawnOnAnswer
 * @property {number} offers
 * @property {number} events
 * @property {Violation[]} violations  The first few of each rule, with the count of all in `violationCounts`.
 * @property {Record<string, number>} violationCounts
 */

export const rules = {
  double: "no request answered by two agents",
  aboveMax: "no agent above its maximum (never more than 8)",
  ended: "every request ends answered, abandoned or expired",
  fifo: "Queue mode offers the oldest waiting request first (FIFO)",
  phone: "Phone mode raises no alert",
  withdraw: "the first answer withdraws every other alert",
  lateAlert: "no alert for a request already answered",
  activeMismatch: "the floor's count of an agent's sessions matches the events",
};

const hardLimit = 8;

export function createObserver() {
  /** @type {Map<string, { mode: string, portalId: string, seq: number, answers: string[], starts: number,
   *   alerted: Set<string>, withdrawn: Set<string>, ended: string | null }>} */
  const requests = new Map();
  /** @type {Map<string, number>} */
  const maxOf = new Map();
  /** @type {Map<string, number>} */
  const active = new Map();
  const aboveMax = new Set();
  /** Queue portals: waiting requests in posting order, and their open offers. */
  /** @type {Map<string, string[]>} */
  const waiting = new Map();
  /** @type {Map<string, string>} */
  const offered = new Map();
  /** @type {Violation[]} */
  const violations = [];
  /** @type {Record<string, number>} */
  const violationCounts = {};
  let peak = 0;
  let events = 0;
  let alertsRaised = 0;
  let withdrawnOnAnswer = 0;
  let offers = 0;
  let doubles = 0;

  /** @param {string} rule @param {string} detail */
  function violate(rule, detail) {
    violationCounts[rule] = (violationCounts[rule] ?? 0) + 1;
    if (violationCounts[rule] <= 5) violations.push({ rule, detail });
  }

  /** @param {string} agentId @param {number} delta @param {number | undefined} reported @param {number} seq */
  function slot(agentId, delta, reported, seq) {
    const n = (active.get(agentId) ?? 0) + delta;
    active.set(agentId, n);
    if (n > peak) peak = n;
    const max = maxOf.get(agentId) ?? hardLimit;
    if (n > max || n > hardLimit) {
      if (!aboveMax.has(agentId))
        violate(rules.aboveMax, `seq ${seq}: agent ${agentId} in ${n} sessions, max ${max}`);
      aboveMax.add(agentId);
    }
    if (reported !== undefined && reported !== n)
      violate(rules.activeMismatch, `seq ${seq}: agent ${agentId} reported ${reported}, events say ${n}`);
  }

  /** @param {any} e One recorded domain event (`seq`, `at`, `type` and its fields). */
  function observe(e) {
    events += 1;
    const r = e.requestId ? requests.get(e.requestId) : undefined;
    switch (e.type) {
      case "agent.registered":
        maxOf.set(e.agentId, e.maxSessions);
        return;
      case "request.posted":
        requests.set(e.requestId, {
          mode: e.mode,
          portalId: e.portalId,
          seq: e.seq,
          answers: [],
          starts: 0,
          alerted: new Set(),
          withdrawn: new Set(),
          ended: null,
        });
        return;
      case "alert.raised":
        if (!r) return;
        alertsRaised += 1;
        if (r.mode === "phone")
          violate(rules.phone, `seq ${e.seq}: alert for Phone-mode request ${e.requestId}`);
        if (r.answers.length > 0) violate(rules.lateAlert, `seq ${e.seq}: alert for answered ${e.requestId}`);
        for (const a of e.agentIds) r.alerted.add(a);
        return;
      case "alert.withdrawn":
        if (!r) return;
        for (const a of e.agentIds) r.withdrawn.add(a);
        if (e.reason === "answered") withdrawnOnAnswer += 1;
        return;
      case "request.answered":
        if (!r) return;
        r.answers.push(e.agentId);
        if (r.answers.length === 2) {
          doubles += 1;
          violate(rules.double, `seq ${e.seq}: ${e.requestId} answered by ${r.answers.join(" and ")}`);
        }
        offered.delete(e.requestId);
        return;
      case "request.started":
        if (!r) return;
        r.starts += 1;
        if (r.starts === 2 && r.answers.length < 2) {
          doubles += 1;
          violate(rules.double, `seq ${e.seq}: ${e.requestId} started twice`);
        }
        if (!r.ended) r.ended = "answered";
        return;
      case "request.abandoned":
      case "request.expired":
        if (r && !r.ended) r.ended = e.type.slice(8);
        offered.delete(e.requestId);
        return;
      case "agent.slotGranted":
      case "agent.joinedSession":
        slot(e.agentId, 1, e.active, e.seq);
        return;
      case "agent.slotReleased":
        slot(e.agentId, -1, e.active, e.seq);
        return;
      case "queue.enqueued": {
        const list = waiting.get(e.portalId) ?? [];
        const seq = r?.seq ?? e.seq;
        let i = list.length;
        while (i > 0 && (requests.get(/** @type {string} */ (list[i - 1]))?.seq ?? 0) > seq) i -= 1;
        list.splice(i, 0, e.requestId);
        waiting.set(e.portalId, list);
        return;
      }
      case "queue.dequeued": {
        const list = waiting.get(e.portalId) ?? [];
        const i = list.indexOf(e.requestId);
        if (i >= 0) list.splice(i, 1);
        return;
      }
      case "offer.made": {
        offers += 1;
        // planOffers gives every free agent to the oldest request without an open offer: when this request is
        // offered, every older one still waiting in the portal must already hold an offer.
        const list = waiting.get(e.portalId) ?? [];
        for (const older of list) {
          if (older === e.requestId) break;
          if (!offered.has(older))
            violate(rules.fifo, `seq ${e.seq}: ${e.requestId} offered while older ${older} waits unoffered`);
        }
        offered.set(e.requestId, e.agentId);
        return;
      }
      case "offer.ended":
        if (offered.get(e.requestId) === e.agentId) offered.delete(e.requestId);
        return;
    }
  }

  /** Liveness at the end: every request ended; every alert withdrawn from the agents who did not answer. */
  /** @returns {ObserverReport} */
  function report() {
    const counts = { posted: 0, answered: 0, abandoned: 0, expired: 0, lost: 0 };
    for (const [id, r] of requests) {
      counts.posted += 1;
      if (r.ended === "answered") counts.answered += 1;
      else if (r.ended === "abandoned") counts.abandoned += 1;
      else if (r.ended === "expired") counts.expired += 1;
      else {
        counts.lost += 1;
        violate(rules.ended, `${id} (${r.mode}, ${r.portalId}) never ended`);
      }
      const winner = r.answers[0];
      if (winner !== undefined) {
        for (const a of r.alerted)
          if (a !== winner && !r.withdrawn.has(a))
            violate(rules.withdraw, `${id}: alert to ${a} never withdrawn`);
      }
    }
    return {
      requests: counts,
      doubleAssignments: doubles,
      agentsAboveMax: aboveMax.size,
      maxConcurrentPeak: peak,
      alertsRaised,
      alertsWithdrawnOnAnswer: withdrawnOnAnswer,
      offers,
      events,
      violations,
      violationCounts,
    };
  }

  return { observe, report };
}
