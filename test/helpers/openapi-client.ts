/**
 * Clients generated in memory from the OpenAPI fragments in test/fixtures/openapi/, for the
 * openapi-*.test.ts files: a spec (provider `acme`) that imports fragments is loaded as if it lived
 * in that folder, emitted without formatting, and usage files are type-checked against it in one
 * program. Nothing is written to disk.
 */
import path from "node:path";
import { stringify } from "yaml";
import { emitProvider } from "../../generator/emit/emit.js";
import { loadSpec, type LoadResult } from "../../generator/load.js";
import { repoRoot, typecheck } from "./typecheck.js";

export const openapiFixtures = path.join(repoRoot, "test", "fixtures", "openapi");

/** The spec's file name as diagnostics show it. */
export const SPEC_FILE = "specs/acme.yaml";

/** A spec of provider `acme` whose `operations` section is `operations` (imports, inline, schemas), plus other top-level sections. */
export function specText(operations: unknown, sections: Readonly<Record<string, unknown>> = {}): string {
  return stringify({
    switchboard: 1,
    provider: { name: "acme", title: "Acme" },
    environments: { live: { baseUrl: "https://api.acme.test" } },
    ...sections,
    operations,
  });
}

/** Loads a spec text as if it were test/fixtures/openapi/acme.yaml (imports resolve there). */
export function loadAcme(text: string): LoadResult {
  return loadSpec(SPEC_FILE, text, { path: path.join(openapiFixtures, "acme.yaml") });
}

/** Loads a spec with one import of `from` (plus the import's other options). */
export function loadImport(from: string, options: Record<string, unknown> = {}): LoadResult {
  return loadAcme(specText({ import: [{ from, ...options }] }));
}

/** The emitted files of a loaded spec, by path under `folder` (resources/pets.ts -> acme/resources/pets.ts). */
export function emitted(result: LoadResult, folder = "acme"): Map<string, string> {
  if (result.model === undefined) {
    const errors = result.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`);
    throw new Error(`the spec did not load:\n${errors.join("\n")}`);
  }
  const files = emitProvider(result.model, { runtimeImport: "@switchboard/runtime/contract", generatorVersion: "0.0.0-test" });
  return new Map(files.map((f) => [`${folder}/${f.path}`, f.text]));
}

/**
 * Shared prelude of usage files: exact type equality, so a test proves a type is what it says and
 * not merely assignable (an `any` or `unknown` would pass an assignment).
 */
export const EQUALS = `
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<A, B>(proof: Equals<A, B>): void { void proof; }
void expectType;
`;

/**
 * Type-checks usage files (name -> text, importing the client from "./acme/index.js") against the
 * client (or several, in folders of their own) in one program; the diagnostics of the usage files and
 * of the generated files.
 */
export function compileUsage(client: ReadonlyMap<string, string>, usages: Readonly<Record<string, string>>): string[] {
  const files = new Map(client);
  for (const [name, text] of Object.entries(usages)) files.set(name, `${EQUALS}\n${text}`);
  return typecheck(files).diagnostics;
}
