/**
 * The formatter parses with prettier's babel-ts parser (faster on big outputs) and must print exactly what
 * prettier's typescript parser prints: checked on the unformatted text every spec emits, and on every
 * committed file under generated/ (GitHub's included), which the typescript parser must leave unchanged.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { format } from "prettier";
import { describe, expect, it } from "vitest";
import { emitProvider } from "../../../generator/emit/emit.js";
import { loadSpec } from "../../../generator/load.js";
import { formatTypeScript, PRETTIER_OPTIONS } from "../../../generator/output/format.js";
import { repoRoot } from "../../helpers/typecheck.js";

const WITH_TYPESCRIPT_PARSER = { ...PRETTIER_OPTIONS, parser: "typescript" } as const;

describe("formatTypeScript prints what prettier's typescript parser prints", () => {
  const specs = readdirSync(path.join(repoRoot, "specs"))
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => f.slice(0, -".yaml".length));

  it.each(specs)("every file emitted for specs/%s.yaml, from unformatted text", async (name) => {
    const file = `specs/${name}.yaml`;
    const result = loadSpec(file, readFileSync(path.join(repoRoot, file), "utf8"));
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const emitted = emitProvider(result.model!, { runtimeImport: "@switchboard/runtime/contract", generatorVersion: "0.1.0" });
    expect(emitted.length).toBeGreaterThan(3);
    for (const f of emitted) {
      expect({ path: f.path, text: await formatTypeScript(f.text) }).toEqual({
        path: f.path,
        text: await format(f.text, WITH_TYPESCRIPT_PARSER),
      });
    }
  });

  it("every committed file under generated/ is as the typescript parser formats it", async () => {
    const dir = path.join(repoRoot, "generated");
    const files = readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith(".ts"))
      .map((e) => path.join(e.parentPath, e.name));
    expect(files.length).toBeGreaterThan(50);
    const changed: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      if ((await format(text, WITH_TYPESCRIPT_PARSER)) !== text) changed.push(path.relative(repoRoot, file));
    }
    expect(changed).toEqual([]);
  });
});
