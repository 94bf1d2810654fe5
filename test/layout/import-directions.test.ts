/**
 * The import directions of docs/architecture.md, checked on every import and export (static, type-only
 * and dynamic with a literal specifier) of the hand-written and generated TypeScript. One rule per row:
 * which files it covers, and what an import of theirs must not be.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const repo = path.resolve(import.meta.dirname, "../..");

interface Import {
  readonly file: string; // repo-relative, forward slashes
  readonly specifier: string;
  /** Repo-relative target of a relative specifier; undefined for a package name. */
  readonly target: string | undefined;
}

function listTs(dir: string): string[] {
  return readdirSync(path.join(repo, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts"))
    .map((e) => path.relative(repo, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
    .filter((f) => !/(^|\/)(dist|node_modules)\//.test(f))
    .sort();
}

function importsOf(file: string): Import[] {
  const info = ts.preProcessFile(readFileSync(path.join(repo, file), "utf8"), true, true);
  return info.importedFiles.map(({ fileName: specifier }) => ({
    file,
    specifier,
    target: specifier.startsWith(".") ? path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)) : undefined,
  }));
}

const inside = (target: string | undefined, dir: string) => target !== undefined && (target === dir || target.startsWith(`${dir}/`));

const sources = [...listTs("runtime"), ...listTs("generator"), ...listTs("generated"), ...listTs("test"), ...listTs("bench")];
const imports = sources.flatMap(importsOf);

/** The pipeline's stages and the files that run them: everything in generator/ but the commands and the package entry. */
const isStage = (file: string) => file.startsWith("generator/") && !file.startsWith("generator/cli/") && file !== "generator/index.ts";

const STAGES = ["common", "parse", "validate", "model", "emit", "output"];
/** Position of a generator file's stage in the flow; -1 outside the stage folders (generate.ts, load.ts, config.ts...). */
const stageIndex = (file: string | undefined) => (file === undefined ? -1 : STAGES.findIndex((s) => inside(file, `generator/${s}`)));

const RULES: readonly { readonly rule: string; readonly covers: (file: string) => boolean; readonly broken: (i: Import) => boolean }[] = [
  {
    rule: "the runtime imports only its own files (by path, or its package.json's #imports), node:* and its declared packages (never the generator)",
    covers: (file) => file.startsWith("runtime/"),
    broken: (i) =>
      i.target !== undefined
        ? !inside(i.target, "runtime")
        : !/^(node:|#webhook-platform$|undici$|express$|fastify$|better-sqlite3$|@noble\/hashes\/)/.test(i.specifier),
  },
  {
    rule: "generated code imports only @switchboard/runtime/contract and files of its own provider folder",
    covers: (file) => file.startsWith("generated/"),
    broken: (i) =>
      i.target !== undefined ? !inside(i.target, i.file.split("/").slice(0, 2).join("/")) : i.specifier !== "@switchboard/runtime/contract",
  },
  {
    rule: "generator stages do not import generator/cli/",
    covers: isStage,
    broken: (i) => inside(i.target, "generator/cli"),
  },
  {
    rule: "a stage never imports a later one (common, parse, validate, model, emit, output, in that order)",
    covers: (file) => stageIndex(file) >= 0,
    broken: (i) => stageIndex(i.target) > stageIndex(i.file),
  },
  {
    rule: "the generator reaches the runtime through the package name, never a relative path",
    covers: (file) => file.startsWith("generator/"),
    broken: (i) => inside(i.target, "runtime"),
  },
  {
    rule: "nothing outside runtime/ imports runtime/internal/",
    covers: (file) => !file.startsWith("runtime/"),
    broken: (i) => inside(i.target, "runtime/internal") || i.specifier.startsWith("@switchboard/runtime/internal"),
  },
];

describe("import directions (docs/architecture.md)", () => {
  it("reads the imports of every source folder", () => {
    for (const dir of ["runtime/", "generator/", "generated/", "test/"])
      expect(
        sources.some((f) => f.startsWith(dir)),
        dir,
      ).toBe(true);
    expect(imports.length).toBeGreaterThan(500);
  });

  it.each(RULES)("$rule", ({ covers, broken }) => {
    const covered = imports.filter((i) => covers(i.file));
    expect(covered.length).toBeGreaterThan(0);
    expect(covered.filter(broken).map((i) => `${i.file} imports ${i.specifier}`)).toEqual([]);
  });

  it("the rules flag what they forbid: runtime to generator, generated to another package or folder, stage to command or later stage, to internal/", () => {
    const at = (file: string, specifier: string): Import => ({
      file,
      specifier,
      target: path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)),
    });
    const [runtime, generated, stages, order, , internal] = RULES;
    expect(runtime!.broken(at("runtime/client/client-core.ts", "../../generator/load.js"))).toBe(true);
    expect(generated!.broken(at("generated/stripe/client.ts", "../github/client.js"))).toBe(true);
    expect(generated!.broken({ file: "generated/stripe/client.ts", specifier: "@switchboard/runtime", target: undefined })).toBe(true);
    expect(stages!.broken(at("generator/emit/emit.ts", "../cli/main.js"))).toBe(true);
    expect(order!.broken(at("generator/validate/schema.ts", "../model/ir.js"))).toBe(true);
    expect(order!.broken(at("generator/emit/emit.ts", "../model/ir.js"))).toBe(false);
    expect(internal!.broken(at("test/runtime/x.test.ts", "../../runtime/internal/declared.js"))).toBe(true);
    expect(runtime!.broken(at("runtime/client/client-core.ts", "../errors/errors.js"))).toBe(false);
  });
});
