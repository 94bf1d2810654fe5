/**
 * Every bundled provider can be re-exported from one module: each name a generated provider's index
 * exports carries the provider's name, so no two providers export the same name. A name exported by
 * two `export *` is ambiguous (TypeScript drops it, an error only where it is used), so the export
 * lists are compared directly, and a module re-exporting every provider must compile.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { compilerOptions, repoRoot, typecheck } from "../../helpers/typecheck.js";

const generated = path.join(repoRoot, "generated");
const providers = readdirSync(generated, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();
const indexOf = (provider: string) => path.join(generated, provider, "index.ts");

/** The names each provider's index.ts exports, as the type checker resolves them. */
function exportsByProvider(): Map<string, string[]> {
  const program = ts.createProgram({ rootNames: providers.map(indexOf), options: compilerOptions() });
  const checker = program.getTypeChecker();
  const result = new Map<string, string[]>();
  for (const provider of providers) {
    const file = program.getSourceFile(indexOf(provider))!;
    const symbol = checker.getSymbolAtLocation(file)!;
    result.set(
      provider,
      checker
        .getExportsOfModule(symbol)
        .map((s) => s.getName())
        .sort(),
    );
  }
  return result;
}

describe("generated provider names", () => {
  const exported = exportsByProvider();

  it("reads a non-trivial export list from every provider", () => {
    expect(providers.length).toBeGreaterThan(1);
    for (const provider of providers) expect(exported.get(provider)!.length, provider).toBeGreaterThan(5);
  });

  it("no name is exported by two providers", () => {
    const owners = new Map<string, string[]>();
    for (const [provider, names] of exported) for (const name of names) owners.set(name, [...(owners.get(name) ?? []), provider]);
    const shared = [...owners].filter(([, list]) => list.length > 1).map(([name, list]) => `${name}: ${list.join(", ")}`);
    expect(shared).toEqual([]);
  });

  it("every exported name carries its provider's name", () => {
    const unqualified: string[] = [];
    for (const [provider, names] of exported) {
      const pascal = /\bexport class (\w+)Client\b/.exec(ts.sys.readFile(path.join(generated, provider, "client.ts"))!)![1]!;
      for (const name of names) if (!name.toLowerCase().includes(pascal.toLowerCase())) unqualified.push(`${provider}: ${name}`);
    }
    expect(unqualified).toEqual([]);
  });

  it("a module that re-exports every provider compiles, and each provider's names resolve through it", () => {
    const all = providers.map((p) => `export * from "../../generated/${p}/index.js";`).join("\n");
    // Importing every name through the aggregate: an ambiguous (hence dropped) name is an error here.
    const names = [...new Set([...exported.values()].flat())].sort();
    const usage = `import type {\n  ${names.join(",\n  ")},\n} from "./all.js";\n`;
    const result = typecheck({ "all.ts": all, "usage.ts": usage });
    expect(result.diagnostics).toEqual([]);
  });
});
