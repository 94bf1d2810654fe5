/**
 * Stages 1 to 3 for one spec: parse, validate (schema and semantics), model. Returns the model only
 * when there is no error; diagnostics (warnings included) always.
 */
import { createHash } from "node:crypto";
import { hasErrors, sortDiagnostics, type Diagnostic } from "./diagnostics.js";
import type { SpecModel } from "./ir.js";
import { buildModel } from "./model.js";
import { parseSpec } from "./parse.js";
import { validateAgainstSchema } from "./schema.js";
import { checkSemantics } from "./semantics.js";
import type { SpecDocument } from "./spec-types.js";

export interface LoadResult {
  readonly file: string;
  readonly text: string;
  readonly model: SpecModel | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

export function loadSpec(file: string, text: string): LoadResult {
  const parsed = parseSpec(file, text);
  const diagnostics = [...parsed.diagnostics];
  if (parsed.value !== undefined) {
    diagnostics.push(...validateAgainstSchema(parsed.source, parsed.value));
    diagnostics.push(...checkSemantics(parsed.source, parsed.value));
  }
  const sorted = sortDiagnostics(diagnostics);
  if (parsed.value === undefined || hasErrors(sorted)) return { file, text, model: undefined, diagnostics: sorted };
  const sha256 = createHash("sha256").update(text, "utf8").digest("hex");
  return { file, text, model: buildModel(file, sha256, parsed.value as unknown as SpecDocument), diagnostics: sorted };
}
