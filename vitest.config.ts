import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // Resolve `switchboard/runtime` (used by generated code) to the TypeScript source.
    conditions: ["switchboard-source"],
  },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
