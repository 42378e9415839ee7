// The console's string tables are complete in both languages (R-A1).
import { describe, expect, it } from "vitest";
import { formatDuration, tables, translator } from "./i18n.ts";

describe("i18n", () => {
  it("R-A1: French and English tables have the same keys, none empty, and the same placeholders", () => {
    const en = tables.en;
    const fr = tables.fr;
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of Object.entries(en)) {
      const french = fr[key as keyof typeof fr];
      expect(text.length, key).toBeGreaterThan(0);
      expect(french.length, key).toBeGreaterThan(0);
      const holes = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
      expect(holes(french), key).toEqual(holes(text));
    }
  });

  it("R-A1: the translator fills placeholders", () => {
    expect(translator("fr")("toolbar.sessions", { active: 2, max: 8 })).toBe("2 sur 8 sessions");
    expect(translator("en")("toolbar.sessions", { active: 2, max: 8 })).toBe("2 of 8 sessions");
  });

  it("R-L3/R-L4: clocks show m:ss and h:mm:ss", () => {
    expect(formatDuration(65_000)).toBe("1:05");
    expect(formatDuration(3_661_000)).toBe("1:01:01");
  });
});
