/**
 * generator/common/identifier-tables.ts is TypeScript's scanner copied: every code point must get the
 * same answer from the table as from the installed typescript package (a TypeScript upgrade that adds
 * letters fails here; `node scripts/identifier-tables.js` rewrites the table).
 */
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { TS_IDENTIFIER_PART, TS_IDENTIFIER_START } from "../../../generator/common/identifier-tables.js";
import { inRanges } from "../../../generator/common/names.js";

describe("identifier tables", () => {
  it.each([
    ["start", TS_IDENTIFIER_START, (cp: number) => ts.isIdentifierStart(cp, ts.ScriptTarget.ESNext)],
    ["part", TS_IDENTIFIER_PART, (cp: number) => ts.isIdentifierPart(cp, ts.ScriptTarget.ESNext)],
  ] as const)("%s: the table answers as typescript's scanner for every code point above U+007F", (_, table, scanner) => {
    const differ: number[] = [];
    for (let cp = 0x80; cp <= 0x10ffff; cp++) if (inRanges(table, cp) !== scanner(cp)) differ.push(cp);
    expect(differ.map((cp) => `U+${cp.toString(16).toUpperCase()}`)).toEqual([]);
    // Non-trivial: thousands of letters, and code points on both sides of the answer.
    expect(table.length).toBeGreaterThan(1000);
  });

  it("ranges are sorted and disjoint", () => {
    for (const table of [TS_IDENTIFIER_START, TS_IDENTIFIER_PART]) {
      for (let i = 0; i < table.length; i += 2) {
        expect(table[i]!).toBeLessThanOrEqual(table[i + 1]!);
        if (i > 0) expect(table[i]!).toBeGreaterThan(table[i - 1]! + 1);
      }
    }
  });
});
