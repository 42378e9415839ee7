// Test runner configuration: every *.test.ts next to its code, one run for the whole repository.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", "out/**"],
    testTimeout: 20_000,
    pool: "threads",
  },
});
