// Configuration validation (R-P1, R-P2, R-M1): a mode paired with a portal type it does not accept is a typed error.
import { describe, expect, test } from "vitest";
import { ConfigError, type Mode, type PortalType, validatePortal } from "./config.ts";
import { portalConfig, testFloor } from "./testing.ts";

const allowed: Record<Mode, PortalType[]> = {
  standard: ["smartButton", "smartBox", "smartMatch"],
  phone: ["smartCode"],
  queue: ["smartBox"],
};
const types: PortalType[] = ["smartButton", "smartBox", "smartMatch", "smartCode"];

describe("R-P2 modes and portal types", () => {
  for (const mode of Object.keys(allowed) as Mode[]) {
    for (const type of types) {
      const ok = allowed[mode].includes(type);
      test(`R-P2: ${mode} mode with a ${type} portal is ${ok ? "accepted" : "rejected"}`, () => {
        const error = validatePortal(portalConfig({ id: "p1", type, mode, members: [] }));
        if (ok) {
          expect(error).toBeNull();
        } else {
          expect(error).toBeInstanceOf(ConfigError);
          expect(error).toMatchObject({
            _tag: "ConfigError",
            reason: "ModeMismatch",
            subject: "portal p1",
            rule: "R-P2",
          });
          expect(error!.message).toContain(`portal p1: mode ${mode} accepts only`);
        }
      });
    }
  }

  test("R-P2: the floor refuses a bad pairing and the portal does not exist afterwards", () => {
    const f = testFloor({ agents: [{ id: "ann" }], portals: [] });
    const r = f.floor.dispatch({
      type: "floor.addPortal",
      config: portalConfig({ id: "bad", type: "smartButton", mode: "queue", members: ["ann"] }),
    });
    expect(r).toMatchObject({ ok: false, rejection: { reason: "invalidConfig" } });
    expect(f.floor.childCount()).toBe(1);
  });

  test("R-M1: a portal member must be a known agent", () => {
    const error = validatePortal(
      portalConfig({ id: "p", type: "smartBox", mode: "queue", members: ["ghost"] }),
      new Set(),
    );
    expect(error).toMatchObject({ reason: "UnknownMember", rule: "R-M1" });
  });
});
