import { describe, expect, it } from "vitest";
import { parseSpec, type PathSegment, type SourcePosition } from "../../../generator/parse/parse.js";

// Columns below were counted by hand; the ruler shows where column 1, 11, 21, ... are.
//        1         11        21        31        41        51
const spec = [
  "switchboard: 1", // 1
  "provider:", // 2
  "  name: acme", // 3
  "  title: Acme", // 4
  "environments:", // 5
  "  live: { baseUrl: https://api.acme.test, default: true }", // 6
  "retry:", // 7
  "  statuses:", // 8
  "    - 429", // 9
  "    - [500, 502]", // 10
  "  hints:", // 11
  "    - header: Retry-Hint", // 12
  "      stopWhen:", // 13
  "operations:", // 14
  "  inline:", // 15
  "    widgets.get:", // 16
  "      responses:", // 17
  "        200: { description: OK }", // 18
  "      nested: { a: { b: [1, { c: 2 }] } }", // 19
  "",
].join("\n");

const at = (line: number, column: number, length: number): SourcePosition => ({ line, column, length });

describe("SpecSource.locate", () => {
  const { source, diagnostics } = parseSpec("specs/x.yaml", spec);

  it("parses the table's spec without diagnostics", () => {
    expect(diagnostics).toEqual([]);
  });

  const cases: [string, PathSegment[], "key" | "value", SourcePosition][] = [
    ["the document is its root mapping", [], "value", at(1, 1, 14)],
    ["a scalar value", ["switchboard"], "value", at(1, 14, 1)],
    ["a top-level key", ["switchboard"], "key", at(1, 1, 11)],
    ["the key of a block mapping", ["provider"], "key", at(2, 1, 8)],
    ["a block mapping value starts at its first key (span to the end of that line)", ["provider"], "value", at(3, 3, 10)],
    ["a nested key", ["provider", "title"], "key", at(4, 3, 5)],
    ["a nested value", ["provider", "title"], "value", at(4, 10, 4)],
    ["the key of a flow mapping", ["environments", "live"], "key", at(6, 3, 4)],
    ["a flow mapping value spans its braces", ["environments", "live"], "value", at(6, 9, 49)],
    ["a key inside a flow mapping", ["environments", "live", "baseUrl"], "key", at(6, 11, 7)],
    ["a value inside a flow mapping", ["environments", "live", "baseUrl"], "value", at(6, 20, 21)],
    ["a later key inside a flow mapping", ["environments", "live", "default"], "key", at(6, 43, 7)],
    ["a later value inside a flow mapping", ["environments", "live", "default"], "value", at(6, 52, 4)],
    ["a block sequence item", ["retry", "statuses", 0], "value", at(9, 7, 3)],
    ["a flow sequence inside a block sequence", ["retry", "statuses", 1], "value", at(10, 7, 10)],
    ["an item of a nested sequence", ["retry", "statuses", 1, 1], "value", at(10, 13, 3)],
    ["a sequence item has no key: the item itself", ["retry", "statuses", 1], "key", at(10, 7, 10)],
    ["a key in a mapping inside a sequence", ["retry", "hints", 0, "header"], "key", at(12, 7, 6)],
    ["a value in a mapping inside a sequence", ["retry", "hints", 0, "header"], "value", at(12, 15, 10)],
    ["a key with no value, asked for its value: the key", ["retry", "hints", 0, "stopWhen"], "value", at(13, 7, 8)],
    ["a key with no value, asked for its key", ["retry", "hints", 0, "stopWhen"], "key", at(13, 7, 8)],
    ["below a key with no value: that key", ["retry", "hints", 0, "stopWhen", "deeper"], "value", at(13, 7, 8)],
    ["a numeric key matches its text", ["operations", "inline", "widgets.get", "responses", "200"], "key", at(18, 9, 3)],
    ["the value of a numeric key", ["operations", "inline", "widgets.get", "responses", "200"], "value", at(18, 14, 19)],
    ["deep inside nested flow collections", ["operations", "inline", "widgets.get", "nested", "a", "b", 1, "c"], "value", at(19, 34, 1)],
    [
      "a key deep inside nested flow collections",
      ["operations", "inline", "widgets.get", "nested", "a", "b", 1, "c"],
      "key",
      at(19, 31, 1),
    ],
    ["a missing key: the closest existing ancestor", ["provider", "docsUrl"], "key", at(3, 3, 10)],
    ["a missing top-level key: the document", ["versions", "pinned"], "value", at(1, 1, 14)],
    ["an index past the end: the sequence", ["retry", "statuses", 5], "value", at(9, 5, 5)],
    ["a path through a scalar: the scalar", ["switchboard", "x"], "value", at(1, 14, 1)],
  ];

  it.each(cases)("%s", (_name, path, where, expected) => {
    expect(source.locate(path, where)).toEqual(expected);
  });

  it("diagnostic() combines the position, the JSON pointer and the defaults", () => {
    expect(source.diagnostic(["environments", "live", "baseUrl"], "SB2005", "bad url")).toEqual({
      file: "specs/x.yaml",
      line: 6,
      column: 20,
      length: 21,
      severity: "error",
      code: "SB2005",
      message: "bad url",
      pointer: "/environments/live/baseUrl",
    });
    expect(source.diagnostic(["retry", "statuses", 1], "SB2001", "x", { at: "key", severity: "warning" })).toMatchObject({
      line: 10,
      column: 7,
      severity: "warning",
      pointer: "/retry/statuses/1",
    });
  });
});

