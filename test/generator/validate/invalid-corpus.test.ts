/**
 * The invalid-spec corpus: every test/fixtures/invalid/<name>.yaml is paired with <name>.expected.txt,
 * one line per diagnostic, `LINE:COL SEVERITY CODE | text the message contains`, in the order loadSpec
 * reports them (sorted by position). Positions were checked by hand against the fixtures: the key for
 * unknown and duplicate keys, the value for wrong values, the mapping for missing properties.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { resolveConfig } from "../../../generator/config.js";
import { DiagnosticCode, formatDiagnostic, type Diagnostic } from "../../../generator/diagnostics.js";
import { readSpec } from "../../../generator/generate.js";
import { loadSpec, type LoadResult } from "../../../generator/load.js";

const repo = path.resolve(import.meta.dirname, "../../..");
const corpusDir = path.join(repo, "test", "fixtures", "invalid");

interface Expected {
  readonly position: string;
  readonly contains: string;
}

interface Fixture {
  readonly name: string;
  readonly displayPath: string;
  readonly text: string;
  readonly expected: readonly Expected[];
}

const EXPECTED_LINE = /^(\d+:\d+ (?:error|warning) SB\d{4}) \| (.+)$/;

function readExpected(file: string): Expected[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const match = EXPECTED_LINE.exec(line);
      if (!match) throw new Error(`${path.basename(file)}: malformed expectation ${JSON.stringify(line)}`);
      return { position: match[1]!, contains: match[2]! };
    });
}

const files = readdirSync(corpusDir).sort();
const fixtures: Fixture[] = files
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => ({
    name: f.replace(/\.yaml$/, ""),
    displayPath: `test/fixtures/invalid/${f}`,
    // Read as the CLI does (readFile utf8 keeps a byte order mark, which one fixture has).
    text: readFileSync(path.join(corpusDir, f), "utf8"),
    expected: readExpected(path.join(corpusDir, f.replace(/\.yaml$/, ".expected.txt"))),
  }));

function load(fixture: Fixture): LoadResult {
  let result: LoadResult | undefined;
  expect(() => {
    result = loadSpec(fixture.displayPath, fixture.text);
  }).not.toThrow();
  return result!;
}

function position(d: Diagnostic): string {
  return `${d.line}:${d.column} ${d.severity} ${d.code}`;
}

/** Codes of the parse, schema and semantic stages that no fixture can produce, and why. */
const NOT_IN_CORPUS: Record<string, string> = {
  [DiagnosticCode.ReadFailed]: "needs a file that cannot be read, not a fixture; covered by the readSpec test below",
  [DiagnosticCode.SchemaOther]:
    "fallback for JSON Schema keywords without a dedicated message; every keyword spec-v1.schema.json uses has one (propertyNames errors are reported through the keyword that failed)",
};

describe("invalid spec corpus", () => {
  it("has at least 30 fixtures, each with its expectations and none without a fixture", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(30);
    const names = new Set(fixtures.map((f) => f.name));
    const orphans = files.filter((f) => f.endsWith(".expected.txt") && !names.has(f.replace(/\.expected\.txt$/, "")));
    expect(orphans).toEqual([]);
    expect(files.filter((f) => !f.endsWith(".yaml") && !f.endsWith(".expected.txt"))).toEqual([]);
    for (const fixture of fixtures) expect(fixture.expected.length, fixture.name).toBeGreaterThan(0);
  });

  it.each(fixtures)("$name gives exactly the expected diagnostics and no model", (fixture) => {
    const result = load(fixture);
    expect(result.model).toBeUndefined();
    expect(result.diagnostics.map(position)).toEqual(fixture.expected.map((e) => e.position));
    result.diagnostics.forEach((d, i) => {
      expect(d.message, position(d)).toContain(fixture.expected[i]!.contains);
      expect(d.file).toBe(fixture.displayPath);
      expect(d.length).toBeGreaterThanOrEqual(1);
    });
  });

  it("formats every diagnostic as file:line:col severity code message, with a code frame and a caret line", () => {
    for (const fixture of fixtures) {
      const sourceLines = fixture.text.replace(/^\ufeff/, "").split(/\r\n|\r|\n/);
      for (const d of load(fixture).diagnostics) {
        const [head, ...frame] = formatDiagnostic(d, fixture.text).split("\n");
        expect(head).toBe(`${fixture.displayPath}:${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`);
        expect(head).toMatch(/^test\/fixtures\/invalid\/[a-z0-9-]+\.yaml:\d+:\d+ (error|warning) SB\d{4} \S/);
        const marked = frame.filter((line) => line.startsWith(">"));
        expect(marked, head).toHaveLength(1);
        expect(marked[0]).toMatch(new RegExp(`^> +${d.line} \\|`));
        const caretLine = frame[frame.length - 1]!;
        expect(caretLine, head).toMatch(/^ +\| *\^+$/);
        // On plain ASCII lines the caret sits exactly under the reported column.
        const sourceLine = sourceLines[d.line - 1] ?? "";
        if (/^[\x20-\x7e]*$/.test(sourceLine)) {
          const gutter = caretLine.indexOf("|") + 2;
          expect(caretLine.indexOf("^") - gutter, head).toBe(d.column - 1);
        }
      }
    }
  });

  it("exercises every parse, schema and semantic diagnostic code, except the listed ones", () => {
    const stageCodes = Object.values(DiagnosticCode).filter((code) => /^SB[123]/.test(code));
    const exercised = new Set(fixtures.flatMap((f) => f.expected.map((e) => e.position.split(" ")[2]!)));
    expect(stageCodes.filter((code) => !exercised.has(code) && !(code in NOT_IN_CORPUS))).toEqual([]);
    // The allowlist stays honest: a listed code that a fixture does produce belongs in the corpus instead.
    expect(Object.keys(NOT_IN_CORPUS).filter((code) => exercised.has(code))).toEqual([]);
    for (const code of Object.keys(NOT_IN_CORPUS)) expect(stageCodes).toContain(code);
  });
});

describe("readSpec on a file that cannot be read", () => {
  const config = resolveConfig({ cwd: repo });

  it("reports SB1005 for a missing file, at 1:1, without throwing", async () => {
    const result = await readSpec(config, path.join(corpusDir, "does-not-exist.yaml"));
    expect(result.model).toBeUndefined();
    expect(result.diagnostics.map((d) => [d.file, position(d), d.message])).toEqual([
      ["test/fixtures/invalid/does-not-exist.yaml", "1:1 error SB1005", "cannot read the spec: no such file"],
    ]);
    expect(formatDiagnostic(result.diagnostics[0]!, result.text).split("\n")[0]).toBe(
      "test/fixtures/invalid/does-not-exist.yaml:1:1 error SB1005 cannot read the spec: no such file",
    );
  });

  it("reports SB1005 for a directory", async () => {
    const result = await readSpec(config, corpusDir);
    expect(result.model).toBeUndefined();
    expect(result.diagnostics.map(position)).toEqual(["1:1 error SB1005"]);
    expect(result.diagnostics[0]!.message).toMatch(/^cannot read the spec: /);
  });
});
