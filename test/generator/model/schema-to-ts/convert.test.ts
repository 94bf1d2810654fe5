/**
 * The JSON Schema to TypeScript converter, construct by construct (given a schema, want the type
 * text), then the named declarations of $ref targets, warnings, and a strict compile of the output.
 */
import { describe, expect, it } from "vitest";
import { nodesOnCycles } from "../../../../generator/model/schema-to-ts/cycles.js";
import {
  arrayOf,
  eagerReferences,
  intersection,
  literalType,
  objectType,
  ref,
  tupleOf,
  union,
} from "../../../../generator/model/schema-to-ts/type-tree.js";
import { SchemaConverter, type SchemaDocument } from "../../../../generator/model/schema-to-ts/index.js";
import { typecheck } from "../../../helpers/typecheck.js";

/** Whitespace-insensitive: the converter's line breaks are prettier's business. */
const squash = (text: string) => text.replace(/\s+/g, " ").replace(/\{ /g, "{ ").trim();

function convert(schema: unknown, root: unknown = {}) {
  const document: SchemaDocument = { id: "doc.json", root };
  const converter = new SchemaConverter();
  const type = converter.typeOf(schema, { document, path: ["given"] });
  const result = converter.finish();
  return { type: squash(result.text(type)), result };
}

const table: readonly { name: string; given: unknown; want: string }[] = [
  { name: "string", given: { type: "string" }, want: "string" },
  { name: "integer is number", given: { type: "integer", format: "int64", minimum: 1 }, want: "number" },
  { name: "number", given: { type: "number" }, want: "number" },
  { name: "boolean", given: { type: "boolean" }, want: "boolean" },
  { name: "null", given: { type: "null" }, want: "null" },
  { name: "type array", given: { type: ["string", "null"] }, want: "string | null" },
  { name: "OpenAPI 3.0 nullable", given: { type: "string", nullable: true }, want: "string | null" },
  { name: "string enum", given: { type: "string", enum: ["a", "b"] }, want: '"a" | "b"' },
  { name: "mixed enum", given: { enum: ["a", 1, true, null] }, want: '"a" | 1 | true | null' },
  { name: "const", given: { const: "opened" }, want: '"opened"' },
  { name: "enum values escaped", given: { enum: ['say "hi"\n', "\u2028"] }, want: '"say \\"hi\\"\\n" | "\\u2028"' },
  { name: "true schema", given: true, want: "unknown" },
  { name: "false schema", given: false, want: "never" },
  { name: "empty schema", given: {}, want: "unknown" },
  {
    name: "object: required and optional, sorted",
    given: { type: "object", properties: { b: { type: "string" }, a: { type: "number" } }, required: ["b"] },
    want: "{ a?: number; b: string; }",
  },
  {
    name: "object: required without a property schema",
    given: { type: "object", required: ["id"], properties: {} },
    want: "{ id: unknown; }",
  },
  {
    name: "object: keys that are not identifiers are quoted",
    // JSON.parse makes __proto__ an own key, as a parsed document would have it.
    given: JSON.parse(
      '{ "type": "object", "properties": { "x-y": { "type": "string" }, "__proto__": { "type": "number" }, "a\\"b": {} } }',
    ),
    want: '{ ["__proto__"]?: number; "a\\"b"?: unknown; "x-y"?: string; }',
  },
  {
    name: "object: description and deprecated become JSDoc, escaped",
    given: { type: "object", properties: { a: { type: "string", description: "ends */ here", deprecated: true } } },
    want: "{ /** * ends *\\/ here * @deprecated */ a?: string; }",
  },
  { name: "object without properties", given: { type: "object" }, want: "{ [key: string]: unknown; }" },
  {
    name: "additionalProperties: schema",
    given: { type: "object", additionalProperties: { type: "number" } },
    want: "{ [key: string]: number; }",
  },
  { name: "additionalProperties: false", given: { type: "object", additionalProperties: false }, want: "{ [key: string]: never }" },
  {
    name: "additionalProperties beside properties widens the index",
    given: { type: "object", properties: { a: { type: "string" } }, required: ["a"], additionalProperties: { type: "number" } },
    want: "{ a: string; [key: string]: number | string; }",
  },
  {
    name: "closed object",
    given: { type: "object", properties: { a: { type: "string" } }, additionalProperties: false },
    want: "{ a?: string; }",
  },
  { name: "array", given: { type: "array", items: { type: "string" } }, want: "string[]" },
  { name: "array of a union", given: { type: "array", items: { type: ["string", "number"] } }, want: "(string | number)[]" },
  { name: "array without items", given: { type: "array" }, want: "unknown[]" },
  {
    name: "tuple (prefixItems)",
    given: { type: "array", prefixItems: [{ type: "string" }, { type: "number" }], items: false },
    want: "[string, number]",
  },
  { name: "open tuple", given: { prefixItems: [{ type: "string" }] }, want: "[string, ...unknown[]]" },
  { name: "oneOf is a union", given: { oneOf: [{ type: "string" }, { type: "number" }] }, want: "string | number" },
  { name: "anyOf is a union", given: { anyOf: [{ type: "string" }, { type: "null" }] }, want: "string | null" },
  {
    name: "allOf is an intersection",
    given: {
      allOf: [
        { type: "object", properties: { a: { type: "string" } } },
        { type: "object", properties: { b: { type: "string" } } },
      ],
    },
    want: "{ a?: string; } & { b?: string; }",
  },
  {
    name: "a union inside an intersection is parenthesized",
    given: { allOf: [{ oneOf: [{ type: "string" }, { type: "number" }] }, { type: "string" }] },
    want: "(string | number) & string",
  },
  {
    name: "properties beside oneOf are intersected",
    given: {
      type: "object",
      properties: { kind: { type: "string" } },
      required: ["kind"],
      oneOf: [
        { type: "object", properties: { a: { type: "string" } } },
        { type: "object", properties: { b: { type: "string" } } },
      ],
    },
    want: "{ kind: string; } & ({ a?: string; } | { b?: string; })",
  },
  {
    name: "an open object beside oneOf adds nothing",
    given: { type: "object", oneOf: [{ type: "string" }, { type: "number" }] },
    want: "string | number",
  },
  { name: "nullable beside allOf", given: { nullable: true, allOf: [{ type: "string" }] }, want: "string | null" },
  { name: "unknown absorbs a union", given: { anyOf: [{ type: "string" }, {}] }, want: "unknown" },
  { name: "duplicates in a union are dropped", given: { oneOf: [{ type: "string" }, { type: "string" }] }, want: "string" },
  { name: "not degrades to unknown", given: { type: "string", not: { const: "x" } }, want: "unknown" },
  { name: "if/then degrades to unknown", given: { type: "object", if: {}, then: {} }, want: "unknown" },
  { name: "patternProperties degrades to unknown", given: { type: "object", patternProperties: { "^x": {} } }, want: "unknown" },
  { name: "unknown type degrades to unknown", given: { type: "file" }, want: "unknown" },
  { name: "object enum value degrades to unknown", given: { enum: [{ a: 1 }] }, want: "unknown" },
  { name: "unresolvable $ref degrades to unknown", given: { $ref: "other.json#/x" }, want: "unknown" },
];

describe("discriminator without a mapping", () => {
  it("keeps a member that states its own tag as it is and tags the others with their schema's name", () => {
    const root = {
      defs: {
        cat: { type: "object", required: ["petType"], properties: { petType: { const: "cat" } } },
        Dog: { type: "object", properties: { bark: { type: "boolean" } } },
      },
    };
    const { type } = convert({ discriminator: { propertyName: "petType" }, oneOf: [{ $ref: "#/defs/cat" }, { $ref: "#/defs/Dog" }] }, root);
    // cat states its tag: no intersection with a name (which would be never had the schema another name).
    expect(type).toBe('Cat | Dog & { petType: "Dog"; }');
  });
});

describe("SchemaConverter.typeOf", () => {
  it.each(table)("$name", ({ given, want }) => {
    expect(convert(given).type).toBe(want);
  });
});

describe("SchemaConverter warnings", () => {
  it.each([
    [{ not: {} }, /not cannot be expressed/],
    [{ if: {}, then: {}, else: {} }, /if, then, else cannot be expressed/],
    [{ type: "file" }, /unknown type "file"/],
    [{ $ref: "#/missing" }, /cannot resolve \$ref "#\/missing"/],
    [{ enum: [[1]] }, /no literal type/],
  ])("warns about %j and points at it", (given, message) => {
    const { result } = convert(given);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]!.message).toMatch(message);
    expect(result.warnings[0]!.location.path[0]).toBe("given");
  });

  it("supported schemas convert without warnings", () => {
    for (const { given, want } of table) if (want !== "unknown") expect(convert(given).result.warnings, JSON.stringify(given)).toEqual([]);
  });

  it("refuses nesting deeper than 64 levels", () => {
    let schema: unknown = { type: "string" };
    for (let i = 0; i < 100; i++) schema = { type: "array", items: schema };
    const { type, result } = convert(schema);
    expect(type).toMatch(/^unknown(\[\])+$/);
    expect(result.warnings[0]!.message).toMatch(/nested deeper than 64/);
  });
});

