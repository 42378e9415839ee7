// The console's preferences as they cross the HTTP boundary: the multi-monitor notice switch (R-V6) is checked.
import { expect, test } from "vitest";
import { checkPreferences } from "./agentPreferences.ts";

test("R-V6: the multi-monitor notice preference is kept as a boolean; any other kind is refused", () => {
  expect(checkPreferences({ multiMonitorNotice: false })).toMatchObject({
    ok: true,
    document: { multiMonitorNotice: false },
  });
  for (const bad of ["off", 0, null]) {
    expect(checkPreferences({ multiMonitorNotice: bad })).toMatchObject({ ok: false, reason: "Malformed" });
  }
});
