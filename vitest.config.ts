import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // Generated code imports `switchboard/runtime`; tests load the TypeScript source, the same module
    // instance the tests import directly (tsc resolves it through the "switchboard-source" condition).
    alias: [{ find: /^switchboard\/runtime$/, replacement: fileURLToPath(new URL("./runtime/index.ts", import.meta.url)) }],
  },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
