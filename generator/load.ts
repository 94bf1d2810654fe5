/**
 * Stages 1 to 3 for one spec: parse, validate (schema and semantics), events (payload types, imports),
 * operations (imported and inline, with their types), model. Returns the model only
 * when there is no error; diagnostics (warnings included) always.
 */
import { createHash } from "node:crypto";
import { hasErrors, sortDiagnostics, type Diagnostic } from "./diagnostics.js";
import type { SpecModel } from "./model/ir.js";
import { buildModel } from "./model/model.js";
import { parseSpec } from "./parse/parse.js";
import { validateAgainstSchema } from "./validate/schema.js";
import { checkSemantics } from "./validate/semantics/index.js";
import type { SpecDocument } from "./validate/spec-types.js";
import { resolveOperations } from "./model/operations/index.js";
import { resolveEvents } from "./model/webhook-events.js";

export interface LoadResult {
  readonly file: string;
  readonly text: string;
  readonly model: SpecModel | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

export interface LoadOptions {
  /** Absolute path of the spec file: `eventsImport` resolves from its folder. @default path.resolve(file) */
  readonly path?: string;
}

export function loadSpec(file: string, text: string, options: LoadOptions = {}): LoadResult {
  const parsed = parseSpec(file, text);
  const diagnostics = [...parsed.diagnostics];
  if (parsed.value !== undefined) {
    diagnostics.push(...validateAgainstSchema(parsed.source, parsed.value));
    diagnostics.push(...checkSemantics(parsed.source, parsed.value));
  }
  if (parsed.value === undefined || hasErrors(diagnostics))
    return { file, text, model: undefined, diagnostics: sortDiagnostics(diagnostics) };
  const doc = parsed.value as unknown as SpecDocument;
  const { diagnostics: eventDiagnostics, ...events } = resolveEvents(
    parsed.source,
    doc,
    options.path === undefined ? {} : { specPath: options.path },
  );
  const {
    diagnostics: operationDiagnostics,
    imports,
    ...operations
  } = resolveOperations(parsed.source, doc, options.path === undefined ? {} : { specPath: options.path });
  const sorted = sortDiagnostics([...diagnostics, ...eventDiagnostics, ...operationDiagnostics]);
  if (hasErrors(sorted)) return { file, text, model: undefined, diagnostics: sorted };
  const sha256 = createHash("sha256").update(text, "utf8").digest("hex");
  return {
    file,
    text,
    model: buildModel(file, sha256, doc, events, { ...operations, operationsImports: imports }),
    diagnostics: sorted,
  };
}
