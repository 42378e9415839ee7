// Forged violations for the "broken routing rule" test (LOAD_FAULT): each one rewrites what the checks read — the
// server's event log and the clients' notes — as a broken floor would have written it. The checks are the real ones.
import type { Loose, Note } from "./clients.ts";

export type Fault = "double-answer" | "over-max" | "phone-alert" | "no-withdraw";
export const faults: Fault[] = ["double-answer", "over-max", "phone-alert", "no-withdraw"];

let forgedAnswer: { requestId: string; agentId: string } | null = null;

/** The event log as a floor with this bug would have written it (one occurrence, early in the run). */
export function injectFault(log: Loose[], fault: Fault): Loose[] {
  const out = [...log];
  const alerted = new Map<string, string[]>();
  for (let i = 0; i < out.length; i++) {
    const e = out[i];
    if (e.type === "alert.raised" && e.requestId) alerted.set(e.requestId, e.agentIds);
    if (fault === "double-answer" && e.type === "request.answered") {
      // A second agent's answer also succeeds: the first-answer-wins rule is broken.
      const other = (alerted.get(e.requestId) ?? []).find((a) => a !== e.agentId);
      if (!other) continue;
      forgedAnswer = { requestId: e.requestId, agentId: other };
      out.splice(i + 1, 0, { ...e, agentId: other });
      return out;
    }
    if (fault === "over-max" && e.type === "agent.slotGranted") {
      // The slot check lets this agent take one session more than the maximum.
      const extra = Array.from({ length: e.max - e.active + 1 }, (_, k) => ({
        ...e,
        active: e.active + k + 1,
      }));
      out.splice(i + 1, 0, ...extra);
      return out;
    }
    if (fault === "phone-alert" && e.type === "request.posted" && e.mode === "phone") {
      out.splice(i + 1, 0, {
        type: "alert.raised",
        colour: "yellow",
        agentIds: ["forged"],
        requestId: e.requestId,
        displayMs: 30_000,
        seq: e.seq,
        at: e.at,
      });
      return out;
    }
    if (fault === "no-withdraw" && e.type === "alert.withdrawn" && e.reason === "answered") {
      out.splice(i, 1);
      return out;
    }
  }
  throw new Error(`fault ${fault}: nothing in the log to forge it on`);
}

/** The clients' notes under the same bug: the second agent's answer was acknowledged too. */
injectFault.notes = (notes: Note[], fault: Fault): Note[] =>
  fault === "double-answer" && forgedAnswer ? [...notes, { kind: "answered", data: forgedAnswer }] : notes;
