/**
 * layout.ts lays out the printer's text itself and leaves to prettier only what it cannot vouch for.
 * Given the printer's text, formatTypeScript must give prettier's text, and the shapes every spec emits
 * (long signatures, calls, operation tables, unions, generic aliases) must not need prettier at all.
 */
import { format } from "prettier";
import { describe, expect, it } from "vitest";
import { formatTypeScript, PRETTIER_OPTIONS } from "../../../generator/output/format.js";
import { layOut } from "../../../generator/output/layout.js";

const LONG = "VeryLongGeneratedNameForAnOperationOfTheProvider";

/** Laid out without prettier: [name, printer's text]. */
const laidOut: [string, string][] = [
  ["header comments, imports, a type alias", `// a header\nimport type { A } from "./a.js";\n\nexport type X = A;\n`],
  [
    "an interface with JSDoc and nested object types",
    `/** Doc. */\nexport interface X {\n/**\n * Two\n *\n * lines.\n */\nreadonly a?: {\n/** @example "x" */\nb: string;\nc: {\nd: number;\n}[];\ne: {\nf: boolean;\n} | null;\n};\n}\n`,
  ],
  [
    "a long signature and a long call with an object argument",
    `export function ${LONG}(client: ${LONG}Core, params: ${LONG}Params, options?: RequestOptions): ApiPromise<${LONG}Response> {\nreturn client.call(${LONG}Operation, { path: encodePath\`/repos/\${params.owner}/\${params.repo}/pulls/\${params.pullNumber}/comments/\${params.commentId}\`, query: { direction: params.direction, page: params.page, per_page: params.perPage, sort: params.sort } }, options);\n}\n`,
  ],
  [
    "a long call with type arguments",
    `export function ${LONG}(client: ${LONG}Core, params: ${LONG}Params, options?: RequestOptions): ApiPromise<${LONG}Response> {\nreturn client.call<${LONG}Response>(${LONG}Operation, { path: encodePath\`/repos/\${params.owner}/\${params.repo}/pulls/\${params.pullNumber}\`, query: { page: params.page } }, options);\n}\n`,
  ],
  [
    "a call whose type argument leaves no room for its arguments",
    `export function ${LONG}(client: ${LONG}Core, params: ${LONG}Params, options?: RequestOptions): ApiPromise<${LONG}Response> {\nreturn client.call<${LONG}${LONG}Response>(${LONG}Operation, { path: encodePath\`/repos/\${params.owner}/\${params.repo}/pulls/\${params.pullNumber}\` }, options);\n}\n`,
  ],
  [
    "a class whose methods break",
    `export class X {\nreadonly #core: Core;\n\nconstructor(core: Core) {\nthis.#core = core;\n}\n\n/** Doc. */\nget(params: ${LONG}Params, options?: RequestOptions): ApiPromise<${LONG}Response> {\nreturn ${LONG}(this.#core, params, options);\n}\n}\n`,
  ],
  [
    "an operation table",
    `const ${LONG}Operation = { id: "repos/create-or-update-file-contents", method: "PUT", path: "/repos/{owner}/{repo}/contents/{path}", group: "repos" } satisfies OperationDefinition;\n`,
  ],
  [
    "an operation table declared with its type",
    `const ${LONG}Operation: OperationDefinition = { id: "repos/create-or-update-file-contents", method: "PUT", path: "/repos/{owner}/{repo}/contents/{path}", group: "repos" };\n`,
  ],
  [
    "operation tables whose name leaves no room for ` = {`",
    `const ${LONG}${LONG}Operation: OperationDefinition = { id: "repos/create-or-update-file-contents", method: "PUT", path: "/repos/{owner}/{repo}/contents/{path}", group: "repos" };\nconst ${LONG}${LONG}Operation2: OperationDefinition = { id: "a", method: "GET", path: "/a", group: "a" };\n`,
  ],
  ["a generic alias", `export type ${LONG}Response = TypedResponse<201, types.PullRequestReviewComment>;\n`],
  [
    "unions: on the next line, or a member a line",
    `export type X = "queued" | "ringing" | "in-progress" | "completed" | "busy" | "failed" | "no-answer" | "x";\nexport interface Y {\nreadonly status?: "queued" | "ringing" | "in-progress" | "completed" | "busy" | "failed" | "no-answer" | "canceled" | "x";\n}\n`,
  ],
];

/** Left to prettier (in part or whole): [name, printer's text]. */
const toPrettier: [string, string][] = [
  ["an empty interface", `export interface X {\n}\n`],
  ["needless parentheses", `export type X = ({ readonly mode?: "a" } & B);\n`],
  ["an object type in a union", `export type X = {\na: string;\n} | {\nb: string;\n};\n`],
  ["a long union of intersections", `export type X = ${LONG}A & ${LONG}B | ${LONG}C & ${LONG}D | ${LONG}E & ${LONG}F;\n`],
  ["a long union of one type and null", `export interface X {\nreadonly a: ${LONG}${LONG} | null;\n}\n`],
  ["a string with an escaped quote", `export const x = "a \\"quoted\\" word";\n`],
  ["an exponent", `export const x = 1e+21;\n`],
  ["an array of objects", `export const x = [{ a: 1, b: 2 }, { a: 3, b: 4 }];\n`],
  ["an arrow function", `export const f = x => x;\n`],
  ["white space at the end of a JSDoc line", `/**\n * Two spaces:  \n * one: \n */\nexport type X = string;\n`],
  ["a block comment that is not JSDoc-shaped", `/*\n   free text\n */\nexport type X = string;\n`],
  [
    "type arguments too long for the line",
    `export function f() {\nreturn paginate<ItemsAt<${LONG}Response["body"], ["data"]>, ${LONG}Response>(client, ${LONG}Operation, { path: "/x" }, options);\n}\n`,
  ],
  ["a call with an object last", `export function f() {\nreturn g(${LONG}, { a: ${LONG}, b: ${LONG} });\n}\n`],
];

const prettier = (text: string) => format(text, PRETTIER_OPTIONS);

describe("layout.ts gives prettier's text", () => {
  it.each(laidOut)("%s, without prettier", async (_name, text) => {
    expect(layOut(text)?.units).toEqual([]);
    expect(await formatTypeScript(text)).toBe(await prettier(text));
  });

  it.each(toPrettier)("%s, through prettier", async (_name, text) => {
    const layout = layOut(text);
    expect(layout === undefined || layout.units.length > 0).toBe(true);
    expect(await formatTypeScript(text)).toBe(await prettier(text));
  });

  it("text not in the printer's shape (a string across lines, unbalanced brackets) goes to prettier whole", () => {
    expect(layOut("const x = `a\nb`;\n")).toBeUndefined();
    expect(layOut("export type X = {\na: string;\n")).toBeUndefined();
  });
});