describe("SchemaConverter declarations", () => {
  const root = {
    components: {
      schemas: {
        "simple-user": { type: "object", description: "A GitHub user.", properties: { login: { type: "string" } }, required: ["login"] },
        node: {
          type: "object",
          properties: { value: { type: "string" }, children: { type: "array", items: { $ref: "#/components/schemas/node" } } },
          required: ["value", "children"],
        },
        simple_user: { type: "string", deprecated: true },
        string: { type: "string" },
        unused: { type: "number" },
      },
    },
  };

  it("a $ref becomes a named declaration with its description; unreferenced schemas are left out", () => {
    const { type, result } = convert({ $ref: "#/components/schemas/simple-user" }, root);
    expect(type).toBe("SimpleUser");
    expect(result.declarations).toEqual([
      { name: "SimpleUser", id: "doc.json#/components/schemas/simple-user", type: "{\nlogin: string;\n}", description: "A GitHub user." },
    ]);
  });

  it("recursive references name their own declaration", () => {
    const { type, result } = convert({ $ref: "#/components/schemas/node" }, root);
    expect(type).toBe("Node");
    expect(squash(result.declarations[0]!.type)).toBe("{ children: Node[]; value: string; }");
  });

  it("colliding names are numbered in code-point order of their pointer, whatever the visiting order", () => {
    const a = convert({ oneOf: [{ $ref: "#/components/schemas/simple_user" }, { $ref: "#/components/schemas/simple-user" }] }, root);
    const b = convert({ oneOf: [{ $ref: "#/components/schemas/simple-user" }, { $ref: "#/components/schemas/simple_user" }] }, root);
    expect(a.type).toBe("SimpleUser_2 | SimpleUser");
    expect(b.type).toBe("SimpleUser | SimpleUser_2");
    expect(a.result.declarations.map((d) => [d.name, d.id, d.deprecated])).toEqual([
      ["SimpleUser", "doc.json#/components/schemas/simple-user", undefined],
      ["SimpleUser_2", "doc.json#/components/schemas/simple_user", true],
    ]);
  });

  it("reserved names are avoided; references can be qualified", () => {
    const converter = new SchemaConverter();
    const document = { id: "doc.json", root };
    const type = converter.typeOf(
      { oneOf: [{ $ref: "#/components/schemas/string" }, { $ref: "#/components/schemas/simple-user" }] },
      { document, path: [] },
    );
    const result = converter.finish({ reserved: ["SimpleUser"] });
    expect(result.text(type)).toBe("String | SimpleUser_2");
    expect(result.text(type, (n) => `p.${n}`)).toBe("p.String | p.SimpleUser_2");
  });

  it("every row of the table and the declarations compile under the repo's strict options", () => {
    const lines: string[] = [];
    table.forEach(({ given }, i) => {
      const { type, result } = convert(given, root);
      lines.push(`export type T${i} = ${type};`);
      for (const d of result.declarations) lines.push(`export type T${i}_${d.name} = ${d.type};`);
    });
    const { type, result } = convert(
      { oneOf: [{ $ref: "#/components/schemas/node" }, { $ref: "#/components/schemas/simple-user" }] },
      root,
    );
    lines.push(`export type Root = ${type};`, ...result.declarations.map((d) => `export type ${d.name} = ${d.type};`));
    lines.push(`export const sample: Root = { value: "a", children: [{ value: "b", children: [] }] };`);
    lines.push(`// @ts-expect-error children is required`, `export const bad: Root = { value: "a" };`);
    expect(typecheck({ "types.ts": lines.join("\n") }).diagnostics).toEqual([]);
  });
});

