/**
 * Stage 3c, operations: the spec's operations, imported from OpenAPI documents (`operations.import`)
 * and declared inline, turned into one list of typed operations and the named types they use.
 *
 * Problems inside an imported document are reported at the import's `from` (or its override), naming
 * the JSON pointer in the document: a document that is not OpenAPI 3.0/3.1 is an error, anything the
 * generator leaves out or types `unknown` is a warning. Inline schemas are reported where they are.
 */
import path from "node:path";
import { DiagnosticCode, type Diagnostic } from "../../diagnostics.js";
import { readDocument } from "../documents.js";
import type { GroupModel, PayloadDeclaration } from "../ir.js";
import type { PathSegment, SpecSource } from "../../parse/parse.js";
import { SchemaConverter, toPointer, type SchemaDocument } from "../schema-to-ts/index.js";
import type { SpecDocument } from "../../validate/spec-types.js";
import { bindingName } from "../../common/names.js";
import { didYouMean } from "../../common/did-you-mean.js";
import { parseJsonPath } from "../../common/json-path.js";
import { buildOperations } from "./build.js";
import { inlineOperations } from "./inline.js";
import { readOpenApiOperations } from "./openapi.js";
import { atPinnedVersion, omittedAtPinned } from "./pinned.js";
import { versions } from "../model.js";
import type { OperationSource } from "./sources.js";

export { TYPES_NAMESPACE, paginationDefinition } from "./build.js";

export interface OperationsResult {
  readonly groups: GroupModel[];
  readonly schemaDeclarations: PayloadDeclaration[];
  readonly imports: { readonly from: string; readonly sha256: string; readonly version?: string }[];
  readonly diagnostics: Diagnostic[];
}

export interface OperationsOptions {
  /** Absolute path of the spec file: imports resolve from its folder. @default path.resolve(source.file) */
  readonly specPath?: string;
}

export function resolveOperations(source: SpecSource, doc: SpecDocument, options: OperationsOptions = {}): OperationsResult {
  const diagnostics: Diagnostic[] = [];
  const specPath = options.specPath ?? path.resolve(source.file);
  const specDocument: SchemaDocument = { id: source.file, root: doc };
  const sources: OperationSource[] = inlineOperations(doc, specDocument);
  const imports: OperationsResult["imports"] = [];
  const warn = (at: readonly PathSegment[], message: string) =>
    diagnostics.push(source.diagnostic([...at], DiagnosticCode.UnsupportedSchema, message, { severity: "warning" }));

  /** Where warnings about a document's schemas point: the import's `from`. */
  const fromOf = new Map<string, PathSegment[]>();
  (doc.operations?.import ?? []).forEach((spec, i) => {
    const base: PathSegment[] = ["operations", "import", i];
    const read = readDocument(specPath, spec.from, source.file);
    if (read.error !== undefined) {
      diagnostics.push(source.diagnostic([...base, "from"], DiagnosticCode.ImportFailed, read.error));
      return;
    }
    const result = readOpenApiOperations(read.document, spec, base);
    fromOf.set(spec.from, [...base, "from"]);
    for (const problem of result.problems) {
      const message = `${spec.from}#${toPointer(problem.path)}: ${problem.message}`;
      if (problem.severity === "error") diagnostics.push(source.diagnostic([...base, "from"], DiagnosticCode.ImportFailed, message));
      else warn([...base, "from"], message);
    }
    for (const key of result.unusedOverrides)
      warn(
        [...base, "overrides", key],
        `${spec.from} has no operation ${JSON.stringify(key)} (after include/exclude); the override does nothing`,
      );
    imports.push({ from: spec.from, sha256: read.document.sha256, ...(result.version !== undefined && { version: result.version }) });
    sources.push(...result.operations);
  });

  checkRequestChanges(doc, sources, (at, code, message) => diagnostics.push(source.diagnostic(at, code, message)));
  const converter = new SchemaConverter();
  const omissions = omittedAtPinned(doc.versions && versions(doc));
  const pinned = sources.map((s) => atPinnedVersion(s, omissions));
  const built = buildOperations(pinned, converter, bindingName(doc.provider.name, "pascal"));
  for (const { source: op, method } of built.renamed) {
    warn(
      [...op.specPath],
      `${op.documentPointer ?? op.id}: another operation is also named ${op.group}.${op.name}; this one (${op.id}) becomes ${op.group}.${method}`,
    );
  }
  for (const warning of built.warnings) {
    const { document, path: at } = warning.location;
    if (document === specDocument) warn(at, warning.message);
    else warn(fromOf.get(document.id) ?? ["operations"], `${document.id}#${toPointer(at)}: ${warning.message}`);
  }
  return { groups: built.groups, schemaDeclarations: built.declarations, imports, diagnostics };
}

/**
 * versions.migrations[].requests name operations (inline or imported) and their query parameters and
 * headers, both names of a rename, and body fields the body's schema lists (when it lists properties).
 */
function checkRequestChanges(
  doc: SpecDocument,
  sources: readonly OperationSource[],
  report: (at: PathSegment[], code: DiagnosticCode, message: string) => void,
): void {
  const byId = new Map(sources.map((s) => [s.id, s]));
  (doc.versions?.migrations ?? []).forEach((step, m) =>
    (step.requests ?? []).forEach((change, r) => {
      const at: PathSegment[] = ["versions", "migrations", m, "requests", r];
      const ids = typeof change.operation === "string" ? [change.operation] : change.operation;
      ids.forEach((id, k) => {
        const op = byId.get(id);
        if (!op) {
          const where = typeof change.operation === "string" ? [...at, "operation"] : [...at, "operation", k];
          report(where, DiagnosticCode.UnknownOperation, `no operation has the id "${id}"${didYouMean(id, [...byId.keys()])}`);
          return;
        }
        const where = change.query !== undefined ? "query" : change.header !== undefined ? "header" : "body";
        const names = [change[where], ...(change.op === "rename" && change.to !== undefined ? [change.to] : [])];
        const keys = [where, ...(names.length > 1 ? ["to"] : [])];
        names.forEach((name, n) => {
          if (name === undefined) return;
          const problem = where === "body" ? unknownBodyField(op, name) : unknownParameter(op, where, name);
          if (problem !== undefined) report([...at, keys[n]!], DiagnosticCode.UnknownParameter, problem);
        });
      });
    }),
  );
}

function unknownParameter(op: OperationSource, where: "query" | "header", name: string): string | undefined {
  const declared = op.params.filter((p) => p.in === where).map((p) => p.name);
  if (declared.includes(name)) return undefined;
  return `operation ${op.id} declares no ${where} parameter "${name}" (a rename needs both names declared)${didYouMean(name, declared)}`;
}

function unknownBodyField(op: OperationSource, path: string): string | undefined {
  if (!op.body) return `operation ${op.id} has no body`;
  const properties = (op.body.schema?.schema as { properties?: unknown } | undefined)?.properties;
  const first = parseJsonPath(path)[0];
  if (typeof properties !== "object" || properties === null || typeof first !== "string" || Object.hasOwn(properties, first))
    return undefined;
  return `the body of operation ${op.id} has no property "${first}"${didYouMean(first, Object.keys(properties))}`;
}
