// Names from the other side are display-only: no traversal, separators, control or bidi characters, devices.
import { describe, expect, test } from "vitest";
import { displayName, fileNameMaxBytes, numberedName, safeName, safePath } from "./names.ts";

describe("R-T1 safe names", () => {
  test("traversal segments are dropped and separators neutralised", () => {
    expect(safePath(["..", "..", "etc", "passwd"])).toEqual(["etc", "passwd"]);
    expect(safePath(["a/../../b", "c\\d"])).toEqual(["a_.._.._b", "c_d"]);
    expect(safeName("C:evil")).toBe("C_evil");
    expect(safeName("a\u2215b\uff0fc")).toBe("a_b_c");
  });

  test("control and bidi characters are removed, so an extension cannot hide", () => {
    expect(safeName("invoice\u202Efdp.exe")).toBe("invoicefdp.exe");
    expect(safeName("a\u0000b\nc\u001b[31m")).toBe("abc[31m");
    expect(safeName("x\u2066y\u2069z\u200Fw")).toBe("xyzw");
  });

  test("hidden, empty, device and over-long names become safe ones", () => {
    expect(safeName(".bashrc")).toBe("_bashrc");
    expect(safeName("..")).toBe("_");
    expect(safeName("   ")).toBe("file");
    expect(safeName("name. . ")).toBe("name");
    expect(safeName("NUL.txt")).toBe("_NUL.txt");
    const long = safeName(`${"é".repeat(300)}.tar.gz`);
    expect(new TextEncoder().encode(long).length).toBeLessThanOrEqual(fileNameMaxBytes);
    expect(long.endsWith(".gz")).toBe(true);
  });

  test("display names join folders visibly; numbered names keep the extension", () => {
    expect(displayName(["logs", "app.log"])).toBe("logs › app.log");
    expect(numberedName("report.pdf", 2)).toBe("report (2).pdf");
    expect(numberedName("README", 1)).toBe("README (1)");
  });
});
