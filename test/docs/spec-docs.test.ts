import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const repo = path.resolve(import.meta.dirname, "../..");
const SCRIPT = path.join("scripts", "spec-docs.js");
const SCHEMA = path.join("schema", "spec-v1.schema.json");
const DOCS = path.join("docs", "spec.md");

function runScript(cwd: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [path.join(cwd, SCRIPT), ...args], { cwd, encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

type SchemaNode = { [key: string]: unknown };

const isNode = (value: unknown): value is SchemaNode => typeof value === "object" && value !== null && !Array.isArray(value);

/** JSON pointers of the properties, anywhere in the schema, with no description of their own or via $ref. */
function undescribed(schema: SchemaNode): string[] {
  const defs = isNode(schema["$defs"]) ? schema["$defs"] : {};
  const text = (node: SchemaNode): string => (typeof node["description"] === "string" ? node["description"].trim() : "");
  const describedBy = (node: SchemaNode): string => {
    if (text(node) !== "") return text(node);
    const ref = node["$ref"];
    const target = typeof ref === "string" && ref.startsWith("#/$defs/") ? defs[ref.slice("#/$defs/".length)] : undefined;
    return isNode(target) ? text(target) : "";
  };
  const missing: string[] = [];
  const walk = (node: unknown, pointer: string): void => {
    if (!isNode(node)) return;
    if (isNode(node["properties"])) {
      for (const [key, value] of Object.entries(node["properties"])) {
        const at = `${pointer}/properties/${key}`;
        if (!isNode(value) || describedBy(value) === "") missing.push(at);
        walk(value, at);
      }
    }
    for (const key of ["items", "additionalProperties", "propertyNames", "not", "if", "then", "else"]) walk(node[key], `${pointer}/${key}`);
    for (const key of ["anyOf", "oneOf", "allOf", "prefixItems"]) {
      const list = node[key];
      if (Array.isArray(list)) list.forEach((item, i) => walk(item, `${pointer}/${key}/${i}`));
    }
    if (isNode(node["$defs"])) for (const [key, value] of Object.entries(node["$defs"])) walk(value, `${pointer}/$defs/${key}`);
  };
  walk(schema, "#");
  return missing;
}

describe("docs/spec.md", () => {
  it("spec-docs --check exits 0: docs/spec.md matches the schema", () => {
    const result = runScript(repo, "--check");
    expect(result.stderr).not.toMatch(/out of date|missing/);
    expect(result.code, `${result.stderr}\nRun 'npm run docs' and commit docs/spec.md.`).toBe(0);
  });

  it("every property in the schema has a non-empty description (its own or its $ref target's)", () => {
    const schema = JSON.parse(readFileSync(path.join(repo, SCHEMA), "utf8")) as SchemaNode;
    expect(undescribed(schema)).toEqual([]);
  });
});

describe("scripts/spec-docs.js", () => {
  let work: string | undefined;

  afterEach(() => {
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
    work = undefined;
  });

  /** A copy of the script and the schema, so that the real docs/spec.md is never touched. */
  function sandbox(): string {
    work = mkdtempSync(path.join(tmpdir(), "switchboard-spec-docs-"));
    for (const file of [SCRIPT, SCHEMA]) cpSync(path.join(repo, file), path.join(work, file));
    mkdirSync(path.join(work, "docs"));
    return work;
  }

  it("--check exits 1 and names the file when docs/spec.md is stale, then 0 once regenerated", () => {
    const dir = sandbox();
    writeFileSync(path.join(dir, DOCS), "# stale\n");
    const stale = runScript(dir, "--check");
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain("docs/spec.md is out of date: run 'npm run docs'");
    expect(readFileSync(path.join(dir, DOCS), "utf8")).toBe("# stale\n");

    const written = runScript(dir);
    expect(written.code).toBe(0);
    expect(written.stdout).toBe("wrote docs/spec.md\n");
    expect(runScript(dir, "--check").code).toBe(0);
  });

  it("writes the same bytes as the checked-in docs/spec.md (deterministic output)", () => {
    const dir = sandbox();
    expect(runScript(dir).code).toBe(0);
    expect(readFileSync(path.join(dir, DOCS), "utf8")).toBe(readFileSync(path.join(repo, DOCS), "utf8"));
  });

  it("--check exits 1 when docs/spec.md is missing", () => {
    const dir = sandbox();
    const result = runScript(dir, "--check");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("docs/spec.md is missing");
  });

  it("exits 2 on an unknown argument", () => {
    const result = runScript(sandbox(), "--bogus");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown argument --bogus");
  });
});
