import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Generated code and the tests import `@switchboard/runtime` and its subpaths; tests load the TypeScript
// source, the same module instances the tests import by relative path (tsc resolves them the same way,
// through the "switchboard-source" condition). The aliases come from the runtime package's own exports.
const runtimeDir = new URL("./runtime/", import.meta.url);
const runtimePackage = JSON.parse(readFileSync(new URL("package.json", runtimeDir), "utf8")) as {
  exports: Record<string, string | { "switchboard-source"?: string }>;
  imports: Record<string, { "switchboard-source"?: string }>;
};
const runtimeAliases = Object.entries(runtimePackage.exports).flatMap(([subpath, target]) => {
  const source = typeof target === "object" ? target["switchboard-source"] : undefined;
  if (source === undefined) return [];
  const specifier = `@switchboard/runtime${subpath.slice(1)}`.replace(/[/.]/g, (c) => `\\${c}`);
  return [{ find: new RegExp(`^${specifier}$`), replacement: fileURLToPath(new URL(source, runtimeDir)) }];
});
// The runtime's own "#..." imports (the webhook engine's platform module), from their source too.
const runtimeImports = Object.entries(runtimePackage.imports).map(([name, target]) => ({
  find: new RegExp(`^${name}$`),
  replacement: fileURLToPath(new URL(target["switchboard-source"]!, runtimeDir)),
}));

export default defineConfig({
  resolve: { alias: [...runtimeAliases, ...runtimeImports] },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
