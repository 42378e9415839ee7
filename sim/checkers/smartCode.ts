// A SmartCode (R-P6) is converted at most once, before its expiresAt, into a request only its issuer answers;
// an agent never holds more active codes than allowed.
import type { CodeId, RequestId } from "../../actors/index.ts";
import type { Checker } from "./types.ts";

export function smartCode(): Checker {
  const codeOfRequest = new Map<RequestId, CodeId>();
  return {
    name: "smartCode",
    onEvent(e, { model, options, report }) {
      switch (e.type) {
        case "code.created": {
          const held = [...model.codes.values()].filter(
            (c) => c.issuerId === e.issuerId && c.state === "active",
          ).length;
          if (held + 1 > options.smartCodesPerAgentMax)
            report(
              "R-P6",
              `agent ${e.issuerId} holds ${held + 1} active codes, above ${options.smartCodesPerAgentMax}`,
            );
          if (model.codes.get(e.code)?.state === "active")
            report("R-P6", `code ${e.display} issued while still active`);
          return;
        }
        case "code.converted": {
          const c = model.codes.get(e.code);
          if (!c) return report("R-P6", `unknown code ${e.code} converted`);
          if (c.state !== "active") report("R-P6", `code ${e.code} converted while ${c.state}`);
          if (e.at >= c.expiresAt)
            report("R-P6", `code ${e.code} converted at ${e.at}, at or after its expiry ${c.expiresAt}`);
          if (c.issuerId !== e.issuerId)
            report("R-P6", `code ${e.code} converted for ${e.issuerId}, issued by ${c.issuerId}`);
          codeOfRequest.set(e.requestId, e.code);
          return;
        }
        case "code.expired":
        case "code.cancelled": {
          const c = model.codes.get(e.code);
          if (c?.state !== "active")
            report("R-P6", `${e.type} for code ${e.code}, which is ${c?.state ?? "unknown"}`);
          if (c && e.type === "code.expired" && e.at < c.expiresAt)
            report("R-P6", `code ${e.code} expired at ${e.at}, before its expiry ${c.expiresAt}`);
          return;
        }
        case "request.posted":
          if (e.mode === "phone" && !codeOfRequest.has(e.requestId))
            report("R-P6", `phone request ${e.requestId} posted without a code converted for it`);
          return;
        case "request.answered":
        case "request.started": {
          const code = codeOfRequest.get(e.requestId);
          const issuer = code ? model.codes.get(code)?.issuerId : undefined;
          if (issuer && e.agentId !== issuer)
            report(
              "R-P6",
              `${e.type}: SmartCode request ${e.requestId} went to ${e.agentId}, not the issuer ${issuer}`,
            );
          return;
        }
      }
    },
  };
}
