/**
 * JSDoc blocks set aside during formatting come back exactly as prettier prints them; blocks inside
 * strings, templates and line comments, and blocks that share their line with code, are left alone.
 */
import { format } from "prettier";
import { describe, expect, it } from "vitest";
import { restoreDocComments, setDocCommentsAside } from "../../../generator/output/doc-comments.js";
import { formatTypeScript, PRETTIER_OPTIONS } from "../../../generator/output/format.js";

const prettier = (text: string) => format(text, { ...PRETTIER_OPTIONS, parser: "typescript" });

describe("setDocCommentsAside / restoreDocComments", () => {
  it.each([
    [
      "an own-line block, badly indented, trailing spaces",
      "export interface A {\n      /**\n  * one   \n     *\n * two\n        */\n  a: string;\n}\n",
    ],
    [
      "nested object types and a class",
      "export type T = {\n/** x */\na: {\n/**\n * deep\n */\nb: { /** inline */ c: number }\n}\n}\nexport class C {\n/**\n * m\n */\nm(): void {}\n}\n",
    ],
    ["a block that is not indentable (a line without a star)", "/**\n plain line\n */\nexport const a = 1;\n"],
    ["unicode spaces at the end of a line", "/**\n * a\u00a0\n * b\u2003\n */\nexport const a = 1;\n"],
    [
      "markers inside strings, templates and line comments",
      'const s = "/** no */"; const t = `/**${"x"}*/${`/** ${1} */`}`; // /** not either */\n/** yes */\nexport const u = [s, t];\n',
    ],
  ])("%s: formatTypeScript gives prettier's text", async (_name, text) => {
    expect(await formatTypeScript(text)).toBe(await prettier(text));
  });

  it("leaves strings, templates, line comments and code-sharing blocks as they are", () => {
    const text = 'const s = "/** a */";\nconst t = `/** b ${`/** c */`} */`;\n// /** d */\nconst u = 1; /** e */\n/** f */\n';
    const aside = setDocCommentsAside(text);
    expect(aside.blocks).toEqual(["/** f */"]);
    expect(aside.text).toBe('const s = "/** a */";\nconst t = `/** b ${`/** c */`} */`;\n// /** d */\nconst u = 1; /** e */\n/**0*/\n');
    expect(restoreDocComments(aside.text, aside.blocks)).toBe(text);
  });

  it("refuses to restore when a placeholder is missing, repeated or moved off its own line", () => {
    expect(restoreDocComments("const a = 1;\n", ["/** x */"])).toBeUndefined();
    expect(restoreDocComments("/**0*/\n/**0*/\n", ["/** x */"])).toBeUndefined();
    expect(restoreDocComments("const a = 1; /**0*/\n", ["/** x */"])).toBeUndefined();
    expect(restoreDocComments("  /**0*/\n", ["/**\n * x\n */"])).toBe("  /**\n   * x\n   */\n");
  });

  it("sets aside only blocks in the emitters' shape; prettier keeps the others", () => {
    const odd = ["/**\n * trailing space \n */", "/**\n * a\u00a0\n */", "/** x*/", "/**\n plain\n */", "/**/"];
    for (const block of odd) expect(setDocCommentsAside(`${block}\nconst a = 1;\n`).blocks).toEqual([]);
    expect(setDocCommentsAside("/**\n * a\n *\n * b\n */\n/** c */\nconst a = 1;\n").blocks).toHaveLength(2);
  });
});