describe("SchemaConverter shared object types", () => {
  // Long enough (at least 200 characters of type text) to be worth a declaration of its own.
  const user = (extra: Record<string, unknown> = {}) => ({
    type: ["object", "null"],
    required: ["login", "id"],
    properties: {
      login: { type: "string", description: "The handle." },
      id: { type: "integer" },
      avatar_url: { type: "string", format: "uri" },
      html_url: { type: "string", format: "uri" },
      site_admin: { type: "boolean" },
      type: { enum: ["Bot", "User", "Organization"] },
      events_url: { type: "string" },
      followers_url: { type: "string" },
      node_id: { type: "string" },
    },
    ...extra,
  });

  it("an object type written out in two places becomes one declaration named after the first property (in pointer order)", () => {
    const { type, result } = convert({
      type: "object",
      properties: { sender: user(), assignee: user(), labels: { type: "array", items: { type: "string" } } },
    });
    expect(type).toBe("{ assignee?: Assignee | null; labels?: string[]; sender?: Assignee | null; }");
    expect(result.declarations.map((d) => [d.name, d.id])).toEqual([["Assignee", "doc.json#/given/properties/assignee"]]);
    expect(squash(result.declarations[0]!.type)).toMatch(
      /^\{ avatar_url\?: string; events_url\?: string; followers_url\?: string; html_url\?: string; id: number; \/\*\* The handle\. \*\/ login: string;/,
    );
  });

  it("a title names the shared declaration; its description documents it", () => {
    const { type, result } = convert({
      type: "object",
      properties: { b: user({ title: "User", description: "A GitHub user." }), a: user() },
    });
    // The first occurrence in pointer order (a) has no title: the name comes from its property.
    expect(type).toBe("{ a?: A | null; /** A GitHub user. */ b?: A | null; }");
    const titled = convert({ type: "object", properties: { a: user({ title: "User", description: "A GitHub user." }), b: user() } });
    expect(titled.type).toBe("{ /** A GitHub user. */ a?: User | null; b?: User | null; }");
    expect(titled.result.declarations.map((d) => [d.name, d.description])).toEqual([["User", "A GitHub user."]]);
    expect(result.declarations.map((d) => [d.name, d.description])).toEqual([["A", undefined]]);
  });

  it("an object type written once, or a short one written twice, stays inline", () => {
    const once = convert({ type: "object", properties: { sender: user() } });
    expect(once.result.declarations).toEqual([]);
    expect(once.type).toMatch(/^\{ sender\?: \{ avatar_url\?: string;/);
    const short = { type: "object", properties: { x: { type: "string" } } };
    const twice = convert({ type: "object", properties: { a: short, b: short } });
    expect(twice.type).toBe("{ a?: { x?: string; }; b?: { x?: string; }; }");
  });

  it("a $ref'ed declaration does not share its own object type out of itself, but uses shared ones inside", () => {
    const root = { components: { schemas: { issue: { type: "object", properties: { user: user(), closed_by: user() } }, other: user() } } };
    const { type, result } = convert({ oneOf: [{ $ref: "#/components/schemas/issue" }, { $ref: "#/components/schemas/other" }] }, root);
    expect(type).toBe("Issue | Other");
    expect(result.declarations.map((d) => d.name)).toEqual(["ClosedBy", "Issue", "Other"]);
    expect(squash(result.declarations[1]!.type)).toBe("{ closed_by?: ClosedBy | null; user?: ClosedBy | null; }");
    expect(squash(result.declarations[2]!.type)).toMatch(/^\{ avatar_url\?: string;.* \} \| null$/);
  });

  it("names do not depend on the order schemas are converted in", () => {
    const document: SchemaDocument = { id: "doc.json", root: {} };
    const run = (order: readonly string[]) => {
      const converter = new SchemaConverter();
      const texts = order.map((p) => converter.typeOf({ type: "object", properties: { [p]: user() } }, { document, path: [p] }));
      const result = converter.finish();
      return [texts.map((t) => squash(result.text(t))), result.declarations.map((d) => d.name)];
    };
    const [forward, names] = run(["zeta", "alpha"]);
    const [backward, namesBackward] = run(["alpha", "zeta"]);
    expect(names).toEqual(["Alpha"]);
    expect(namesBackward).toEqual(names);
    expect(forward).toEqual(["{ zeta?: Alpha | null; }", "{ alpha?: Alpha | null; }"]);
    expect(backward).toEqual(["{ alpha?: Alpha | null; }", "{ zeta?: Alpha | null; }"]);
  });
});

describe("SchemaConverter circular references", () => {
  const defs = {
    self: { oneOf: [{ $ref: "#/defs/self" }, { type: "string" }] },
    ping: { allOf: [{ $ref: "#/defs/pong" }] },
    pong: { anyOf: [{ $ref: "#/defs/ping" }, { type: "number" }] },
    list: { type: "array", items: { $ref: "#/defs/list" } },
    tree: { oneOf: [{ type: "string" }, { type: "array", items: { oneOf: [{ $ref: "#/defs/tree" }, { type: "number" }] } }] },
    node: { type: "object", properties: { next: { $ref: "#/defs/node" } } },
    tuple: { prefixItems: [{ $ref: "#/defs/tuple" }], items: false },
  };
  const run = (names: readonly string[]) => {
    const converter = new SchemaConverter();
    const document: SchemaDocument = { id: "doc.json", root: { defs } };
    const texts = names.map((n) => converter.typeOf({ $ref: `#/defs/${n}` }, { document, path: ["root", n] }));
    const result = converter.finish();
    return { texts: texts.map((t) => result.text(t)), result };
  };

  it("a declaration that refers to itself through a union or intersection becomes unknown, with a warning at it", () => {
    const { result } = run(["self", "ping"]);
    expect(result.declarations.map((d) => [d.name, d.type])).toEqual([
      ["Ping", "unknown"],
      ["Pong", "unknown"],
      ["Self", "unknown"],
    ]);
    expect(result.warnings.map((w) => [w.location.path.join("/"), w.message])).toEqual([
      ["defs/self", "refers to itself other than through an object, array or tuple; the type is unknown"],
      ["defs/ping", "refers to itself other than through an object, array or tuple; the type is unknown"],
      ["defs/pong", "refers to itself other than through an object, array or tuple; the type is unknown"],
    ]);
  });

  it("recursion through an array, a tuple or an object property stays typed and compiles", () => {
    const { result } = run(["list", "tree", "node", "tuple"]);
    expect(result.warnings).toEqual([]);
    expect(result.declarations.map((d) => [d.name, squash(d.type)])).toEqual([
      ["List", "List[]"],
      ["Node", "{ next?: Node; }"],
      ["Tree", "string | (Tree | number)[]"],
      ["Tuple", "[Tuple]"],
    ]);
    const source = result.declarations.map((d) => `export type ${d.name} = ${d.type};`).join("\n");
    expect(typecheck({ "cycles.ts": `${source}\nexport const t: Tree = ["a", [1, "b"]];` }).diagnostics).toEqual([]);
  });

  const [A, B, C, D, E, F] = [0, 1, 2, 3, 4, 5].map(ref);
  it.each([
    ["A | B", union([A!, B!]), [0, 1]],
    [
      "{ a: A } | B[] | (C | D)[] | [E] | F",
      union([objectType([{ name: "a", type: A!, optional: false }]), arrayOf(B!), arrayOf(union([C!, D!])), tupleOf([E!], undefined), F!]),
      [5],
    ],
    ['"A{" | A', union([literalType("A{")!, A!]), [0]],
    ["{ [key: string]: A } & B", intersection([objectType([], A!), B!]), [1]],
    ["(A | B)[] | C", union([arrayOf(union([A!, B!])), C!]), [2]],
    ["A & (B | C)", intersection([A!, union([B!, C!])]), [0, 1, 2]],
  ] as const)("eagerReferences(%s) finds %j", (_, given, want) => {
    expect(eagerReferences(given)).toEqual(want);
  });

  it("nodesOnCycles finds self-loops and longer cycles only", () => {
    const edges = new Map<number, number[]>([
      [0, [0]],
      [1, [2]],
      [2, [3]],
      [3, [1]],
      [4, [1]],
      [5, []],
    ]);
    expect([...nodesOnCycles(edges)].sort()).toEqual([0, 1, 2, 3]);
  });
});
