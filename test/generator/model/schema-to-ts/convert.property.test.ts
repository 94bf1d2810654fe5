/**
 * Property: any JSON Schema, however odd or hostile (names, descriptions, titles and enum values that
 * try to break out of comments and strings), converts without throwing into declarations that compile
 * under the repo's strict options and inject no code. A run batches many schemas into one file, so
 * one type-check covers them all.
 */
import fc from "fast-check";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { formatTypeScript } from "../../../../generator/output/format.js";
import { SchemaConverter, type SchemaDocument } from "../../../../generator/model/schema-to-ts/index.js";
import { typecheck } from "../../../helpers/typecheck.js";

const PWNED = "__pwned";
const HOSTILE = [
  `*/ globalThis.${PWNED} = 1; /*`,
  `"; ${PWNED}(); "`,
  `\u2028${PWNED}();`,
  `\u0000${PWNED}\u0001`,
  `\u00010\u0001`,
  `} ${PWNED}(); {`,
  `@deprecated ${PWNED}`,
  "__proto__",
  "constructor",
  "string",
  "",
];

const text = fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 8 }), fc.constantFrom("id", "user", "type"));

const { schema } = fc.letrec((tie) => ({
  schema: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom<unknown>(true, false, {}, { type: "string" }, { type: "integer" }, { type: ["string", "null"] }, { type: "file" }),
    fc.record({ enum: fc.array(fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null)), { minLength: 1, maxLength: 4 }) }),
    fc.record({ const: text }),
    fc.record(
      {
        type: fc.constantFrom("object", ["object", "null"]),
        title: text,
        description: text,
        properties: fc.dictionary(text, tie("schema"), { maxKeys: 4 }),
        required: fc.array(text, { maxLength: 3 }),
        additionalProperties: fc.oneof(fc.boolean(), tie("schema")),
        nullable: fc.boolean(),
      },
      { requiredKeys: ["type"] },
    ),
    fc.record({ type: fc.constant("array"), items: tie("schema") }, { requiredKeys: ["type"] }),
    fc.record({ prefixItems: fc.array(tie("schema"), { maxLength: 3 }), items: fc.oneof(fc.boolean(), tie("schema")) }),
    fc.record({ oneOf: fc.array(tie("schema"), { maxLength: 3 }) }),
    fc.record({ anyOf: fc.array(tie("schema"), { maxLength: 3 }) }),
    fc.record({ allOf: fc.array(tie("schema"), { maxLength: 3 }) }),
    fc.record({ $ref: fc.constantFrom("#/defs/a", "#/defs/b", "#/defs/missing", "#/defs/a~1b", "other.json#/x", "#") }),
    fc.record({ not: tie("schema") }),
  ),
}));

function identifiers(source: string): string[] {
  const file = ts.createSourceFile("x.ts", source, ts.ScriptTarget.Latest, false);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isIdentifier(node)) found.push(node.text);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe("SchemaConverter on random schemas", () => {
  it("never throws, compiles under strict, and injects nothing", async () => {
    // A new seed every run explores more; a failure names it (replay by putting it here).
    const seed = Date.now() % 2 ** 31;
    const sampled = fc.sample(
      fc.record({
        roots: fc.array(schema, { minLength: 5, maxLength: 12 }),
        defs: fc.record({ a: schema, b: schema, "a/b": schema }),
      }),
      { numRuns: 6, seed },
    );
    // One batch written by hand, so that every run has hostile names, shared objects, a cycle and refs.
    const wide = Object.fromEntries(HOSTILE.map((h, i) => [h, { type: "string", description: h, enum: [h, i] }]));
    const fixed = {
      roots: [
        { type: "object", title: HOSTILE[0], description: HOSTILE[1], properties: wide, required: HOSTILE },
        { type: "object", properties: { one: { type: "object", properties: wide }, two: { type: "object", properties: wide } } },
        { $ref: "#/defs/a" },
        { $ref: "#/defs/a~1b" },
      ],
      defs: {
        a: { oneOf: [{ $ref: "#/defs/a" }, { type: "null" }] },
        b: { type: "array", items: { $ref: "#/defs/b" } },
        "a/b": { not: {} },
      },
    };
    const batches = [fixed, ...sampled];
    const files: Record<string, string> = {};
    for (const [n, { roots, defs }] of batches.entries()) {
      const document: SchemaDocument = { id: `doc${n}.json`, root: { defs } };
      const converter = new SchemaConverter();
      const texts = roots.map((root, i) => converter.typeOf(root, { document, path: ["roots", i] }));
      const result = converter.finish({ reserved: texts.map((_, i) => `Root${i}`) });
      const source = [
        ...texts.map((t, i) => `export type Root${i} = ${result.text(t)};`),
        ...result.declarations.map((d) => `/** ${d.id.replace(/\*\//g, "")} */\nexport type ${d.name} = ${d.type};`),
      ].join("\n");
      expect(source, `seed ${seed}`).not.toMatch(/[\u0000\u0001]/);
      const formatted = await formatTypeScript(source);
      expect(identifiers(formatted), `seed ${seed}`).not.toContain(PWNED);
      files[`batch${n}.ts`] = formatted;
    }
    expect(typecheck(files).diagnostics, `seed ${seed}`).toEqual([]);
  });
});