describe("parseSpec positions", () => {
  const locate = (text: string, path: PathSegment[], where: "key" | "value" = "value") =>
    parseSpec("x.yaml", text).source.locate(path, where);

  const cases: [string, string, PathSegment[], "key" | "value", SourcePosition][] = [
    ["CRLF line endings do not shift columns or lengths", "a: 1\r\nb:\r\n  c: long\r\n", ["b", "c"], "value", at(3, 6, 4)],
    ["a CRLF key with no value", "a: 1\r\nb:\r\nc: 2\r\n", ["b"], "value", at(2, 1, 1)],
    ["a key with no value at the end of the file", "a: 1\nb:", ["b"], "value", at(2, 1, 1)],
    ["columns count UTF-16 code units (an emoji is two)", 'a: { t: "😀é", u: x }', ["a", "u"], "value", at(1, 19, 1)],
    ["a byte order mark is not a column", "\ufeffa: 1\nb: 2\n", ["a"], "value", at(1, 4, 1)],
    ["a tab counts as one column", "a: {\tb: 1,\tc: 2 }", ["a", "c"], "key", at(1, 12, 1)],
    ["a quoted key", 'a:\n  "b c": 1\n', ["a", "b c"], "key", at(2, 3, 5)],
    ["a null key is the empty property name", "a:\n  null: 1\n", ["a", ""], "key", at(2, 3, 4)],
    ["with a duplicate key, the first pair counts", "a: 1\nb: 2\na: 3\n", ["a"], "value", at(1, 4, 1)],
  ];

  it.each(cases)("%s", (_name, text, path, where, expected) => {
    expect(locate(text, path, where)).toEqual(expected);
  });
});

describe("parseSpec values and diagnostics", () => {
  it("returns the document as plain data", () => {
    const { value, diagnostics } = parseSpec("x.yaml", "a: 1\nb: [x, { c: true }]\nd:\n");
    expect(diagnostics).toEqual([]);
    expect(value).toEqual({ a: 1, b: ["x", { c: true }], d: null });
  });

  it("keeps the first of duplicate keys and reports the later one at its key", () => {
    const { value, diagnostics } = parseSpec("x.yaml", "a: 1\nb: 2\na: 3\n");
    expect(value).toEqual({ a: 1, b: 2 });
    expect(diagnostics.map((d) => [d.line, d.column, d.length, d.code])).toEqual([[3, 1, 1, "SB1002"]]);
  });

  it("shares anchored values instead of copying them", () => {
    const { value, diagnostics } = parseSpec("x.yaml", "a: &x { b: 1 }\nc: *x\n");
    expect(diagnostics).toEqual([]);
    expect(value).toEqual({ a: { b: 1 }, c: { b: 1 } });
  });

  const refused: [string, string, string, string][] = [
    ["empty text", "", "1:1 SB1003", "the spec is empty"],
    ["only a comment", "# x\n", "1:1 SB1003", "the spec is empty"],
    ["a sequence", "- a\n", "1:1 SB1003", "found a sequence"],
    ["a number", "42\n", "1:1 SB1003", "found a number"],
    ["an unknown alias", "a: *nope\n", "1:4 SB1001", "unknown alias *nope"],
    ["a recursive alias", "a: &a [1, *a]\n", "1:11 SB1001", "inside the node it refers to"],
    ["an unclosed flow sequence", "a: [1, 2\nb: 3\n", "1:4 SB1001", 'this "[" is not closed'],
    ["an unclosed single-quoted string", "a: 'x\n", "1:4 SB1001", "expected a closing '"],
    ["a second document", "a: 1\n---\nb: 2\n", "2:1 SB1004", "exactly one YAML document"],
  ];

  it.each(refused)("refuses %s with one diagnostic and no value", (_name, text, where, message) => {
    const { value, diagnostics } = parseSpec("x.yaml", text);
    expect(value).toBeUndefined();
    expect(diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`)).toEqual([where]);
    expect(diagnostics[0]!.message).toContain(message);
  });

  it("reports one syntax error per line, the first, not the ones it causes", () => {
    const { diagnostics } = parseSpec("x.yaml", "a:\n  - [1,\n  2]\n");
    expect(diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`)).toEqual(["2:5 SB1001"]);
  });

  it("refuses too many aliases at the first one over the limit", () => {
    const text = `a: &a x\nb: [${Array.from({ length: 1001 }, () => "*a").join(", ")}]\n`;
    const { value, diagnostics } = parseSpec("x.yaml", text);
    expect(value).toBeUndefined();
    expect(diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`)).toEqual([`2:${5 + 1000 * 4} SB1001`]);
    expect(diagnostics[0]!.message).toContain("more than 1000 aliases");
  });
});
