/** The declaration printer every emitter goes through: each kind printed as TypeScript that compiles. */
import { describe, expect, it } from "vitest";
import { printDeclarations, type Declaration } from "../../../generator/emit/declarations.js";
import { jsDoc } from "../../../generator/emit/docs.js";
import { typecheck } from "../../helpers/typecheck.js";

const declarations: Declaration[] = [
  { kind: "import", moduleSpecifier: "./a.js", namedImports: ["a", { name: "A", isTypeOnly: true }] },
  { kind: "import", moduleSpecifier: "./b.js", namedImports: [{ name: "B", isTypeOnly: true }] },
  { kind: "import", moduleSpecifier: "./c.js", namespaceImport: "c", isTypeOnly: true },
  { kind: "typeAlias", isExported: true, name: "T", type: "A | B", docs: jsDoc(["One line."]) },
  {
    kind: "interface",
    isExported: true,
    name: "I",
    extends: ["A"],
    docs: jsDoc(["First.", "Second */ closed?"], [{ tagName: "deprecated" }]),
    properties: [{ name: "p", type: "string", isReadonly: true, hasQuestionToken: true, docs: jsDoc(["A property."]) }],
  },
  { kind: "const", name: "o", initializer: "{ x: 1 }", satisfies: "Record<string, number>" },
  {
    kind: "function",
    isExported: true,
    name: "f",
    parameters: [
      { name: "x", type: "number", initializer: "1" },
      { name: "y", type: "string", hasQuestionToken: true },
    ],
    returnType: "number",
    statements: ["return x;"],
  },
  {
    kind: "class",
    isExported: true,
    name: "K",
    properties: [{ name: "#n", type: "number", isReadonly: true }],
    ctor: { parameters: [{ name: "n", type: "number" }], statements: ["this.#n = n;"] },
    methods: [{ name: "get", returnType: "number", statements: ["return this.#n;"], docs: jsDoc([], [{ tagName: "deprecated" }]) }],
  },
  { kind: "export", moduleSpecifier: "./a.js" },
  { kind: "export", moduleSpecifier: "./c.js", namespaceExport: "C", isTypeOnly: true },
];

describe("printDeclarations", () => {
  const text = printDeclarations(declarations);

  it("prints every kind, imports together and a blank line between the rest", () => {
    expect(text).toBe(
      [
        'import { a, type A } from "./a.js";',
        'import type { B } from "./b.js";',
        'import type * as c from "./c.js";',
        "",
        "/** One line. */",
        "export type T = A | B;",
        "",
        "/**\n * First.\n *\n * Second *\\/ closed?\n * @deprecated\n */",
        "export interface I extends A {\n/** A property. */\nreadonly p?: string;\n}",
        "",
        "const o = { x: 1 } satisfies Record<string, number>;",
        "",
        "export function f(x: number = 1, y?: string): number {\nreturn x;\n}",
        "",
        "export class K {\nreadonly #n: number;\n\nconstructor(n: number) {\nthis.#n = n;\n}\n\n/** @deprecated */\nget(): number {\nreturn this.#n;\n}\n}",
        "",
        'export * from "./a.js";',
        "",
        'export type * as C from "./c.js";',
        "",
      ].join("\n"),
    );
  });

  it("compiles under the repository's strict settings", () => {
    const source = text
      .replace(/^(import|export \*|export type \*).*\n/gm, "")
      .replace(/ extends A/, "")
      .replace("A | B", "string");
    expect(typecheck({ "printed.ts": source }).diagnostics).toEqual([]);
  });
});
