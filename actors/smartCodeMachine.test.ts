// Phone mode and SmartCodes (R-P6): no alerts, issuer only, single use, expiry, quick URL, per-agent limit.
import { describe, expect, test } from "vitest";
import { Floor } from "./floor.ts";
import { AgentId, type CodeId, PortalId } from "./ids.ts";
import { displayCode, normaliseCode, quickUrl } from "./smartCodeMachine.ts";
import { agentConfig, customer, portalConfig, testFloor } from "./testing.ts";

const ann = AgentId("ann");
const bob = AgentId("bob");
const phone = PortalId("phone");

function phoneFloor(options = {}) {
  return testFloor({
    agents: [{ id: "ann" }, { id: "bob" }],
    portals: [
      { id: "phone", type: "smartCode", mode: "phone", members: ["ann", "bob"] },
      { id: "phone2", type: "smartCode", mode: "phone", members: ["ann"] },
    ],
    options: {
      smartCodeTtlMs: 1_200_000,
      smartCodesPerAgentMax: 3,
      publicUrl: "https://help.example",
      ...options,
    },
  });
}

function create(f: ReturnType<typeof phoneFloor>, agentId = ann, name?: string) {
  const r = f.floor.dispatch({ type: "code.create", agentId, portalId: phone, ...(name ? { name } : {}) });
  return r.events.find((e) => e.type === "code.created");
}

const redeem = (f: ReturnType<typeof phoneFloor>, code: string, portalId = phone) =>
  f.floor.dispatch({ type: "request.post", portalId, customer: customer("Cy"), code });

describe("R-P6 SmartCode", () => {
  test("R-P6: a numeric code is shown as 048-0290 with a quick URL, active with its remaining time", () => {
    const f = phoneFloor();
    const created = create(f)!;
    expect(created.code).toMatch(/^\d{7}$/);
    expect(created.display).toBe(displayCode(created.code));
    expect(created.display).toMatch(/^\d{3}-\d{4}$/);
    expect(created.quickUrl).toBe(`https://help.example/h/phone?Question=DR${created.display}`);
    expect(created.expiresAt).toBe(1_200_000);
    expect(displayCode("0480290")).toBe("048-0290");
    expect(normaliseCode("DR048-0290")).toBe("0480290");
  });

  test("R-P6: the customer who enters the code is connected with its issuer only, without any alert", () => {
    const f = phoneFloor();
    const { code } = create(f, bob)!;
    const r = redeem(f, displayCode(code));
    expect(r.ok).toBe(true);
    expect(f.ofType("alert.raised")).toHaveLength(0);
    expect(f.ofType("request.answered")).toMatchObject([{ agentId: bob, via: "code" }]);
    expect(f.ofType("session.started")).toMatchObject([{ agentId: bob }]);
    expect(f.ofType("code.converted")).toMatchObject([{ code, issuerId: bob }]);
  });

  test("R-P6: a code is used at most once", () => {
    const f = phoneFloor();
    const { code } = create(f)!;
    expect(redeem(f, code).ok).toBe(true);
    expect(redeem(f, code)).toMatchObject({ ok: false, rejection: { reason: "unknownCode" } });
  });

  test("R-P6: a code expires after its lifetime, and a redeem at the very expiry instant loses", () => {
    const f = phoneFloor();
    const a = create(f)!;
    f.clock.advanceTo(1_199_999);
    const b = create(f)!;
    f.clock.advanceTo(1_200_000);
    expect(f.ofType("code.expired").map((e) => e.code)).toEqual([a.code]);
    expect(redeem(f, a.code)).toMatchObject({ ok: false, rejection: { reason: "unknownCode" } });
    f.clock.advanceTo(b.expiresAt - 1);
    expect(redeem(f, b.code).ok).toBe(true);
  });

  test("R-P6: with a late timer (a real clock), a redeem at or after the expiry instant is refused as expired", () => {
    let now = 0;
    const lateClock = { now: () => now, setTimeout: () => 0, clearTimeout: () => {} };
    const floor = new Floor({ clock: lateClock, options: { smartCodeTtlMs: 1000 } });
    floor.dispatch({ type: "floor.addAgent", config: agentConfig({ id: "ann" }) });
    floor.dispatch({
      type: "floor.addPortal",
      config: portalConfig({ id: "phone", type: "smartCode", mode: "phone", members: ["ann"] }),
    });
    floor.dispatch({ type: "agent.login", agentId: ann });
    const created = floor.dispatch({ type: "code.create", agentId: ann, portalId: phone });
    const code = created.events.find((e) => e.type === "code.created")!.code;
    now = 1000;
    const r = floor.dispatch({ type: "request.post", portalId: phone, customer: customer("Cy"), code });
    expect(r).toMatchObject({ ok: false, rejection: { reason: "codeExpired" } });
    expect(r.events.map((e) => e.type)).toContain("code.expired");
  });

  test("R-P6: a wrong code and a code for another portal are refused", () => {
    const f = phoneFloor();
    const { code } = create(f)!;
    expect(redeem(f, "000-0000")).toMatchObject({ ok: false, rejection: { reason: "unknownCode" } });
    expect(redeem(f, code, PortalId("phone2"))).toMatchObject({
      ok: false,
      rejection: { reason: "wrongPortal" },
    });
    expect(redeem(f, code).ok).toBe(true);
  });

  test("R-P6: an agent holds at most the configured number of active codes; a converted one frees a place", () => {
    const f = phoneFloor();
    const codes = [create(f), create(f), create(f)].map((c) => c!.code);
    expect(f.floor.dispatch({ type: "code.create", agentId: ann, portalId: phone })).toMatchObject({
      ok: false,
      rejection: { reason: "codeLimitReached" },
    });
    redeem(f, codes[0]!);
    expect(create(f)).toBeDefined();
  });

  test("R-P6: a named code (the customer's name) works, and only its issuer may cancel it", () => {
    const f = phoneFloor();
    const created = create(f, ann, "Dupont")!;
    expect(created.code).toBe("dupont");
    expect(f.floor.dispatch({ type: "code.cancel", agentId: bob, code: "dupont" as CodeId })).toMatchObject({
      ok: false,
      rejection: { reason: "notIssuer" },
    });
    expect(f.floor.dispatch({ type: "code.cancel", agentId: ann, code: "dupont" as CodeId }).ok).toBe(true);
    expect(redeem(f, "Dupont")).toMatchObject({ ok: false, rejection: { reason: "unknownCode" } });
  });

  test("R-P6: codes are only made for Phone portals", () => {
    const f = testFloor({
      agents: [{ id: "ann" }],
      portals: [{ id: "web", type: "smartButton", mode: "standard", members: ["ann"] }],
    });
    expect(f.floor.dispatch({ type: "code.create", agentId: ann, portalId: PortalId("web") })).toMatchObject({
      ok: false,
      rejection: { reason: "wrongPortal" },
    });
    expect(quickUrl("https://x/", PortalId("p q"), "0000001" as CodeId)).toBe(
      "https://x/h/p%20q?Question=DR000-0001",
    );
  });
});
