/**
 * Writes generator/common/identifier-tables.ts: the code points (above U+007F) TypeScript's scanner takes
 * as the start or the continuation of an identifier (ts.isIdentifierStart / ts.isIdentifierPart at
 * ScriptTarget.ESNext), as sorted [first, last] ranges, so that generator/common/names.ts answers
 * "would tsc take this identifier" without loading TypeScript. test/generator/common/identifier-tables.test.ts
 * fails when the committed table differs from the installed typescript package's scanner.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { format } from "prettier";
import ts from "typescript";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const FILE = "generator/common/identifier-tables.ts";

/** [first, last] ranges of code points above U+007F for which `test` holds. */
export function ranges(test) {
  const out = [];
  for (let cp = 0x80; cp <= 0x10ffff; cp++) {
    if (!test(cp)) continue;
    const last = out[out.length - 1];
    if (last !== undefined && last[1] === cp - 1) last[1] = cp;
    else out.push([cp, cp]);
  }
  return out;
}

const flat = (list) => {
  const numbers = list.flat().map((n) => `0x${n.toString(16)}`);
  const lines = [];
  for (let i = 0; i < numbers.length; i += 12) lines.push(`  ${numbers.slice(i, i + 12).join(", ")},`);
  return lines.join("\n");
};

const start = ranges((cp) => ts.isIdentifierStart(cp, ts.ScriptTarget.ESNext));
const part = ranges((cp) => ts.isIdentifierPart(cp, ts.ScriptTarget.ESNext));
const text = await format(
  `// Written by scripts/identifier-tables.js from typescript ${ts.version}'s scanner; do not edit.
// Code points above U+007F that TypeScript takes in an identifier (ScriptTarget.ESNext), as flat
// [first, last, first, last, ...] ranges in ascending order.

export const TS_IDENTIFIER_START: readonly number[] = [
${flat(start)}
];

export const TS_IDENTIFIER_PART: readonly number[] = [
${flat(part)}
];
`,
  { parser: "typescript", printWidth: 140, trailingComma: "all", endOfLine: "lf" },
);
if (process.argv[2] === "--print") process.stdout.write(text);
else {
  writeFileSync(path.join(root, FILE), text);
  process.stdout.write(`wrote ${FILE} (${start.length} start ranges, ${part.length} part ranges)\n`);
}
