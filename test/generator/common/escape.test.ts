/**
 * Table-driven tests of generator/escape.ts, plus properties checked with TypeScript's own scanner:
 * whatever the input, the escaped text stays inside its literal or comment and means the input.
 */
import fc from "fast-check";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { docText, lineCommentText, propertyKey, stringLiteral, templatePart } from "../../../generator/common/escape.js";

/** Strings that try to break out of every context, and random ones with lone surrogates and controls. */
const hostile = fc.oneof(
  fc.string({ unit: "binary", maxLength: 30 }),
  fc
    .array(
      fc.constantFrom(
        "*/",
        "/*",
        "*",
        "/",
        "`",
        "${",
        "$",
        "{",
        "}",
        "\\",
        '"',
        "'",
        "\n",
        "\r",
        "\r\n",
        "\u2028",
        "\u2029",
        "\u0085",
        "\u0000",
        "\u001b",
        "\u007f",
        "\u202e",
        "\u2066",
        "\ud800",
        "\udc00",
        "@",
        " ",
        "x",
        "</script>",
        "__pwned()",
      ),
      { maxLength: 12 },
    )
    .map((parts) => parts.join("")),
);

function parse(text: string): ts.SourceFile {
  return ts.createSourceFile("x.ts", text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
}

function parseErrors(file: ts.SourceFile): string[] {
  const diagnostics = (file as unknown as { parseDiagnostics: readonly ts.Diagnostic[] }).parseDiagnostics;
  return diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

describe("stringLiteral", () => {
  it.each<[string, string]>([
    ["abc", '"abc"'],
    ['a"b', '"a\\"b"'],
    ["a'b", `"a'b"`],
    ["a\\b", '"a\\\\b"'],
    ["a\nb", '"a\\nb"'],
    ["a\rb", '"a\\rb"'],
    ["\u0000", '"\\u0000"'],
    ["\u001b", '"\\u001b"'],
    ["\u2028", '"\\u2028"'],
    ["\u2029", '"\\u2029"'],
    ["\u202e", '"\\u202e"'],
    ["\u2066x\u2069", '"\\u2066x\\u2069"'],
    ["\ud800", '"\\ud800"'],
    ["`${x}`", '"`${x}`"'],
    ["</script>", '"</script>"'],
    ["日本語", '"日本語"'],
    ["", '""'],
  ])("stringLiteral(%j) = %s", (value, expected) => {
    expect(stringLiteral(value)).toBe(expected);
  });

  it("is one string literal whose value is the input (TypeScript) and valid JSON", () => {
    fc.assert(
      fc.property(hostile, (value) => {
        const literal = stringLiteral(value);
        expect(literal).not.toMatch(/[\n\r\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
        expect(JSON.parse(literal)).toBe(value);
        const file = parse(`export const x = ${literal};`);
        expect(parseErrors(file)).toEqual([]);
        expect(file.statements).toHaveLength(1);
        const init = (file.statements[0] as ts.VariableStatement).declarationList.declarations[0]!.initializer!;
        expect(ts.isStringLiteral(init) && init.text).toBe(value);
      }),
      { numRuns: 500 },
    );
  });
});

describe("docText", () => {
  it.each<[string, string]>([
    ["A customer.", "A customer."],
    ["a */ b", "a *\\/ b"],
    ["a /* b", "a /\\* b"],
    ["/*/", "/\\*\\/"],
    ["*/*", "*\\/\\*"],
    ["**/", "**\\/"],
    // Line breaks of every kind become \n.
    ["a\r\nb\rc\u2028d\u2029e\u0085f\ng", "a\nb\nc\nd\ne\nf\ng"],
    // Control and bidi characters are dropped, before the terminator check.
    ["a\u0000b\u001bc\u007fd", "abcd"],
    ["*\u0000/", "*\\/"],
    ["*\u202e/", "*\\/"],
    ["\u202eabc\u2066", "abc"],
    // A line starting with @ would be a tag.
    ["@param x", "\\@param x"],
    ["a\n  @deprecated", "a\n  \\@deprecated"],
    ["mail@example.com", "mail@example.com"],
    ["  padded  ", "padded"],
    ["tab\there", "tab\there"],
    ["`${x}` \\ \"'", "`${x}` \\ \"'"],
  ])("docText(%j) = %j", (value, expected) => {
    expect(docText(value)).toBe(expected);
  });

  it("cannot end or open a comment, and keeps the comment one comment", () => {
    fc.assert(
      fc.property(hostile, (value) => {
        const text = docText(value);
        expect(text).not.toContain("*/");
        expect(text).not.toContain("/*");
        expect(text).not.toMatch(/[\r\u2028\u2029\u0085\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/);
        const comment = `/**\n * ${text.split("\n").join("\n * ")}\n */\nexport const x = 1;`;
        const file = parse(comment);
        expect(parseErrors(file)).toEqual([]);
        expect(file.statements).toHaveLength(1);
        // Everything before the declaration is the one comment.
        const ranges = ts.getLeadingCommentRanges(comment, 0) ?? [];
        expect(ranges).toHaveLength(1);
        expect(ranges[0]!.end).toBe(comment.indexOf("\nexport const x"));
      }),
      { numRuns: 500 },
    );
  });
});

describe("lineCommentText", () => {
  it.each<[string, string]>([
    ["specs/stripe.yaml", "specs/stripe.yaml"],
    ["a\nb", "a b"],
    ["a\r\nb", "a b"],
    ["a\rb", "a b"],
    ["a\u2028b\u2029c\u0085d", "a b c d"],
    ["a\u0000b\u001b", "ab"],
    ["a\u202eb", "ab"],
    // A block comment terminator is harmless in a line comment.
    ["*/ x", "*/ x"],
  ])("lineCommentText(%j) = %j", (value, expected) => {
    expect(lineCommentText(value)).toBe(expected);
  });

  it("stays on its line", () => {
    fc.assert(
      fc.property(hostile, (value) => {
        const source = `// ${lineCommentText(value)}\nexport const x = 1;`;
        const file = parse(source);
        expect(parseErrors(file)).toEqual([]);
        expect(file.statements).toHaveLength(1);
        expect(file.statements[0]!.getStart()).toBe(source.indexOf("\nexport const x") + 1);
      }),
      { numRuns: 500 },
    );
  });
});

describe("templatePart", () => {
  it.each<[string, string]>([
    ["/v1/customers/", "/v1/customers/"],
    ["`", "\\`"],
    ["${x}", "\\${x}"],
    ["$", "\\$"],
    ["a$", "a\\$"],
    ["\\", "\\\\"],
    ["\\u0041", "\\\\u0041"],
    ["\u2028", "\\u2028"],
    ["\u0000", "\\u0000"],
    ["\u001b", "\\u001b"],
    ["\u202e", "\\u202e"],
    // A raw CR in a template reads as LF.
    ["\n", "\\n"],
    ["\r\n", "\\r\\n"],
    ["\r", "\\r"],
    ["\t", "\t"],
  ])("templatePart(%j) = %j", (value, expected) => {
    expect(templatePart(value)).toBe(expected);
  });

  /** The cooked strings of a tagged template, as TypeScript reads them. */
  function cookedParts(source: string): { texts: string[]; substitutions: number } {
    const file = parse(source);
    expect(parseErrors(file)).toEqual([]);
    const statement = file.statements[0] as ts.ExpressionStatement;
    const tagged = statement.expression as ts.TaggedTemplateExpression;
    const template = tagged.template;
    if (ts.isNoSubstitutionTemplateLiteral(template)) return { texts: [template.text], substitutions: 0 };
    return {
      texts: [template.head.text, ...template.templateSpans.map((s) => s.literal.text)],
      substitutions: template.templateSpans.length,
    };
  }

  it("means the input, adds no substitution, and can be put next to another part", () => {
    fc.assert(
      fc.property(hostile, hostile, (a, b) => {
        const alone = cookedParts(`tag\`${templatePart(a)}\`;`);
        expect(alone).toEqual({ texts: [a], substitutions: 0 });
        // Two static parts side by side (a part ending in $ before one starting with {).
        const joined = cookedParts(`tag\`${templatePart(a)}${templatePart(b)}\`;`);
        expect(joined).toEqual({ texts: [a + b], substitutions: 0 });
        // Around a real substitution.
        const around = cookedParts(`tag\`${templatePart(a)}\${value}${templatePart(b)}\`;`);
        expect(around).toEqual({ texts: [a, b], substitutions: 1 });
      }),
      { numRuns: 500 },
    );
  });

  it("a part ending in $ before a literal {apiVersion} does not open a substitution", () => {
    expect(cookedParts(`tag\`${templatePart("/a$")}${templatePart("{apiVersion}")}\`;`)).toEqual({
      texts: ["/a${apiVersion}"],
      substitutions: 0,
    });
  });
});

describe("propertyKey", () => {
  it.each<[string, string]>([
    ["abc", "abc"],
    ["_", "_"],
    ["$x", "$x"],
    ["a1", "a1"],
    ["class", "class"],
    ["constructor", "constructor"],
    ["a-b", '"a-b"'],
    ["1a", '"1a"'],
    ["a b", '"a b"'],
    ["", '""'],
    ["日本語", '"日本語"'],
    ["a\u2028b", '"a\\u2028b"'],
    // Bare or quoted, __proto__ in an object literal sets the prototype: it must be computed.
    ["__proto__", '["__proto__"]'],
    ["__proto__x", "__proto__x"],
  ])("propertyKey(%j) = %s", (key, expected) => {
    expect(propertyKey(key)).toBe(expected);
  });

  it("defines exactly that own property, and never the prototype", () => {
    fc.assert(
      fc.property(fc.oneof(hostile, fc.constantFrom("__proto__", "constructor", "toString", "prototype")), (key) => {
        // eslint-disable-next-line @typescript-eslint/no-implied-eval
        const object = new Function(`return { ${propertyKey(key)}: 1 };`)() as Record<string, unknown>;
        expect(Object.getPrototypeOf(object)).toBe(Object.prototype);
        expect(Object.keys(object)).toEqual([key]);
        expect(Object.getOwnPropertyDescriptor(object, key)?.value).toBe(1);
        // And TypeScript reads it as one property of that name.
        const file = parse(`export const x = { ${propertyKey(key)}: 1 };`);
        expect(parseErrors(file)).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });
});

describe("stringLiteral and ts-morph's writer", () => {
  it("never ends a literal with an escaped backslash, which the writer takes for an escaped quote", () => {
    expect(stringLiteral("/\\")).toBe('"/\\u005c"');
    expect(stringLiteral("a\\\\")).toBe('"a\\\\\\u005c"');
    expect(stringLiteral('\\"')).toBe('"\\\\\\""');
    expect(JSON.parse(stringLiteral("/\\"))).toBe("/\\");
  });
});
