/**
 * Writes generator/validate/spec-types.ts from schema/spec-v1.schema.json (run `npm run build` first:
 * it uses the built generator). test/generator/output/spec-types.test.ts fails when the committed file
 * differs from what this writes.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { SPEC_TYPES_FILE, specTypesText } from "../dist/generator/output/spec-types.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
writeFileSync(path.join(root, SPEC_TYPES_FILE), await specTypesText());
process.stdout.write(`wrote ${SPEC_TYPES_FILE}\n`);
